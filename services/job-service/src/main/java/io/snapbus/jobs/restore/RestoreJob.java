package io.snapbus.jobs.restore;

import io.snapbus.avro.RepositoryRef;
import io.snapbus.jobs.engine.DebugHolds;
import io.snapbus.jobs.engine.EngineJob;
import io.snapbus.jobs.engine.IdTable;
import io.snapbus.jobs.engine.NodeReport;
import io.snapbus.jobs.engine.PendingTask;
import io.snapbus.jobs.engine.Status;
import io.snapbus.jobs.engine.TabletChanges;
import io.snapbus.jobs.engine.TaskBook;
import java.util.Collection;
import java.util.List;
import org.pcollections.PMap;

/**
 * A restore job as a value, beside {@link io.snapbus.jobs.backup.BackupJob} on the same engine: persistent maps keep
 * a change to one replica cheap at 300 000 tablets, so the machine stays a pure function from job to job.
 *
 * @param request         the restore as asked for (snapshot label, database, repository, tables, options)
 * @param repository      the repository the snapshot is read from
 * @param metadataOnly    the snapshot holds metadata only: replicas are created empty, nothing is downloaded
 * @param plan            what PENDING decided (null before, and again once the settled job is {@link #retired()})
 * @param catalogPrepared the plan's new tables and tablets are registered in the catalog (so a cancel must undo)
 * @param commitStep      where COMMITTING is (null before COMMITTING)
 * @param catalogUndone   a CANCELLED job whose catalog changes are undone (or never made)
 * @param replicas        replica id to its progress (empty until planned; an {@link IdTable}, ~13 bytes per entry)
 * @param tasks           the awaited tasks, their retry bookkeeping, errors and progress shown
 * @param stateSeq        increases with every persisted change
 * @param lastCatalogAttemptMs when the shell was last asked to change the catalog (prepare, commit or undo), for
 *                        asking again when its answer got lost
 * @param changedReplicas replicas changed since the last persisted state, for a persist that writes only those
 * @param counts          replicas at or past each phase (derived from {@code replicas})
 * @param holds           the debug points that apply to the job (not persisted)
 * @param window          how far the current state's task window has walked the replicas (not persisted: a
 *                        replayed job walks from the first replica again, skipping the ones done or awaited)
 */
