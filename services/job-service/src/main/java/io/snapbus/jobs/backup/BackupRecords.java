package io.snapbus.jobs.backup;

import io.snapbus.avro.BackupContent;
import io.snapbus.avro.BackupJobHeader;
import io.snapbus.avro.BackupJobRecord;
import io.snapbus.avro.BackupJobState;
import io.snapbus.avro.BackupMetaChunk;
import io.snapbus.avro.BackupTabletChunk;
import io.snapbus.avro.JobErrorCode;
import io.snapbus.avro.TableRef;
import io.snapbus.avro.TabletBackupState;
import io.snapbus.avro.TabletPhase;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A job as the keyed parts of the compacted backup-jobs topic: the header under {@code <jobId>}, tablets in chunks
 * under {@code <jobId>/tablets/<n>}, the catalog copy under {@code <jobId>/meta/<n>}, so no record nears the
 * broker's size limit whatever the tablet count.
 */
public final class BackupRecords {
    /** Tablets per chunk: ~250 bytes each keeps a chunk near 250 KB, well under the 1 MB default. */
    public static final int TABLETS_PER_CHUNK = 1000;
    private static final int META_OBJECTS_PER_CHUNK = 50;

    private BackupRecords() {}

    /** Record key to value, header last: it is the commit point a replay trusts for the job's state. */
    public static Map<String, BackupJobRecord> of(BackupJob job) {
        Map<String, BackupJobRecord> records = new LinkedHashMap<>();
        // In plan order (table, partition, index, bucket), which a restore of the plan relies on.
        List<TabletProgress> tablets = job.plan() == null ? List.of() : job.plan().tablets().stream()
                .map(t -> job.tablets().get(t.ref().getTabletId())).filter(java.util.Objects::nonNull).toList();
        Map<Long, PendingTask> pendingByTablet = new java.util.HashMap<>();
        job.pendingTasks().values().forEach(task -> task.tabletIds().forEach(id -> pendingByTablet.put(id, task)));
        int tabletChunks = (tablets.size() + TABLETS_PER_CHUNK - 1) / TABLETS_PER_CHUNK;
        List<Object> meta = job.plan() == null ? List.of() : job.plan().metaObjects();
        int metaChunks = (meta.size() + META_OBJECTS_PER_CHUNK - 1) / META_OBJECTS_PER_CHUNK;
        for (int n = 0; n < tabletChunks; n++) {
            List<TabletBackupState> chunk = tablets.subList(n * TABLETS_PER_CHUNK,
                    Math.min(tablets.size(), (n + 1) * TABLETS_PER_CHUNK)).stream()
                    .map(t -> tablet(t, pendingByTablet.get(t.tabletId()))).toList();
            records.put(job.jobId() + "/tablets/" + n, new BackupJobRecord(job.jobId(), job.stateSeq(),
                    new BackupTabletChunk(n, chunk)));
        }
        for (int n = 0; n < metaChunks; n++) {
            records.put(job.jobId() + "/meta/" + n, new BackupJobRecord(job.jobId(), job.stateSeq(),
                    new BackupMetaChunk(n, new ArrayList<>(meta.subList(n * META_OBJECTS_PER_CHUNK,
                            Math.min(meta.size(), (n + 1) * META_OBJECTS_PER_CHUNK))))));
        }
        records.put(Long.toString(job.jobId()), new BackupJobRecord(job.jobId(), job.stateSeq(),
                header(job, tablets.size(), tabletChunks, metaChunks)));
        return records;
    }

    static BackupJobHeader header(BackupJob job, int tabletCount, int tabletChunks, int metaChunks) {
        BackupRequest request = job.request();
        Map<String, String> errors = new LinkedHashMap<>();
        job.taskErrors().entrySet().stream().limit(100).forEach(e -> errors.put(Long.toString(e.getKey()), e.getValue()));
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
                .setStatus(new io.snapbus.avro.JobStatus(JobErrorCode.valueOf(job.status().code().name()),
                        job.status().message()))
                .setProperties(request.properties())
                .setTableCommitSeqs(commitSeqs)
                .setDroppedTableIds(job.droppedTables().stream().sorted().toList())
                .setDroppedPartitionIds(droppedPartitions(job))
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

    /** A tablet's progress; a pending task's signature goes with it so a resumed job still waits for its result. */
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
                .setTriedBackendIds(t.triedBackendIds())
                .build();
    }
}
