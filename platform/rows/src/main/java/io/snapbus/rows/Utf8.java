package io.snapbus.rows;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** UTF-8 as loads use it: a strict decoding of a body, and the byte length CHAR(n) and VARCHAR(n) count. */
final class Utf8 {
    private Utf8() {
    }

    /**
     * The body as text, a leading byte-order mark dropped; a malformed byte refuses the whole body, naming the line
     * it is on and its offset in the body.
     */
    static String decode(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        try {
            String text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(in).toString();
            return text.startsWith("\uFEFF") ? text.substring(1) : text;
        } catch (CharacterCodingException e) {
            // The decoder stops at the malformed sequence, so everything before it is well formed.
            int at = in.position();
            int line = 1;
            for (int i = 0; i < at; i++) {
                if (bytes[i] == '\n') {
                    line++;
                }
            }
            throw new BadRowException(line, "the body is not valid UTF-8 (byte " + at + ")");
        }
    }

    /**
     * The UTF-8 length of a text without encoding it. A lone surrogate (only a JSON {@code \uD800} escape makes one)
     * counts 3 bytes, as a JSON reader that writes it through (Doris's) stores it.
     */
    static int length(String text) {
        int bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }
}
