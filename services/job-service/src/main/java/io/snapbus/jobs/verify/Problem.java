package io.snapbus.jobs.verify;

/**
 * One thing a verification found wrong (or could not check) in a snapshot. Nothing is ever repaired: a problem is
 * reported and left as it is.
 *
 * @param kind     what is wrong
 * @param path     the file or directory, relative to the repository location
 * @param tabletId the tablet it belongs to, {@code null} for the job info, the meta file and stray directories
 * @param expected what the snapshot records (an md5, a size, a row count, a checksum), {@code null} when nothing
 * @param actual   what the repository holds, {@code null} when nothing
 */
public record Problem(Kind kind, String path, Long tabletId, String expected, String actual) {

    /** The kinds of problems; all but {@link #NOT_RECORDED} fail a verification. */
    public enum Kind {
        /** A file the job info names is not in the repository. */
        MISSING,
        /** A file's size differs from the one its tablet header records. */
        SIZE_MISMATCH,
        /** A file's md5 differs from the one its name carries (or its tablet header records). */
        MD5_MISMATCH,
        /** A file under the snapshot that no job info of the label names. */
        UNREFERENCED,
        /** A file that could not be read or parsed (job info, tablet header, rowset), or a listing that failed. */
        UNREADABLE,
        /** A tablet's rows read back are not as many as the backup recorded. */
        ROWS_MISMATCH,
        /** A tablet's rows read back have another content checksum than the backup recorded. */
        CHECKSUM_MISMATCH,
        /** A tablet whose backup recorded no checksum (an older backup, or a node that did not report one). */
        NOT_RECORDED;

        public boolean fails() {
            return this != NOT_RECORDED;
        }
    }
}
