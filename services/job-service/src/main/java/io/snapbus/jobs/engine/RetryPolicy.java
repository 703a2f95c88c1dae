package io.snapbus.jobs.engine;

/**
 * How a job waits for its tasks and sends them again: a backoff that doubles with each send, and a bounded number of
 * sends (Doris re-sends forever; we do not).
 *
 * @param initialBackoffMs wait for a task's result (or after its failure) before sending it again
 * @param maxBackoffMs     the backoff doubles with each send up to this
 * @param maxAttempts      sends of one task before the job gives up on it
 */
public record RetryPolicy(long initialBackoffMs, long maxBackoffMs, int maxAttempts) {
    public RetryPolicy {
        if (initialBackoffMs <= 0 || maxBackoffMs < initialBackoffMs || maxAttempts < 1) {
            throw new IllegalArgumentException("task retry needs 0 < initial backoff <= max backoff and attempts >= 1");
        }
    }

    /** The backoff after one that was {@code backoffMs}: doubled, at most the max. */
    public long nextBackoffMs(long backoffMs) {
        return Math.min(maxBackoffMs, Math.max(initialBackoffMs, backoffMs * 2));
    }
}
