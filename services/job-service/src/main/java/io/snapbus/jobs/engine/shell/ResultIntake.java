package io.snapbus.jobs.engine.shell;

import io.snapbus.avro.TaskResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiFunction;
import java.util.function.Consumer;

/**
 * Task results on their way into the jobs, applied in group commits: results queue up here (any thread) and the loop
 * takes all that arrived, up to {@value #MAX_RESULTS_PER_COMMIT}, at most once per commit interval, so one persist per
 * job covers many results. What a result means to its job is the job type's ({@code toInput}).
 *
 * @param <I> the job type's input
 */
public final class ResultIntake<I> {
    /** Results one group commit applies at most, so a flood of them still lets ticks and requests in. */
    static final int MAX_RESULTS_PER_COMMIT = 5000;

    /** A result turned into the input of its job. */
    public record Queued<I>(long jobId, I input) {}

    private final ConcurrentLinkedQueue<Queued<I>> results = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final Executor loop;
    private final ScheduledExecutorService timer;
    private final long commitIntervalNanos;
    private final BiFunction<TaskResult, Long, I> toInput;
    private final Consumer<List<Queued<I>>> commit;
    /** When the last group commit began; the next waits until the commit interval has passed since. */
    private volatile long lastDrainNanos = System.nanoTime();

    /**
     * @param toInput a task result at a time as its job's input; null for a result the job ignores
     * @param commit  applies one group of results, on the loop
     */
    public ResultIntake(Executor loop, ScheduledExecutorService timer, Duration commitInterval,
            BiFunction<TaskResult, Long, I> toInput, Consumer<List<Queued<I>>> commit) {
        this.loop = loop;
        this.timer = timer;
        this.commitIntervalNanos = commitInterval.toNanos();
        this.toInput = toInput;
        this.commit = commit;
    }

    /** Queues a job's task result; the group commit that applies it is scheduled if none is. */
    public void add(long jobId, TaskResult result, long nowMs) {
        I input = toInput.apply(result, nowMs);
        if (input == null) {
            return;
        }
        results.add(new Queued<>(jobId, input));
        if (drainScheduled.compareAndSet(false, true)) {
            long wait = commitIntervalNanos - (System.nanoTime() - lastDrainNanos);
            if (wait <= 0) {
                loop.execute(this::drain);
            } else {
                timer.schedule(() -> loop.execute(this::drain), wait, TimeUnit.NANOSECONDS);
            }
        }
    }

    /** On the loop: applies every result already queued (a tick does this first, so it re-sends no task whose result waits). */
    public void drainAll() {
        while (!results.isEmpty()) {
            drain();
        }
    }

    private void drain() {
        lastDrainNanos = System.nanoTime();
        drainScheduled.set(false);
        List<Queued<I>> group = new ArrayList<>();
        Queued<I> queued;
        while (group.size() < MAX_RESULTS_PER_COMMIT && (queued = results.poll()) != null) {
            group.add(queued);
        }
        if (!group.isEmpty()) {
            commit.accept(group);
        }
        if (!results.isEmpty() && drainScheduled.compareAndSet(false, true)) {
            loop.execute(this::drain);
        }
    }
}
