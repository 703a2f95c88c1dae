package io.snapbus.jobs.backup;

import io.snapbus.avro.RepositoryRef;
import io.snapbus.avro.StorageType;
import io.snapbus.avro.TabletRef;
import io.snapbus.jobs.engine.DebugHolds;
import io.snapbus.jobs.engine.EngineJob;
import io.snapbus.jobs.engine.IdTable;
import io.snapbus.jobs.engine.NodeReport;
import io.snapbus.jobs.engine.PendingTask;
import io.snapbus.jobs.engine.Status;
import io.snapbus.jobs.engine.TabletChanges;
import io.snapbus.jobs.engine.TaskBook;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.pcollections.HashTreePMap;
import org.pcollections.HashTreePSet;
import org.pcollections.PMap;
import org.pcollections.PSet;
import org.pcollections.PSortedMap;

/**
 * A backup job as a value. Persistent maps keep a change to one tablet cheap (O(log n)) at 300 000 tablets, so the
 * machine can stay a pure function from job to job; the tablets sit in an {@link IdTable}, ~13 bytes per entry.
 *
 * @param tablets      tablet id to its progress (empty until PENDING planned the job)
 * @param tasks        the tasks the job awaits, their retry bookkeeping, errors and progress shown, the nodes' task
 *                     reports (not persisted) and the next task signature's sequence
 * @param stateSeq     increases with every persisted change
 * @param lastInfoAttemptMs when UPLOAD_INFO last tried, for its retry
 * @param droppedTables     tables dropped during SNAPSHOTING; their tablets left the job, the plan no longer has them
 * @param droppedPartitions table id to its partitions dropped or truncated during SNAPSHOTING, left out likewise
 * @param droppedObjects    what was left out, by name and id ("table orders (id 123)"), in the order it was found: for
 *                          SHOW BACKUP, the job info and meta files and the job's events
 * @param localSnapshotReleased a FINISHED keep-on-local job whose snapshot expired and was released
 * @param changedTablets    tablets changed since the last persisted state, for a persist that writes only those
 * @param counts            how many tablets are snapshotted and uploaded (derived from {@code tablets}), so progress
 *                          shown with every event and answer does not walk every tablet
 * @param holds             the debug points that apply to the job (not persisted)
 */
