package io.snapbus.jobs.backup;

import io.snapbus.avro.BackupJobHeader;
import io.snapbus.avro.BackupJobState;
import io.snapbus.avro.BackupMetaChunk;
import io.snapbus.avro.BackupTabletChunk;
import io.snapbus.avro.OdbcResourceDef;
import io.snapbus.avro.OdbcTableDef;
import io.snapbus.avro.OlapTableDef;
import io.snapbus.avro.PartitionDef;
import io.snapbus.avro.TabletBackupState;
import io.snapbus.avro.TabletRef;
import io.snapbus.avro.ViewDef;
import io.snapbus.contract.TaskSignatures;
import io.snapbus.jobs.engine.AgentWork;
import io.snapbus.jobs.engine.PendingTask;
import io.snapbus.jobs.engine.PendingTaskStates;
import io.snapbus.jobs.engine.Status;
import io.snapbus.rows.ContentChecksum;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Rebuilds a job from its parts on the backup-jobs topic (the inverse of {@link BackupRecords}): the request, the
 * recorded plan, every tablet's progress and the tasks still awaited, so a restarted job-service resumes exactly
 * where it was: no finished snapshot is taken again, no finished upload is sent again.
 */
public final class BackupJobRestorer {
    private BackupJobRestorer() {}

    /** The latest parts of one job; chunks may come in any order. */
    public static BackupJob restore(long jobId, long stateSeq, BackupJobHeader header,
            List<BackupTabletChunk> tabletChunks, List<BackupMetaChunk> metaChunks) {
        List<TabletBackupState> tablets = new ArrayList<>();
        tabletChunks.stream().sorted(Comparator.comparingInt(BackupTabletChunk::getChunkIndex))
                .forEach(c -> tablets.addAll(c.getTablets()));
        List<Object> meta = new ArrayList<>();
        metaChunks.stream().sorted(Comparator.comparingInt(BackupMetaChunk::getChunkIndex))
                .forEach(c -> meta.addAll(c.getObjects()));

        BackupRequest request = new BackupRequest(header.getLabel(), header.getDbName(),
                header.getRepository().getName(), header.getTableRefs().stream()
                        .map(t -> new BackupRequest.TableRequest(t.getTableName(), t.getPartitionNames())).toList(),
                header.getTimeoutMs(), BackupRequest.Content.valueOf(header.getContent().name()),
                header.getProperties());
        BackupJob created = BackupJob.created(jobId, request, header.getRepository(), header.getCreateTimeMs());
        BackupJob.Builder job = created.toBuilder()
                .state(BackupState.valueOf(header.getState().name()))
                .snapshotFinishedTimeMs(header.getSnapshotFinishedTimeMs())
                .uploadFinishedTimeMs(header.getUploadFinishedTimeMs())
                .finishedTimeMs(header.getFinishedTimeMs())
                .status(Status.of(Status.Code.valueOf(header.getStatus().getCode().name()),
                        header.getStatus().getMessage()))
                .localJobDir(header.getLocalJobDir())
                .localSnapshotReleased(header.getLocalSnapshotReleased())
                .infoFiles(header.getMetaFileName(), header.getJobInfoFileName())
                .lastInfoAttemptMs(header.getLastInfoAttemptMs());
        header.getTaskErrors().forEach((signature, error) -> job.taskError(Long.parseLong(signature), error));
        Map<Long, java.util.Set<Long>> droppedPartitions = new HashMap<>();
        header.getDroppedPartitionIds().forEach((table, partitions) -> droppedPartitions.put(Long.parseLong(table),
                new java.util.HashSet<>(partitions)));
        job.dropped(new java.util.HashSet<>(header.getDroppedTableIds()), droppedPartitions);
        job.droppedObjects(header.getDroppedObjects().stream().map(CharSequence::toString).toList());
        // PENDING persists once before planning; every later write carries the recorded plan.
        boolean planned = header.getState() != BackupJobState.PENDING
                || header.getMetaChunkCount() > 0;
        long maxSeq = 0;
        if (planned) {
            job.plan(plan(header, tablets, meta));
            Map<Long, List<Long>> uploads = new LinkedHashMap<>();
            Map<Long, Long> uploadBackends = new HashMap<>();
            java.util.Set<Long> restoredTasks = new java.util.HashSet<>();
            // All at once: the job's table of tablets is built in one pass, not grown tablet by tablet.
            Map<Long, TabletProgress> progress = new HashMap<>(tablets.size() * 2);
            for (TabletBackupState state : tablets) {
                BackupPlan.PlannedTablet tablet = new BackupPlan.PlannedTablet(state.getTablet(), state.getVersion(),
                        state.getBackendId(), state.getReplicaId());
                progress.put(state.getTablet().getTabletId(), new TabletProgress(tablet, phase(state),
                        state.getSnapshotPath(), state.getFiles(), state.getTriedBackendIds(), state.getUploadedBytes(),
                        state.getChecksum() == null ? null : new ContentChecksum(state.getChecksum().getRowCount(),
                                state.getChecksum().getChecksum())));
                if (state.getPendingTask() != null) {
                    PendingTask task = PendingTaskStates.task(state.getPendingTask());
                    job.pending(task);
                    restoredTasks.add(task.signature());
                    maxSeq = Math.max(maxSeq, TaskSignatures.sequence(task.signature()));
                }
            }
            job.tablets(progress);
            // Records written before the bookkeeping was persisted: the task starts afresh (attempt 1, no backoff).
            for (TabletBackupState state : tablets) {
                long tabletId = state.getTablet().getTabletId();
                if (state.getSnapshotSignature() != 0 && !restoredTasks.contains(state.getSnapshotSignature())) {
                    job.pending(new PendingTask(state.getSnapshotSignature(), AgentWork.Kind.MAKE_SNAPSHOT,
                            state.getBackendId(), List.of(tabletId), header.getCreateTimeMs()));
                    maxSeq = Math.max(maxSeq, TaskSignatures.sequence(state.getSnapshotSignature()));
                }
                if (state.getUploadSignature() != 0 && !restoredTasks.contains(state.getUploadSignature())) {
                    uploads.computeIfAbsent(state.getUploadSignature(), s -> new ArrayList<>()).add(tabletId);
                    uploadBackends.put(state.getUploadSignature(), state.getBackendId());
                    maxSeq = Math.max(maxSeq, TaskSignatures.sequence(state.getUploadSignature()));
                }
            }
            uploads.forEach((signature, ids) -> job.pending(new PendingTask(signature, AgentWork.Kind.UPLOAD,
                    uploadBackends.get(signature), ids, header.getCreateTimeMs())));
        }
        // Signatures of fire-and-forget releases are not persisted: never hand out one below the recorded sequence.
        return job.restoredSequences(Math.max(header.getNextTaskSeq(), maxSeq + 1), stateSeq).build(false);
    }

