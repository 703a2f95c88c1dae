package io.snapbus.rows;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The canonical bytes of a row and their 64-bit hash, what {@link ContentChecksum}s sum: defined once here so that a
 * storage node (when it writes a rowset, and when CHECK_CONSISTENCY reads one), the job-service and any verifier of a
 * repository compute the same value from the same rows, however they were loaded or stored.
 *
 * <pre>
 * row   := field*                  one field per column of the {@link RowSchema}, in table (schema) order
 * field := 0x00                    NULL
 *        | 0x01 length text        a value: length = byte length of text, 4 bytes big-endian;
 *                                  text = the UTF-8 bytes of {@link ColumnType#canonical(Object)} of the typed value
 * hash  := the first 8 bytes of SHA-256(row), read as a big-endian two's-complement 64-bit integer
 * </pre>
 *
 * <p>The canonical text makes equal values equal bytes whatever text they were loaded from ({@code 007} and
 * {@code 7}; {@code 1.5} and {@code 1.50} in a DECIMAL(5,2)): DECIMAL is its plain text at the column's scale,
 * DATE {@code 2024-02-29}, DATETIME ISO {@code 2024-02-29T13:14:15.123} (Java's {@code LocalDateTime.toString()}:
 * seconds and fraction left out when zero), BOOLEAN {@code true}/{@code false}, the integer kinds their decimal
 * text, FLOAT and DOUBLE Java 17's {@code Float.toString}/{@code Double.toString}, strings themselves (a lone
 * surrogate, which only a JSON escape can produce, encodes as {@code ?}, as Java's UTF-8 encoder does). The length
 * prefix leaves no ambiguity between fields ({@code "a","bc"} and {@code "ab","c"} differ), and the NULL marker none
 * between NULL and an empty string. Column names and types are not part of the bytes: a checksum compares rows of
 * the same schema.
 */
public final class CanonicalRow {
    private static final byte NULL = 0x00;
    private static final byte VALUE = 0x01;

    private final RowSchema schema;
    private final MessageDigest sha256;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(256);

    /** A hasher for rows of {@code schema}; it reuses its buffers, so it is not thread-safe. */
    public CanonicalRow(RowSchema schema) {
        this.schema = schema;
        try {
            this.sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** The canonical bytes of a row's typed values ({@link ColumnType#value}; {@code null} for NULL). */
    public byte[] bytes(Object[] values) {
        if (values.length != schema.size()) {
            throw new IllegalArgumentException("a row of " + values.length + " values for " + schema.size()
                    + " columns");
        }
        buffer.reset();
        for (int i = 0; i < values.length; i++) {
            if (values[i] == null) {
                buffer.write(NULL);
                continue;
            }
            byte[] text = schema.column(i).type().canonical(values[i]).getBytes(StandardCharsets.UTF_8);
            buffer.write(VALUE);
            buffer.write(text.length >>> 24);
            buffer.write(text.length >>> 16);
            buffer.write(text.length >>> 8);
            buffer.write(text.length);
            buffer.write(text, 0, text.length);
        }
        return buffer.toByteArray();
    }

    /** The row's 64-bit hash: the first 8 bytes of the SHA-256 of its {@link #bytes canonical bytes}. */
    public long hash(Object[] values) {
        return hashOf(bytes(values));
    }

    /** The hash of canonical bytes computed elsewhere. */
    public long hashOf(byte[] canonicalBytes) {
        byte[] digest = sha256.digest(canonicalBytes);
        long hash = 0;
        for (int i = 0; i < Long.BYTES; i++) {
            hash = (hash << 8) | (digest[i] & 0xFF);
        }
        return hash;
    }

    /** The checksum of some rows (each an array of typed values). */
    public ContentChecksum checksum(Iterable<Object[]> rows) {
        ContentChecksum.Accumulator sum = new ContentChecksum.Accumulator();
        rows.forEach(row -> sum.addRow(hash(row)));
        return sum.result();
    }
}
