package io.snapbus.jobs.backup.shell;

import io.snapbus.avro.TaskFinished;
import io.snapbus.avro.TaskProgress;
import io.snapbus.avro.TaskResult;
import io.snapbus.jobs.backup.BackupInput;
import io.snapbus.rows.ContentChecksum;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Task results on their way into the jobs, applied in group commits: results queue up here (any thread) and the loop
 * takes all that arrived, up to {@value #MAX_RESULTS_PER_COMMIT}, at most once per commit interval, so one persist per
 * job covers many results.
 */
final class ResultIntake {
    /** Results one group commit applies at most, so a flood of them still lets ticks and requests in. */
    static final int MAX_RESULTS_PER_COMMIT = 5000;

    /** A result turned into the input of its job. */
    record Queued(long jobId, BackupInput input) {}

    private final ConcurrentLinkedQueue<Queued> results = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final Executor loop;
    private final ScheduledExecutorService timer;
    private final long commitIntervalNanos;
    private final Consumer<List<Queued>> commit;
    /** When the last group commit began; the next waits until the commit interval has passed since. */
    private volatile long lastDrainNanos = System.nanoTime();

    /**
     * @param commit applies one group of results, on the loop
     */
    ResultIntake(Executor loop, ScheduledExecutorService timer, Duration commitInterval, Consumer<List<Queued>> commit) {
        this.loop = loop;
        this.timer = timer;
        this.commitIntervalNanos = commitInterval.toNanos();
        this.commit = commit;
    }

    /** Queues a job's task result; the group commit that applies it is scheduled if none is. */
    void add(long jobId, TaskResult result, long nowMs) {
        BackupInput input = toInput(result, nowMs);
        if (input == null) {
            return;
        }
        results.add(new Queued(jobId, input));
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
    void drainAll() {
        while (!results.isEmpty()) {
            drain();
        }
    }

    private void drain() {
        lastDrainNanos = System.nanoTime();
        drainScheduled.set(false);
        List<Queued> group = new ArrayList<>();
        Queued queued;
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

    static BackupInput toInput(TaskResult result, long now) {
        if (result.getEvent() instanceof TaskProgress progress) {
            return new BackupInput.Progress(result.getSignature(), progress.getFinishedNum(), progress.getTotalNum(),
                    now);
        }
        TaskFinished finished = (TaskFinished) result.getEvent();
        var status = finished.getStatus();
        switch (result.getTaskType()) {
            case MAKE_SNAPSHOT:
                Map<Long, ContentChecksum> checksums = new HashMap<>();
                if (finished.getTabletChecksums() != null) {
                    finished.getTabletChecksums().forEach((tablet, sum) -> checksums.put(Long.parseLong(tablet),
                            new ContentChecksum(sum.getRowCount(), sum.getChecksum())));
                }
                return new BackupInput.SnapshotFinished(result.getSignature(), status.getCode(), status.getCodeName(),
                        status.getErrorMsgs(), finished.getSnapshotPath(), finished.getSnapshotFiles(), checksums,
                        now);
            case UPLOAD:
                Map<Long, List<String>> files = new HashMap<>();
                if (finished.getTabletFiles() != null) {
                    finished.getTabletFiles().forEach((tablet, names) -> files.put(Long.parseLong(tablet), names));
                }
                Map<Long, Long> bytes = new HashMap<>();
                if (finished.getTabletBytes() != null) {
                    finished.getTabletBytes().forEach((tablet, size) -> bytes.put(Long.parseLong(tablet), size));
                }
                return new BackupInput.UploadFinished(result.getSignature(), status.getCode(), status.getCodeName(),
                        status.getErrorMsgs(), files, bytes, now);
            default:
                return null; // RELEASE_SNAPSHOT is fire-and-forget, as in Doris
        }
    }
}
