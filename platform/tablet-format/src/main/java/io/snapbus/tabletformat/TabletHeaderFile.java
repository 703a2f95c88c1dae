package io.snapbus.tabletformat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The tablet header file {@code <tabletId>.hdr}: its name, and its JSON both ways. Unknown keys are skipped, so a
 * header written by a newer node still reads; an unknown {@link TabletHeader#formatVersion} does not.
 */
public final class TabletHeaderFile {
    private static final String SUFFIX = ".hdr";
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private TabletHeaderFile() {
    }

    /** {@code <tabletId>.hdr}. */
    public static String name(long tabletId) {
        return tabletId + SUFFIX;
    }

    /** Whether a bare file name (no checksum suffix) is a tablet header's. */
    public static boolean isHeaderName(String fileName) {
        return fileName.endsWith(SUFFIX);
    }

    public static TabletHeader read(Path file) throws IOException {
        return checked(file.toString(), JSON.readValue(Files.readAllBytes(file), TabletHeader.class));
    }

    /** The header in {@code bytes}; {@code source} names them in the message of an IOException. */
    public static TabletHeader parse(String source, byte[] bytes) throws IOException {
        try {
            return checked(source, JSON.readValue(bytes, TabletHeader.class));
        } catch (IllegalArgumentException e) { // a record's constructor refused a value (a bad column type)
            throw new IOException(source + ": " + e.getMessage(), e);
        }
    }

    public static byte[] toJson(TabletHeader header) throws JsonProcessingException {
        return JSON.writeValueAsBytes(header);
    }

    private static TabletHeader checked(String source, TabletHeader header) throws IOException {
        if (header.formatVersion() != TabletHeader.FORMAT_VERSION) {
            throw new IOException(source + ": unknown header format " + header.formatVersion());
        }
        return header;
    }
}
