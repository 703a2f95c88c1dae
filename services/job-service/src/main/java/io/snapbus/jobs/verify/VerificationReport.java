package io.snapbus.jobs.verify;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one verification has checked and found so far, filled in by its {@link SnapshotVerifier} on a worker thread
 * and read by REST and events on others. Only the first {@value #MAX_PROBLEMS} problems are kept; all are counted.
 * Reports live in the job-service's memory only: a restarted service has none.
 */
public final class VerificationReport implements VerificationSink {
    public static final int MAX_PROBLEMS = 1000;

    /** RUNNING until the verifier returns; then PASSED when no problem but NOT_RECORDED was found, else FAILED. */
    public enum State { RUNNING, PASSED, FAILED }

    private final long id;
    private final SnapshotTarget target;
    private final VerifyLevel level;
    private final long startedAtMs;
    private String dbName = "";
    private State state = State.RUNNING;
    private Long finishedAtMs;
    private String message = "";
    private long filesTotal;
    private long filesChecked;
    private long bytesRead;
    private long tabletsTotal;
    private long tabletsChecked;
    private long rowsRead;
    private long problemsTotal;
    private final List<Problem> problems = new ArrayList<>();
    private final Map<Problem.Kind, Long> problemsByKind = new EnumMap<>(Problem.Kind.class);

    public VerificationReport(long id, SnapshotTarget target, VerifyLevel level, long startedAtMs) {
        this.id = id;
        this.target = target;
        this.level = level;
        this.startedAtMs = startedAtMs;
    }

    public long id() {
        return id;
    }

    public SnapshotTarget target() {
        return target;
    }

    public VerifyLevel level() {
        return level;
    }

    @Override
    public synchronized void planned(String db, long files, long tablets) {
        dbName = db;
        filesTotal = files;
        tabletsTotal = tablets;
    }

    @Override
    public synchronized void problem(Problem problem) {
        problemsTotal++;
        problemsByKind.merge(problem.kind(), 1L, Long::sum);
        if (problems.size() < MAX_PROBLEMS) {
            problems.add(problem);
        }
    }

    @Override
    public synchronized void fileChecked(long bytes) {
        filesChecked++;
        bytesRead += bytes;
    }

    @Override
    public synchronized void tabletChecked(long rows) {
        tabletsChecked++;
        rowsRead += rows;
    }

    /** The verifier returned: PASSED or FAILED by what it found. */
    synchronized void finished(long nowMs) {
        boolean failed = problemsByKind.keySet().stream().anyMatch(Problem.Kind::fails);
        state = failed ? State.FAILED : State.PASSED;
        finishedAtMs = nowMs;
        message = summary();
    }

    /** The verifier itself failed (not the snapshot): FAILED with the reason. */
    synchronized void crashed(String reason, long nowMs) {
        state = State.FAILED;
        finishedAtMs = nowMs;
        message = "verification stopped: " + reason;
    }

    synchronized String dbName() {
        return dbName;
    }

    /** {@code 3 problems: 1 MISSING, 1 SIZE_MISMATCH, 1 MD5_MISMATCH} or {@code no problems}. */
    private String summary() {
        if (problemsTotal == 0) {
            return "no problems";
        }
        StringBuilder text = new StringBuilder(problemsTotal + (problemsTotal == 1 ? " problem: " : " problems: "));
        String separator = "";
        for (Map.Entry<Problem.Kind, Long> e : problemsByKind.entrySet()) {
            text.append(separator).append(e.getValue()).append(' ').append(e.getKey());
            separator = ", ";
        }
        return text.toString();
    }

    /** A consistent copy for REST and events. */
    public synchronized VerificationView view() {
        long done = filesChecked;
        long total = Math.max(filesTotal, filesChecked);
        double percent = state != State.RUNNING ? 100.0 : total == 0 ? 0.0 : Math.floor(1000.0 * done / total) / 10;
        Map<String, Long> byKind = new LinkedHashMap<>();
        problemsByKind.forEach((kind, count) -> byKind.put(kind.name(), count));
        return new VerificationView(id, target.repository(), target.label(), target.timestamp(), level.name(),
                state.name(), new VerificationView.Counts(filesChecked, filesTotal, bytesRead, tabletsChecked,
                        tabletsTotal, rowsRead),
                new VerificationView.Progress(done, total, percent), List.copyOf(problems), problemsTotal, byKind,
                startedAtMs, finishedAtMs, message);
    }
}