public record RestoreJob(
        long jobId,
        RestoreRequest request,
        RepositoryRef repository,
        RestoreState state,
        long createTimeMs,
        long metaPreparedTimeMs,
        long snapshotFinishedTimeMs,
        long downloadFinishedTimeMs,
        long finishedTimeMs,
        Status status,
        boolean metadataOnly,
        RestorePlan plan,
        boolean catalogPrepared,
        CommitStep commitStep,
        boolean catalogUndone,
        PMap<Long, ReplicaRestore> replicas,
        TaskBook tasks,
        long stateSeq,
        long lastCatalogAttemptMs,
        TabletChanges changedReplicas,
        ReplicaCounts counts,
        DebugHolds<RestoreState> holds,
        TaskWindow window) implements EngineJob {

    /**
     * Where a state's task window stands: {@code walked} replicas (in the replica map's order) were passed by the
     * walks that found the tasks of {@code state} and {@code step}. Once a walk passed a replica it never needs a
     * new task of that state (a failing task is re-sent as itself), so the next walk goes on from there: a state tests
     * each replica once (a walk still steps over the ones passed before, which costs no lookups).
     */
    public record TaskWindow(RestoreState state, CommitStep step, int walked) {
        static final TaskWindow START = new TaskWindow(null, null, 0);

        /** Replicas already walked for {@code s} and {@code c}: none after a state change. */
        int walkedIn(RestoreState s, CommitStep c) {
            return s == state && c == step ? walked : 0;
        }

        /** Bookkeeping of the walks, not part of what the job is: equal to any other (as a replay loses it). */
        @Override
        public boolean equals(Object other) {
            return other instanceof TaskWindow;
        }

        @Override
        public int hashCode() {
            return 0;
        }
    }

    /**
     * The job's replicas, those at or past CREATED, SNAPSHOTTED, DOWNLOADED, MOVED and CHECKED, and the bytes
     * downloaded. They stay when a settled job forgets its replicas ({@link #retired()}).
     */
    public record ReplicaCounts(int replicas, int created, int snapshotted, int downloaded, int moved, int checked,
            long bytesDownloaded) {
        static final ReplicaCounts NONE = new ReplicaCounts(0, 0, 0, 0, 0, 0, 0);

        /** The counts after {@code before} (null: absent) became {@code after}. */
        ReplicaCounts changed(ReplicaRestore before, ReplicaRestore after) {
            return new ReplicaCounts(replicas + (before == null ? 1 : 0),
                    created + at(after, ReplicaRestore.Phase.CREATED) - at(before, ReplicaRestore.Phase.CREATED),
                    snapshotted + at(after, ReplicaRestore.Phase.SNAPSHOTTED)
                            - at(before, ReplicaRestore.Phase.SNAPSHOTTED),
                    downloaded + at(after, ReplicaRestore.Phase.DOWNLOADED)
                            - at(before, ReplicaRestore.Phase.DOWNLOADED),
                    moved + at(after, ReplicaRestore.Phase.MOVED) - at(before, ReplicaRestore.Phase.MOVED),
                    checked + at(after, ReplicaRestore.Phase.CHECKED) - at(before, ReplicaRestore.Phase.CHECKED),
                    bytesDownloaded + bytes(after) - bytes(before));
        }

        private static int at(ReplicaRestore r, ReplicaRestore.Phase phase) {
            return r != null && r.reached(phase) ? 1 : 0;
        }

        private static long bytes(ReplicaRestore r) {
            return r == null ? 0 : r.bytesDownloaded();
        }
    }

    /** A new job in PENDING. */
    public static RestoreJob created(long jobId, RestoreRequest request, RepositoryRef repository, long nowMs) {
        return new RestoreJob(jobId, request, repository, RestoreState.PENDING, nowMs, -1, -1, -1, -1, Status.OK,
                false, null, false, null, false, IdTable.empty(), TaskBook.empty(), 1, -1,
                TabletChanges.since(1), ReplicaCounts.NONE, DebugHolds.none(), TaskWindow.START);
    }

    @Override
    public String label() {
        return request.label();
    }

    @Override
    public boolean isDone() {
        return state.isDone();
    }

    /** A cancelled job still records its catalog undo once it is taken. */
    @Override
    public boolean settled() {
        return state == RestoreState.FINISHED || state == RestoreState.CANCELLED && catalogUndone;
    }

    /**
     * What a settled job keeps in memory: everything but its replicas and its plan (null from now on), which the
     * restore-jobs topic holds; SHOW RESTORE and the events read the counts. A million replicas free ~450 MB.
     */
    public RestoreJob retired() {
        if (!settled() || isRetired()) {
            return this;
        }
        return new RestoreJob(jobId, request, repository, state, createTimeMs, metaPreparedTimeMs,
                snapshotFinishedTimeMs, downloadFinishedTimeMs, finishedTimeMs, status, metadataOnly, null,
                catalogPrepared, commitStep, catalogUndone, IdTable.empty(), tasks, stateSeq, lastCatalogAttemptMs,
                TabletChanges.since(stateSeq), counts, holds, TaskWindow.START);
    }

    /** Whether the job dropped its replicas from memory ({@link #retired()}): persisting it would lose them. */
    @Override
    public boolean isRetired() {
        return replicas.size() != counts.replicas();
    }

    public long timeoutMs() {
        return request.options().timeoutMs();
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Changes to a job; every transition goes through it so no field is forgotten. */
    public static final class Builder {
        private final RestoreJob j;
        private RepositoryRef repository;
        private RestoreState state;
        private long metaPreparedTimeMs;
        private long snapshotFinishedTimeMs;
        private long downloadFinishedTimeMs;
        private long finishedTimeMs;
        private Status status;
        private boolean metadataOnly;
        private RestorePlan plan;
        private boolean catalogPrepared;
        private CommitStep commitStep;
        private boolean catalogUndone;
        private PMap<Long, ReplicaRestore> replicas;
        private TaskBook tasks;
        private long lastCatalogAttemptMs;
        private TabletChanges changed;
        private ReplicaCounts counts;
        private DebugHolds<RestoreState> holds;
        private TaskWindow window;
        private long restoredStateSeq = -1;

        private Builder(RestoreJob j) {
            this.j = j;
            repository = j.repository;
            state = j.state;
            metaPreparedTimeMs = j.metaPreparedTimeMs;
            snapshotFinishedTimeMs = j.snapshotFinishedTimeMs;
            downloadFinishedTimeMs = j.downloadFinishedTimeMs;
            finishedTimeMs = j.finishedTimeMs;
            status = j.status;
            metadataOnly = j.metadataOnly;
            plan = j.plan;
            catalogPrepared = j.catalogPrepared;
            commitStep = j.commitStep;
            catalogUndone = j.catalogUndone;
            replicas = j.replicas;
            tasks = j.tasks;
            lastCatalogAttemptMs = j.lastCatalogAttemptMs;
            counts = j.counts;
            holds = j.holds;
            window = j.window;
            // A persisted state starts the changes afresh; an unpersisted one goes on collecting them.
            changed = j.changedReplicas.sinceStateSeq() < j.stateSeq ? TabletChanges.since(j.stateSeq)
                    : j.changedReplicas;
        }

        public Builder state(RestoreState s) { state = s; return this; }
        public Builder repository(RepositoryRef r) { repository = r; return this; }
        public Builder metaPreparedTimeMs(long t) { metaPreparedTimeMs = t; return this; }
        public Builder snapshotFinishedTimeMs(long t) { snapshotFinishedTimeMs = t; return this; }
        public Builder downloadFinishedTimeMs(long t) { downloadFinishedTimeMs = t; return this; }
        public Builder finishedTimeMs(long t) { finishedTimeMs = t; return this; }
        public Builder status(Status s) { status = s; return this; }
        public Builder metadataOnly(boolean m) { metadataOnly = m; return this; }
        public Builder plan(RestorePlan p) { plan = p; return this; }
        public Builder catalogPrepared(boolean p) { catalogPrepared = p; return this; }
        public Builder commitStep(CommitStep s) { commitStep = s; return this; }
        public Builder catalogUndone(boolean u) { catalogUndone = u; return this; }
        public Builder lastCatalogAttemptMs(long t) { lastCatalogAttemptMs = t; return this; }
        public Builder holds(DebugHolds<RestoreState> h) { holds = h; return this; }
        public Builder window(TaskWindow w) { window = w; return this; }
        public Builder nodeReport(long backendId, NodeReport r) {
            tasks = tasks.withNodeReport(backendId, r);
            return this;
        }

        public Builder replica(ReplicaRestore r) {
            counts = counts.changed(replicas.get(r.replicaId()), r);
            replicas = replicas.plus(r.replicaId(), r);
            changed = changed.plus(r.replicaId());
            return this;
        }

        public Builder replicas(Collection<ReplicaRestore> all) {
            all.forEach(this::replica);
            return this;
        }

        public Builder pending(PendingTask t) {
            tasks = tasks.sent(t);
            changed = changed.plusAll(t.tabletIds());
            return this;
        }

        /** The same task, only its liveness refreshed: not worth a write. */
        public Builder refreshed(PendingTask t) { tasks = tasks.refreshed(t); return this; }

        /** The tasks after a retry round; the replicas of the {@code touched} tasks are marked changed. */
        public Builder tasks(TaskBook book, List<PendingTask> touched) {
            tasks = book;
            touched.forEach(t -> changed = changed.plusAll(t.tabletIds()));
            return this;
        }

        public Builder done(long signature) {
            PendingTask task = tasks.pending().get(signature);
            if (task != null) {
                changed = changed.plusAll(task.tabletIds());
            }
            tasks = tasks.removed(signature);
            return this;
        }

        public Builder taskError(long signature, String error) {
            tasks = tasks.withError(signature, error);
            return this;
        }
        public Builder taskProgress(long signature, String p) { tasks = tasks.withProgress(signature, p); return this; }

        public long nextSignatureSeq() {
            long seq = tasks.nextTaskSeq();
            tasks = tasks.withNextTaskSeq(seq + 1);
            return seq;
        }

        /** For a job rebuilt from its records: continue its task and state sequences where they were. */
        public Builder restoredSequences(long taskSeq, long seq) {
            tasks = tasks.withNextTaskSeq(taskSeq);
            restoredStateSeq = seq;
            return this;
        }

        /** The new job; its state sequence moves on when {@code persisted}. */
        public RestoreJob build(boolean persisted) {
            long seq = restoredStateSeq >= 0 ? restoredStateSeq : persisted ? j.stateSeq + 1 : j.stateSeq;
            return new RestoreJob(j.jobId, j.request, repository, state, j.createTimeMs, metaPreparedTimeMs,
                    snapshotFinishedTimeMs, downloadFinishedTimeMs, finishedTimeMs, status, metadataOnly, plan,
                    catalogPrepared, commitStep, catalogUndone, replicas, tasks, seq, lastCatalogAttemptMs,
                    restoredStateSeq >= 0 ? TabletChanges.since(restoredStateSeq) : changed, counts, holds, window);
        }
    }
}
