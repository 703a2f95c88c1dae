package io.snapbus.node.upload;

/**
 * Caps the node's upload rate (bytes per second) across all uploads: each file waits until the budget allows its
 * size. File-grained, so a single huge file can overshoot briefly; over many files the average holds.
 */
public final class BandwidthLimiter {
    private final long bytesPerSecond;
    private long nextFreeNanos = System.nanoTime();

    /** {@code bytesPerSecond <= 0} means no limit. */
    public BandwidthLimiter(long bytesPerSecond) {
        this.bytesPerSecond = bytesPerSecond;
    }

    public void acquire(long bytes) throws InterruptedException {
        if (bytesPerSecond <= 0 || bytes <= 0) {
            return;
        }
        long waitNanos;
        synchronized (this) {
            long now = System.nanoTime();
            long start = Math.max(now, nextFreeNanos);
            nextFreeNanos = start + (long) (bytes * 1e9 / bytesPerSecond);
            waitNanos = start - now;
        }
        if (waitNanos > 0) {
            Thread.sleep(waitNanos / 1_000_000, (int) (waitNanos % 1_000_000));
        }
    }
}
