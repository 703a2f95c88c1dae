package io.snapbus.jobs.engine;

/** When an awaited task is next due; ordered by time, then signature. */
public record RetryAt(long atMs, long signature) implements Comparable<RetryAt> {
    public static RetryAt of(PendingTask task) {
        return new RetryAt(task.nextRetryMs(), task.signature());
    }

    @Override
    public int compareTo(RetryAt other) {
        int byTime = Long.compare(atMs, other.atMs);
        return byTime != 0 ? byTime : Long.compare(signature, other.signature);
    }
}
