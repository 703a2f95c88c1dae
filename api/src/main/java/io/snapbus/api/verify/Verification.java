package io.snapbus.api.verify;

import java.util.List;
import java.util.Map;

/**
 * A verification's report.
 *
 * @param state          RUNNING, PASSED or FAILED
 * @param problems       the first problems found, in the order they were found
 * @param problemsTotal  all problems found (NOT_RECORDED included, which does not fail a verification)
 * @param problemsByKind problems by kind
 * @param finishedAtMs   null while running
 * @param message        {@code no problems}, the problems by kind, or why the verification stopped
 */
public record Verification(long id, String repository, String label, String timestamp, String level,
        String state, Counts counts, Progress progress, List<Finding> problems, long problemsTotal,
        Map<String, Long> problemsByKind, long startedAtMs, Long finishedAtMs, String message) {

    /** Files and tablets: how many there are to check and how many were, bytes and rows read. */
    public record Counts(long filesChecked, long filesTotal, long bytesRead, long tabletsChecked, long tabletsTotal,
            long rowsRead) {}

    /** Files checked of files to check. */
    public record Progress(long done, long total, double percent) {}

    /**
     * One thing found wrong (or not checkable) in the snapshot; nothing is repaired.
     *
     * @param kind     MISSING, SIZE_MISMATCH, MD5_MISMATCH, UNREFERENCED, UNREADABLE, ROWS_MISMATCH,
     *                 CHECKSUM_MISMATCH or NOT_RECORDED (which does not fail a verification)
     * @param path     relative to the repository location
     * @param tabletId null for the job info, the meta file and stray directories
     */
    public record Finding(String kind, String path, Long tabletId, String expected, String actual) {}
}
