package io.snapbus.jobs.backup;

import io.snapbus.avro.BackupContent;
import io.snapbus.avro.BackupJobHeader;
import io.snapbus.avro.BackupJobRecord;
import io.snapbus.avro.BackupJobState;
import io.snapbus.avro.BackupMetaChunk;
import io.snapbus.avro.BackupTabletChunk;
import io.snapbus.avro.JobErrorCode;
import io.snapbus.avro.JobStatus;
import io.snapbus.avro.TableRef;
import io.snapbus.avro.TabletBackupState;
import io.snapbus.avro.TabletChecksum;
import io.snapbus.avro.TabletPhase;
import io.snapbus.jobs.engine.AgentWork;
import io.snapbus.jobs.engine.LazyRecords;
import io.snapbus.jobs.engine.PendingTask;
import io.snapbus.jobs.engine.PendingTaskStates;
import io.snapbus.jobs.engine.TaskBook;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A job as the keyed parts of the compacted backup-jobs topic: the header under {@code <jobId>}, tablets in chunks
 * under {@code <jobId>/tablets/<n>}, the catalog copy under {@code <jobId>/meta/<n>}, so no record nears the
 * broker's size limit whatever the tablet count. {@link #of} is the whole job; a persist usually writes only what
 * changed ({@link BackupRecordsDelta}), and a replay reads them back with {@link BackupRecordVersions}.
 */
public final class BackupRecords {
    /**
     * Tablets per chunk: ~250 bytes each keeps a chunk near 50 KB, far under the broker's 1 MB default. A group commit
     * rewrites every chunk with a changed tablet, and results arrive spread over the chunks the nodes are working
     * through, so bytes written grow with the chunk size (1 000 tablets per chunk wrote ~4.5 KB per tablet of the job).
     */
    public static final int TABLETS_PER_CHUNK = 200;
    private static final int META_OBJECTS_PER_CHUNK = 50;

    private BackupRecords() {}

    /**
     * Record key to value, header last: it is the commit point a replay trusts for the job's state. Each chunk is
     * built when it is read (a million-tablet job has 5 000), from the job's immutable values.
     */
    public static LazyRecords<BackupJobRecord> of(BackupJob job) {
        LazyRecords<BackupJobRecord> records = new LazyRecords<>();
        List<TabletProgress> tablets = tabletsInPlanOrder(job);
        Map<Long, PendingTask> pendingByTablet = pendingByTablet(job);
        int tabletChunks = chunkCount(tablets.size(), TABLETS_PER_CHUNK);
        int metaChunks = metaChunkCount(job);
        for (int n = 0; n < tabletChunks; n++) {
            int chunk = n;
            records.add(tabletChunkKey(job.jobId(), n), () -> tabletChunk(job, tablets, pendingByTablet, chunk));
        }
        for (int n = 0; n < metaChunks; n++) {
            int chunk = n;
            records.add(metaChunkKey(job.jobId(), n), () -> metaChunk(job, chunk));
        }
        records.addBuilt(headerKey(job.jobId()), headerRecord(job, tablets.size()));
        return records;
    }

    /** The job's tablets in plan order (table, partition, index, bucket), which a restore of the plan relies on. */
    static List<TabletProgress> tabletsInPlanOrder(BackupJob job) {
        return job.plan() == null ? List.of() : job.plan().tablets().stream()
                .map(t -> job.tablets().get(t.ref().getTabletId())).filter(java.util.Objects::nonNull).toList();
    }

    static Map<Long, PendingTask> pendingByTablet(BackupJob job) {
        Map<Long, PendingTask> pendingByTablet = new java.util.HashMap<>();
        job.pendingTasks().values().forEach(task -> task.tabletIds().forEach(id -> pendingByTablet.put(id, task)));
        return pendingByTablet;
    }

    static int chunkCount(int items, int perChunk) {
        return (items + perChunk - 1) / perChunk;
    }

    static int metaChunkCount(BackupJob job) {
        return job.plan() == null ? 0 : chunkCount(job.plan().metaObjects().size(), META_OBJECTS_PER_CHUNK);
    }

    public static String headerKey(long jobId) {
        return Long.toString(jobId);
    }

    public static String tabletChunkKey(long jobId, int n) {
        return jobId + "/tablets/" + n;
    }

    public static String metaChunkKey(long jobId, int n) {
        return jobId + "/meta/" + n;
    }

    /** Chunk {@code n} of {@code tablets} (the job's tablets in plan order). */
    static BackupJobRecord tabletChunk(BackupJob job, List<TabletProgress> tablets,
            Map<Long, PendingTask> pendingByTablet, int n) {
        List<TabletBackupState> chunk = tablets.subList(n * TABLETS_PER_CHUNK,
                Math.min(tablets.size(), (n + 1) * TABLETS_PER_CHUNK)).stream()
                .map(t -> tablet(t, pendingByTablet.get(t.tabletId()))).toList();
        return new BackupJobRecord(job.jobId(), job.stateSeq(), new BackupTabletChunk(n, chunk));
    }

