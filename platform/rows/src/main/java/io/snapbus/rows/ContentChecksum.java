package io.snapbus.rows;

/**
 * What a set of rows holds, independent of their order: how many rows there are and the sum modulo 2^64 of each row's
 * {@link CanonicalRow#hash 64-bit hash}. The checksum of two disjoint sets is the sum of theirs ({@link #plus}), so a
 * rowset's checksum is computed once when it is written, a merged rowset's equals the sum of its inputs', and a
 * tablet's at version v is the sum over the rowsets on its version path.
 *
 * <p>The empty set is {@code (0, 0)}. A duplicate row counts twice (the sum is over rows, not distinct rows).
 *
 * @param rows     number of rows
 * @param checksum sum of the rows' hashes, wrapping around (a Java {@code long}, Thrift i64; any value, negative too)
 */
public record ContentChecksum(long rows, long checksum) {
    public static final ContentChecksum EMPTY = new ContentChecksum(0, 0);

    /** The checksum of one row. */
    public static ContentChecksum ofRow(long rowHash) {
        return new ContentChecksum(1, rowHash);
    }

    /** The checksum of this set and another, disjoint one. */
    public ContentChecksum plus(ContentChecksum other) {
        return new ContentChecksum(rows + other.rows, checksum + other.checksum);
    }

    /** This set with one more row whose {@link CanonicalRow#hash hash} is {@code rowHash}. */
    public ContentChecksum plusRow(long rowHash) {
        return new ContentChecksum(rows + 1, checksum + rowHash);
    }

    /** {@code 1234 rows, checksum 0x0123456789abcdef}, for messages. */
    @Override
    public String toString() {
        return rows + " rows, checksum 0x" + String.format("%016x", checksum);
    }

    /** Adds rows one at a time; not thread-safe. */
    public static final class Accumulator {
        private long rows;
        private long sum;

        public void addRow(long rowHash) {
            rows++;
            sum += rowHash;
        }

        public ContentChecksum result() {
            return new ContentChecksum(rows, sum);
        }
    }
}