public record BackupJob(
        long jobId,
        BackupRequest request,
        RepositoryRef repository,
        BackupState state,
        long createTimeMs,
        long snapshotFinishedTimeMs,
        long uploadFinishedTimeMs,
        long finishedTimeMs,
        Status status,
        BackupPlan plan,
        PMap<Long, TabletProgress> tablets,
        TaskBook tasks,
        long stateSeq,
        String localJobDir,
        String metaFileName,
        String jobInfoFileName,
        boolean localSnapshotReleased,
        long lastInfoAttemptMs,
        PSet<Long> droppedTables,
        PMap<Long, PSet<Long>> droppedPartitions,
        List<String> droppedObjects,
        TabletChanges changedTablets,
        TabletCounts counts,
        DebugHolds<BackupState> holds) implements EngineJob {

    /**
     * The job's tablets, those past SNAPSHOT_PENDING and those UPLOADED, with the files and bytes the uploaded ones
     * hold in the repository. They stay when a done job forgets its tablets ({@link #retired()}).
     */
    public record TabletCounts(int tablets, int snapshotted, int uploaded, long filesUploaded, long bytesUploaded) {
        static final TabletCounts NONE = new TabletCounts(0, 0, 0, 0, 0);

        /** The counts after {@code before} (null: absent) became {@code after} (null: removed). */
        TabletCounts changed(TabletProgress before, TabletProgress after) {
            return new TabletCounts(tablets - (before == null ? 0 : 1) + (after == null ? 0 : 1),
                    snapshotted - snapshotted(before) + snapshotted(after),
                    uploaded - uploaded(before) + uploaded(after),
                    filesUploaded - files(before) + files(after), bytesUploaded - bytes(before) + bytes(after));
        }

        private static long files(TabletProgress t) {
            return uploaded(t) == 1 ? t.fileCount() : 0;
        }

        private static long bytes(TabletProgress t) {
            return uploaded(t) == 1 ? t.bytes() : 0;
        }

        private static int snapshotted(TabletProgress t) {
            return t != null && t.phase() != TabletProgress.Phase.SNAPSHOT_PENDING ? 1 : 0;
        }

        private static int uploaded(TabletProgress t) {
            return t != null && t.phase() == TabletProgress.Phase.UPLOADED ? 1 : 0;
        }
    }

    /** Signature to the task the job waits for, by signature. */
    public PSortedMap<Long, PendingTask> pendingTasks() {
        return tasks.pending();
    }

    /** Signature to the last error of a task. */
    public PMap<Long, String> taskErrors() {
        return tasks.errors();
    }

    /** Signature to "finished/total" files of a running upload. */
    public PMap<Long, String> taskProgress() {
        return tasks.progress();
    }

    /** Sequence of the next task signature of this job. */
    public long nextTaskSeq() {
        return tasks.nextTaskSeq();
    }

    /** A new job in PENDING. */
    public static BackupJob created(long jobId, BackupRequest request, RepositoryRef repository, long nowMs) {
        return new BackupJob(jobId, request, repository, BackupState.PENDING, nowMs, -1, -1, -1, Status.OK, null,
                IdTable.empty(), TaskBook.empty(), 1, null, null, null, false, -1, HashTreePSet.empty(),
                HashTreePMap.empty(), List.of(), TabletChanges.since(1), TabletCounts.NONE, DebugHolds.none());
    }

    public String label() {
        return request.label();
    }

    public boolean isDone() {
        return state.isDone();
    }

    public long timeoutMs() {
        return request.timeoutMs();
    }

    /** Whether the job's snapshots stay on the nodes instead of going to a repository (Doris's __keep_on_local__). */
    public boolean isKeepOnLocal() {
        return repository.getStorageType() == StorageType.KEEP_ON_LOCAL;
    }

    /**
     * Whether UPLOAD_SNAPSHOT first stores in the label the files earlier snapshots of the repository hold (an
     * incremental backup, the default): not for a keep-on-local or metadata-only job, nor with {@code "type": "full"},
     * which uploads every file again.
     */
    public boolean reusesRepositoryFiles() {
        return !isKeepOnLocal() && request.content() == BackupRequest.Content.ALL
                && !BackupRequest.TYPE_FULL.equalsIgnoreCase(request.properties().getOrDefault("type", ""));
    }

    /** When a keep-on-local snapshot expires: creation plus timeout, as Doris's getSnapshot computes it. */
    public long localSnapshotExpiresAtMs() {
        return createTimeMs + timeoutMs();
    }

    /** A FINISHED keep-on-local job whose snapshots are still on the nodes: its expiry is still to be handled. */
    public boolean holdsLocalSnapshot() {
        return state == BackupState.FINISHED && isKeepOnLocal() && !localSnapshotReleased;
    }

    /**
     * What a done job keeps in memory once no state of it will be persisted again: everything but its tablets and
     * the per-tablet part of its plan, which the backup-jobs topic, the meta file and the job info hold. SHOW BACKUP
     * and the events read the counts. At a million tablets that frees ~350 MB of the job-service's heap per job. A
     * FINISHED keep-on-local job whose snapshots are still on the nodes keeps everything: releasing them at expiry
     * needs each tablet's snapshot, and that release is persisted.
     */
    public BackupJob retired() {
        if (!isDone() || holdsLocalSnapshot() || isRetired()) {
            return this;
        }
        return new BackupJob(jobId, request, repository, state, createTimeMs, snapshotFinishedTimeMs,
                uploadFinishedTimeMs, finishedTimeMs, status, plan == null ? null : plan.withoutTablets(),
                IdTable.empty(), tasks, stateSeq, localJobDir, metaFileName, jobInfoFileName, localSnapshotReleased,
                lastInfoAttemptMs, droppedTables, droppedPartitions, droppedObjects, TabletChanges.since(stateSeq),
                counts, holds);
    }

    /** Whether the job dropped its tablets from memory ({@link #retired()}): persisting it would lose them. */
    @Override
    public boolean isRetired() {
        return tablets.size() != counts.tablets();
    }

    /** Whether the tablet's table or partition was dropped (or truncated) while the job ran. */
    public boolean isDropped(TabletRef ref) {
        return droppedTables.contains(ref.getTableId())
                || droppedPartitions.getOrDefault(ref.getTableId(), HashTreePSet.empty()).contains(ref.getPartitionId());
    }

    Builder toBuilder() {
        return new Builder(this);
    }

    /** Changes to a job; every transition goes through it so no field is forgotten. */
    static final class Builder {
        private final BackupJob j;
        private RepositoryRef repository;
        private BackupState state;
        private long snapshotFinishedTimeMs;
        private long uploadFinishedTimeMs;
        private long finishedTimeMs;
        private Status status;
        private BackupPlan plan;
        private PMap<Long, TabletProgress> tablets;
        private TaskBook tasks;
        private String localJobDir;
        private String metaFileName;
        private String jobInfoFileName;
        private boolean localSnapshotReleased;
        private long lastInfoAttemptMs;
        private PSet<Long> droppedTables;
        private PMap<Long, PSet<Long>> droppedPartitions;
        private List<String> droppedObjects;
        private long restoredStateSeq = -1;
        private TabletChanges changedTablets;
        private TabletCounts counts;
        private DebugHolds<BackupState> holds;

        private Builder(BackupJob j) {
            this.j = j;
            repository = j.repository;
            state = j.state;
            snapshotFinishedTimeMs = j.snapshotFinishedTimeMs;
            uploadFinishedTimeMs = j.uploadFinishedTimeMs;
            finishedTimeMs = j.finishedTimeMs;
            status = j.status;
            plan = j.plan;
            tablets = j.tablets;
            tasks = j.tasks;
            counts = j.counts;
            holds = j.holds;
            localJobDir = j.localJobDir;
            metaFileName = j.metaFileName;
            jobInfoFileName = j.jobInfoFileName;
            localSnapshotReleased = j.localSnapshotReleased;
            lastInfoAttemptMs = j.lastInfoAttemptMs;
            droppedTables = j.droppedTables;
            droppedPartitions = j.droppedPartitions;
            droppedObjects = j.droppedObjects;
            // A persisted state starts the changes afresh; an unpersisted one goes on collecting them.
            changedTablets = j.changedTablets.sinceStateSeq() < j.stateSeq ? TabletChanges.since(j.stateSeq)
                    : j.changedTablets;
        }

        Builder state(BackupState s) { state = s; return this; }
        Builder nodeReport(long backendId, NodeReport r) { tasks = tasks.withNodeReport(backendId, r); return this; }
        Builder holds(DebugHolds<BackupState> h) { holds = h; return this; }
        /** ALTER REPOSITORY: the same repository at a newer revision (properties, credential reference). */
        Builder repository(RepositoryRef r) { repository = r; return this; }
        Builder snapshotFinishedTimeMs(long t) { snapshotFinishedTimeMs = t; return this; }
        Builder uploadFinishedTimeMs(long t) { uploadFinishedTimeMs = t; return this; }
        Builder finishedTimeMs(long t) { finishedTimeMs = t; return this; }
        Builder status(Status s) { status = s; return this; }
        Builder plan(BackupPlan p) { plan = p; return this; }
        Builder tablet(TabletProgress t) {
            counts = counts.changed(tablets.get(t.tabletId()), t);
            tablets = tablets.plus(t.tabletId(), t);
            changedTablets = changedTablets.plus(t.tabletId());
            return this;
        }
        Builder tablets(Map<Long, TabletProgress> all) {
            for (Map.Entry<Long, TabletProgress> e : all.entrySet()) {
                counts = counts.changed(tablets.get(e.getKey()), e.getValue());
            }
            tablets = tablets.plusAll(all);
            changedTablets = changedTablets.plusAll(all.keySet());
            return this;
        }
        Builder pending(PendingTask t) {
            tasks = tasks.sent(t);
            changedTablets = changedTablets.plusAll(t.tabletIds());
            return this;
        }
        /**
         * The same task, only its liveness refreshed (a node showed it is working on it): not worth a write, so its
         * tablets are not marked changed. A restart loses the later retry time and re-sends the task sooner, which
         * a node answers as a duplicate.
         */
        Builder refreshed(PendingTask t) { tasks = tasks.refreshed(t); return this; }
        /** The tasks after a retry round; the tablets of the {@code touched} tasks are marked changed. */
        Builder tasks(TaskBook book, List<PendingTask> touched) {
            tasks = book;
            touched.forEach(t -> changedTablets = changedTablets.plusAll(t.tabletIds()));
            return this;
        }
        Builder done(long signature) {
            PendingTask task = tasks.pending().get(signature);
            if (task != null) {
                changedTablets = changedTablets.plusAll(task.tabletIds());
            }
            tasks = tasks.removed(signature);
            return this;
        }
        Builder taskError(long signature, String error) { tasks = tasks.withError(signature, error); return this; }
        Builder taskProgress(long signature, String p) { tasks = tasks.withProgress(signature, p); return this; }
        long nextSignatureSeq() {
            long seq = tasks.nextTaskSeq();
            tasks = tasks.withNextTaskSeq(seq + 1);
            return seq;
        }
        Builder localJobDir(String d) { localJobDir = d; return this; }
        Builder infoFiles(String meta, String info) { metaFileName = meta; jobInfoFileName = info; return this; }
        Builder lastInfoAttemptMs(long t) { lastInfoAttemptMs = t; return this; }
        Builder localSnapshotReleased(boolean released) { localSnapshotReleased = released; return this; }
        Builder removeTablet(long tabletId) {
            counts = counts.changed(tablets.get(tabletId), null);
            tablets = tablets.minus(tabletId);
            changedTablets = changedTablets.plus(tabletId);
            return this;
        }
        Builder droppedTable(long tableId) { droppedTables = droppedTables.plus(tableId); return this; }
        Builder droppedPartition(long tableId, long partitionId) {
            droppedPartitions = droppedPartitions.plus(tableId,
                    droppedPartitions.getOrDefault(tableId, HashTreePSet.empty()).plus(partitionId));
            return this;
        }
        /** Notes what a drop left out, by name ("table orders (id 123)"). */
        Builder droppedObject(String description) {
            List<String> all = new ArrayList<>(droppedObjects);
            all.add(description);
            droppedObjects = List.copyOf(all);
            return this;
        }
        /** For a restored job: what its drops left out, by name. */
        Builder droppedObjects(List<String> descriptions) { droppedObjects = List.copyOf(descriptions); return this; }
        /** For a restored job: the tables and partitions dropped while it ran. */
        Builder dropped(Set<Long> tables, Map<Long, ? extends Set<Long>> partitions) {
            droppedTables = HashTreePSet.from(tables);
            PMap<Long, PSet<Long>> p = HashTreePMap.empty();
            for (Map.Entry<Long, ? extends Set<Long>> e : partitions.entrySet()) {
                p = p.plus(e.getKey(), HashTreePSet.from(e.getValue()));
            }
            droppedPartitions = p;
            return this;
        }
        /** For a job rebuilt from its records: continue its task and state sequences where they were. */
        Builder restoredSequences(long taskSeq, long seq) {
            tasks = tasks.withNextTaskSeq(taskSeq);
            restoredStateSeq = seq;
            return this;
        }

        /** The new job; its state sequence moves on when {@code persisted}. */
        BackupJob build(boolean persisted) {
            return new BackupJob(j.jobId, j.request, repository, state, j.createTimeMs, snapshotFinishedTimeMs,
                    uploadFinishedTimeMs, finishedTimeMs, status, plan, tablets, tasks,
                    restoredStateSeq >= 0 ? restoredStateSeq
                            : persisted ? j.stateSeq + 1 : j.stateSeq, localJobDir, metaFileName,
                    jobInfoFileName, localSnapshotReleased, lastInfoAttemptMs, droppedTables, droppedPartitions,
                    droppedObjects,
                    restoredStateSeq >= 0 ? TabletChanges.since(restoredStateSeq) : changedTablets, counts, holds);
        }
    }
}