    static BackupJobRecord metaChunk(BackupJob job, int n) {
        List<Object> meta = job.plan().metaObjects();
        return new BackupJobRecord(job.jobId(), job.stateSeq(), new BackupMetaChunk(n, new ArrayList<>(
                meta.subList(n * META_OBJECTS_PER_CHUNK, Math.min(meta.size(), (n + 1) * META_OBJECTS_PER_CHUNK)))));
    }

    static BackupJobRecord headerRecord(BackupJob job, int tabletCount) {
        return new BackupJobRecord(job.jobId(), job.stateSeq(), header(job, tabletCount,
                chunkCount(tabletCount, TABLETS_PER_CHUNK), metaChunkCount(job)));
    }

    static BackupJobHeader header(BackupJob job, int tabletCount, int tabletChunks, int metaChunks) {
        BackupRequest request = job.request();
        Map<String, String> errors = new LinkedHashMap<>();
        job.taskErrors().entrySet().stream().limit(TaskBook.ERRORS_SHOWN)
                .forEach(e -> errors.put(Long.toString(e.getKey()), e.getValue()));
        Map<String, Long> commitSeqs = new LinkedHashMap<>();
        if (job.plan() != null) {
            job.plan().tableCommitSeqs().forEach((table, seq) -> commitSeqs.put(Long.toString(table), seq));
        }
        return BackupJobHeader.newBuilder()
                .setLabel(request.label())
                .setDbId(job.plan() == null ? -1 : job.plan().dbId())
                .setDbName(request.dbName())
                .setRepository(job.repository())
                .setState(BackupJobState.valueOf(job.state().name()))
                .setContent(BackupContent.valueOf(request.content().name()))
                .setTableRefs(request.tables().stream().map(t -> new TableRef(t.name(),
                        t.partitions().isEmpty() ? null : t.partitions())).toList())
                .setCreateTimeMs(job.createTimeMs())
                .setSnapshotFinishedTimeMs(job.snapshotFinishedTimeMs())
                .setUploadFinishedTimeMs(job.uploadFinishedTimeMs())
                .setFinishedTimeMs(job.finishedTimeMs())
                .setTimeoutMs(job.timeoutMs())
                .setStatus(new JobStatus(JobErrorCode.valueOf(job.status().code().name()),
                        job.status().message()))
                .setProperties(request.properties())
                .setTableCommitSeqs(commitSeqs)
                .setDroppedTableIds(job.droppedTables().stream().sorted().toList())
                .setDroppedPartitionIds(droppedPartitions(job))
                .setDroppedObjects(job.droppedObjects())
                .setTabletCount(tabletCount)
                .setTabletChunkCount(tabletChunks)
                .setMetaChunkCount(metaChunks)
                .setLocalJobDir(job.localJobDir())
                .setLocalSnapshotReleased(job.localSnapshotReleased())
                .setJobInfoFileName(job.jobInfoFileName())
                .setMetaFileName(job.metaFileName())
                .setTaskErrors(errors)
                .setNextTaskSeq(job.nextTaskSeq())
                .setLastInfoAttemptMs(job.lastInfoAttemptMs())
                .build();
    }

    private static Map<String, List<Long>> droppedPartitions(BackupJob job) {
        Map<String, List<Long>> dropped = new LinkedHashMap<>();
        job.droppedPartitions().forEach((table, partitions) -> dropped.put(Long.toString(table),
                partitions.stream().sorted().toList()));
        return dropped;
    }

    /**
     * A tablet's progress; a pending task's signature goes with it so a resumed job still waits for its result. The
     * task's retry bookkeeping is stored once, with the task's first tablet: an UPLOAD's other (up to 9) tablets
     * name it by signature only, so the bookkeeping is not repeated ten times, and the task still lives in one
     * chunk record with a tablet it carries (a change to the task rewrites its tablets' chunks anyway, since a
     * re-send changes the signature every one of them names).
     */
    private static TabletBackupState tablet(TabletProgress t, PendingTask pending) {
        BackupPlan.PlannedTablet plan = t.tablet();
        boolean snapshotPending = pending != null && pending.kind() == AgentWork.Kind.MAKE_SNAPSHOT;
        boolean uploadPending = pending != null && pending.kind() == AgentWork.Kind.UPLOAD;
        return TabletBackupState.newBuilder()
                .setTablet(plan.ref())
                .setVersion(plan.version())
                .setBackendId(plan.backendId())
                .setReplicaId(plan.replicaId())
                .setPhase(switch (t.phase()) {
                    case SNAPSHOT_PENDING -> TabletPhase.SNAPSHOT_PENDING;
                    case SNAPSHOT_DONE -> TabletPhase.SNAPSHOT_DONE;
                    case UPLOADED -> TabletPhase.UPLOADED;
                })
                .setSnapshotSignature(snapshotPending ? pending.signature() : 0)
                .setUploadSignature(uploadPending ? pending.signature() : 0)
                .setSnapshotPath(t.snapshotPath())
                .setFiles(t.files())
                .setUploadedBytes(t.bytes())
                .setChecksum(t.checksum() == null ? null
                        : new TabletChecksum(t.checksum().rows(), t.checksum().checksum()))
                .setTriedBackendIds(t.triedBackendIds())
                .setPendingTask(pending != null && pending.tabletIds().get(0) == t.tabletId()
                        ? PendingTaskStates.of(pending) : null)
                .build();
    }
}
