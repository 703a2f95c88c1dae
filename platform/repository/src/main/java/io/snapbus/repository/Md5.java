package io.snapbus.repository;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** MD5 as Doris uses it to name repository files: streamed with a 1 MiB buffer, rendered as 32 lowercase hex characters. */
public final class Md5 {

    static final int BUFFER_SIZE = 1 << 20;

    private Md5() {
    }

    /** The md5 of a local file, read once. */
    public static String of(Path file) {
        MessageDigest digest = newDigest();
        // A direct buffer: the channel reads straight into it and the digest copies it in small, cache-hot slices.
        ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER_SIZE);
        try (FileChannel in = FileChannel.open(file)) {
            while (in.read(buffer) >= 0) {
                buffer.flip();
                digest.update(buffer);
                buffer.clear();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot compute the md5 of " + file + ": " + e, e);
        }
        return hex(digest.digest());
    }

    /** The md5 of bytes in memory. */
    public static String of(byte[] content) {
        return hex(newDigest().digest(content));
    }

    /** Lowercase hex, as Doris's {@code DigestUtils.md5Hex}. */
    public static String hex(byte[] digest) {
        return HexFormat.of().formatHex(digest);
    }

    /** A fresh MD5 digest, for content that streams past. */
    public static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime must provide MD5", e);
        }
    }
}