    private static TabletProgress.Phase phase(TabletBackupState state) {
        switch (state.getPhase()) {
            case SNAPSHOT_DONE:
            case UPLOAD_PENDING:
                return TabletProgress.Phase.SNAPSHOT_DONE;
            case UPLOADED:
                return TabletProgress.Phase.UPLOADED;
            default:
                return TabletProgress.Phase.SNAPSHOT_PENDING;
        }
    }

    /** The recorded plan: tables and partitions from the catalog copy, tablets in the persisted (plan) order. */
    private static BackupPlan plan(BackupJobHeader header, List<TabletBackupState> tablets, List<Object> meta) {
        Map<Long, OlapTableDef> tables = new LinkedHashMap<>();
        Map<Long, PartitionDef> partitions = new LinkedHashMap<>();
        List<BackupPlan.NamedObject> views = new ArrayList<>();
        List<BackupPlan.NamedObject> odbcTables = new ArrayList<>();
        List<String> resources = new ArrayList<>();
        for (Object object : meta) {
            if (object instanceof OlapTableDef table) {
                tables.put(table.getId(), table);
            } else if (object instanceof PartitionDef partition) {
                partitions.put(partition.getId(), partition);
            } else if (object instanceof ViewDef view) {
                views.add(new BackupPlan.NamedObject(view.getId(), view.getName()));
            } else if (object instanceof OdbcTableDef odbc) {
                odbcTables.add(new BackupPlan.NamedObject(odbc.getId(), odbc.getName()));
            } else if (object instanceof OdbcResourceDef resource) {
                resources.add(resource.getName());
            }
        }
        // table -> partition -> index -> tablet ids, in the order the tablets were persisted (bucket order).
        Map<Long, Map<Long, Map<Long, List<Long>>>> order = new LinkedHashMap<>();
        List<BackupPlan.PlannedTablet> planned = new ArrayList<>();
        for (TabletBackupState state : tablets) {
            TabletRef ref = state.getTablet();
            order.computeIfAbsent(ref.getTableId(), t -> new LinkedHashMap<>())
                    .computeIfAbsent(ref.getPartitionId(), p -> new LinkedHashMap<>())
                    .computeIfAbsent(ref.getIndexId(), i -> new ArrayList<>()).add(ref.getTabletId());
            planned.add(new BackupPlan.PlannedTablet(ref, state.getVersion(), state.getBackendId(),
                    state.getReplicaId()));
        }
        List<BackupPlan.PlannedTable> plannedTables = new ArrayList<>();
        for (OlapTableDef table : tables.values()) {
            List<BackupPlan.PlannedPartition> plannedPartitions = new ArrayList<>();
            Map<Long, Map<Long, List<Long>>> byPartition = order.getOrDefault(table.getId(), Map.of());
            for (PartitionDef partition : partitions.values()) {
                if (partition.getTableId() != table.getId()) {
                    continue;
                }
                Map<Long, List<Long>> byIndex = byPartition.getOrDefault(partition.getId(), Map.of());
                List<BackupPlan.PlannedIndex> indexes = table.getIndexes().stream()
                        .map(index -> new BackupPlan.PlannedIndex(index.getId(), index.getName(),
                                index.getSchemaHash(), byIndex.getOrDefault(index.getId(), List.of())))
                        .toList();
                plannedPartitions.add(new BackupPlan.PlannedPartition(partition.getId(), partition.getName(),
                        partition.getVisibleVersion(), indexes));
            }
            plannedTables.add(new BackupPlan.PlannedTable(table.getId(), table.getName(), plannedPartitions));
        }
        Map<Long, Long> commitSeqs = new LinkedHashMap<>();
        header.getTableCommitSeqs().forEach((table, seq) -> commitSeqs.put(Long.parseLong(table), seq));
        return new BackupPlan(header.getDbId(), header.getDbName(), header.getRepository(), plannedTables, planned,
                views, odbcTables, resources, commitSeqs, meta);
    }
}
