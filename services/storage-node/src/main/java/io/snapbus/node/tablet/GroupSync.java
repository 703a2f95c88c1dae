package io.snapbus.node.tablet;

import java.io.IOException;
import java.io.InterruptedIOException;

/**
 * A group commit: every caller of {@link #sync} returns once a flush that began after its call ended, and one flush
 * serves every caller that arrived while the previous one ran. N tasks that each need their writes on disk pay one
 * flush (a {@code syncfs(2)} of the store's filesystem) instead of one each, or than a handful of fsyncs each.
 * A flush that fails fails exactly the callers it was meant to serve; the next one is tried afresh.
 */
final class GroupSync {
    /** What one flush does (syncfs of a path's filesystem, in production). */
    interface Flush {
        void run() throws IOException;
    }

    /** The callers one flush serves, and how it went. */
    private static final class Round {
        boolean finished;
        IOException failure;
    }

    private final Flush flush;
    private Round gathering;
    private boolean flushing;
    private long flushes;

    GroupSync(Flush flush) {
        this.flush = flush;
    }

    /** Returns once what the calling thread wrote before the call is on disk, as far as the flush sees to it. */
    void sync() throws IOException {
        Round round;
        synchronized (this) {
            if (gathering == null) {
                gathering = new Round();
            }
            round = gathering;
            try {
                while (flushing && !round.finished) {
                    wait(); // the running flush may have started before this call's writes: wait for the next
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted waiting for the group's flush");
            }
            if (round.finished) {
                rethrow(round);
                return;
            }
            flushing = true; // this caller flushes for its whole round; later callers gather in the next one
            gathering = null;
        }
        IOException failure = null;
        try {
            flush.run();
        } catch (IOException e) {
            failure = e;
        } catch (RuntimeException e) {
            failure = new IOException(e.toString(), e);
        }
        synchronized (this) {
            round.failure = failure;
            round.finished = true;
            flushes++;
            flushing = false;
            notifyAll();
        }
        rethrow(round);
    }

    /** How many flushes ran, for tests and figures. */
    synchronized long flushes() {
        return flushes;
    }

    private static void rethrow(Round round) throws IOException {
        if (round.failure != null) {
            throw new IOException("the filesystem flush failed: " + round.failure.getMessage(), round.failure);
        }
    }
}
