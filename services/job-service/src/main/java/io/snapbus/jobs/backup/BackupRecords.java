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
import java.util.Comparator;
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

    /** Record key to value, header first. */
    public static Map<String, BackupJobRecord> of(BackupJob job) {
        Map<String, BackupJobRecord> records = new LinkedHashMap<>();
        List<TabletProgress> tablets = new ArrayList<>(job.tablets().values());
        tablets.sort(Comparator.comparingLong(TabletProgress::tabletId));
        int tabletChunks = (tablets.size() + TABLETS_PER_CHUNK - 1) / TABLETS_PER_CHUNK;
        List<Object> meta = job.plan() == null ? List.of() : job.plan().metaObjects();
        int metaChunks = (meta.size() + META_OBJECTS_PER_CHUNK - 1) / META_OBJECTS_PER_CHUNK;
        records.put(Long.toString(job.jobId()), new BackupJobRecord(job.jobId(), job.stateSeq(),
                header(job, tablets.size(), tabletChunks, metaChunks)));
        for (int n = 0; n < tabletChunks; n++) {
            List<TabletBackupState> chunk = tablets.subList(n * TABLETS_PER_CHUNK,
                    Math.min(tablets.size(), (n + 1) * TABLETS_PER_CHUNK)).stream().map(BackupRecords::tablet).toList();
            records.put(job.jobId() + "/tablets/" + n, new BackupJobRecord(job.jobId(), job.stateSeq(),
                    new BackupTabletChunk(n, chunk)));
        }
        for (int n = 0; n < metaChunks; n++) {
            records.put(job.jobId() + "/meta/" + n, new BackupJobRecord(job.jobId(), job.stateSeq(),
                    new BackupMetaChunk(n, new ArrayList<>(meta.subList(n * META_OBJECTS_PER_CHUNK,
                            Math.min(meta.size(), (n + 1) * META_OBJECTS_PER_CHUNK))))));
        }
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
                .setDroppedTableIds(List.of())
                .setDroppedPartitionIds(Map.of())
                .setTabletCount(tabletCount)
                .setTabletChunkCount(tabletChunks)
                .setMetaChunkCount(metaChunks)
                .setLocalJobDir(job.localJobDir())
                .setJobInfoFileName(job.jobInfoFileName())
                .setMetaFileName(job.metaFileName())
                .setTaskErrors(errors)
                .build();
    }

    private static TabletBackupState tablet(TabletProgress t) {
        BackupPlan.PlannedTablet plan = t.tablet();
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
                .setSnapshotPath(t.snapshotPath())
                .setFiles(t.files())
                .setTriedBackendIds(List.of())
                .build();
    }
}
