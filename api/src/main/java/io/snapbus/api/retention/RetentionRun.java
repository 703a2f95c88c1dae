package io.snapbus.api.retention;

import java.util.List;

/**
 * One application of a retention policy.
 *
 * @param deleted          labels deleted, oldest first (each also a DELETE event on job-events)
 * @param failedDeleted    labels of failed backups of the policy deleted because a newer backup succeeded
 * @param kept             the policy's successful snapshots it keeps
 * @param refused          labels it could not delete now, with why (a running job reads or writes it, say)
 * @param budgetExhausted  the run stopped at its time budget; the next run deletes the rest
 */
public record RetentionRun(String policy, String repository, List<String> deleted, List<String> failedDeleted,
        int kept, List<String> refused, boolean budgetExhausted, long startedAtMs, long finishedAtMs) {}
