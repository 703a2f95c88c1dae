package io.snapbus.node.tablet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The group commit: a caller is served only by a flush that began after its call, one flush serves every caller that
 * gathered while the previous one ran, and a failed flush fails exactly its own callers.
 */
class GroupSyncTest {
    private final ExecutorService callers = Executors.newCachedThreadPool();
    /** Each flush takes one permit: the test lets flushes through one at a time. */
    private final Semaphore release = new Semaphore(0);
    private final CountDownLatch[] started = {new CountDownLatch(1), new CountDownLatch(1), new CountDownLatch(1)};
    private final AtomicInteger flushesStarted = new AtomicInteger();
    private volatile int failingFlush = -1;

    private final GroupSync group = new GroupSync(() -> {
        int n = flushesStarted.getAndIncrement();
        started[Math.min(n, started.length - 1)].countDown();
        try {
            release.acquire();
        } catch (InterruptedException e) {
            throw new IOException(e);
        }
        if (n == failingFlush) {
            throw new IOException("disk gone");
        }
    });

    @AfterEach
    void stop() {
        callers.shutdownNow();
    }

    @Test
    void callersArrivingDuringAFlushShareTheNextOneAndNoneIsServedByAFlushThatBeganBeforeIt() throws Exception {
        Future<?> first = callers.submit(this::sync);
        assertThat(started[0].await(10, TimeUnit.SECONDS)).isTrue();
        List<Future<?>> gathered = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            gathered.add(callers.submit(this::sync));
        }
        awaitWaiting(8);

        release.release(); // the first flush ends: it began before the eight, so none of them may return on it
        first.get(10, TimeUnit.SECONDS);
        assertThat(started[1].await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(gathered).noneMatch(Future::isDone);
        release.release();
        for (Future<?> caller : gathered) {
            caller.get(10, TimeUnit.SECONDS);
        }

        assertThat(group.flushes()).as("one flush for the first caller, one for the eight").isEqualTo(2);
        assertThat(flushesStarted).hasValue(2);
    }

    @Test
    void aFailedFlushFailsItsOwnCallersAndTheNextFlushIsTriedAfresh() throws Exception {
        failingFlush = 1;
        Future<?> first = callers.submit(this::sync);
        assertThat(started[0].await(10, TimeUnit.SECONDS)).isTrue();
        List<Future<?>> failing = List.of(callers.submit(this::sync), callers.submit(this::sync));
        awaitWaiting(2);
        release.release();
        first.get(10, TimeUnit.SECONDS);
        assertThat(started[1].await(10, TimeUnit.SECONDS)).isTrue();
        release.release();

        for (Future<?> caller : failing) {
            assertThatThrownBy(() -> caller.get(10, TimeUnit.SECONDS)).hasRootCauseMessage("disk gone");
        }
        release.release();
        callers.submit(this::sync).get(10, TimeUnit.SECONDS);
        assertThat(group.flushes()).isEqualTo(3);
    }

    private Void sync() {
        try {
            group.sync();
            return null;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Waits until {@code n} callers wait in the group's monitor for a flush (the flushing one is not counted). */
    private void awaitWaiting(int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (waitingThreads() < n) {
            assertThat(System.nanoTime()).as("%d callers waiting", n).isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    private long waitingThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .map(Thread::getStackTrace)
                .filter(stack -> stack.length > 1 && stack[0].getClassName().equals(Object.class.getName())
                        && stack[0].getMethodName().equals("wait"))
                .filter(stack -> List.of(stack).stream()
                        .anyMatch(f -> f.getClassName().equals(GroupSync.class.getName())))
                .count();
    }
}
