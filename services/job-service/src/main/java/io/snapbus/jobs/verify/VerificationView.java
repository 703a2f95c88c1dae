package io.snapbus.jobs.verify;

import java.util.List;
import java.util.Map;

/**
 * A verification's report as {@code GET /api/verifications/{id}} answers it.
 *
 * @param state          RUNNING, PASSED or FAILED
 * @param problems       the first {@value VerificationReport#MAX_PROBLEMS} problems, in the order they were found
 * @param problemsTotal  all problems found (NOT_RECORDED included, which does not fail a verification)
 * @param problemsByKind problems by kind
 * @param message        {@code no problems}, the problems by kind, or why the verification stopped
 */
public record VerificationView(long id, String repository, String label, String timestamp, String level,
        String state, Counts counts, Progress progress, List<Problem> problems, long problemsTotal,
        Map<String, Long> problemsByKind, long startedAtMs, Long finishedAtMs, String message) {

    /** Files and tablets: how many there are to check and how many were, bytes and rows read. */
    public record Counts(long filesChecked, long filesTotal, long bytesRead, long tabletsChecked, long tabletsTotal,
            long rowsRead) {}

    /** Files checked of files to check. */
    public record Progress(long done, long total, double percent) {}
}
