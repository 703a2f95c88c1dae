package io.snapbus.jobs.restore;

import io.snapbus.avro.JobErrorCode;
import io.snapbus.avro.JobStatus;
import io.snapbus.avro.Replica;
import io.snapbus.avro.ReplicaRestorePhase;
import io.snapbus.avro.ReplicaRestoreState;
import io.snapbus.avro.RestoreCommitStep;
import io.snapbus.avro.RestoreJobHeader;
import io.snapbus.avro.RestoreJobState;
import io.snapbus.avro.RestoreSelection;
import io.snapbus.avro.RestoreTableRequest;
import io.snapbus.avro.TabletChecksum;
import io.snapbus.jobs.engine.PendingTask;
import io.snapbus.jobs.engine.PendingTaskStates;
import io.snapbus.jobs.engine.TaskBook;
import io.snapbus.rows.ContentChecksum;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The parts of a restore job as restore-jobs record values: its header and each replica as its chunk holds it. The
 * inverse is {@link RestoreJobRestorer}.
 */
final class RestoreRecordParts {
    private RestoreRecordParts() {}

    static RestoreJobHeader header(RestoreJob job, int replicaChunks, int planChunks) {
        RestoreRequest request = job.request();
        Map<String, String> errors = new LinkedHashMap<>();
        job.tasks().errors().entrySet().stream().sorted(Map.Entry.comparingByKey()).limit(TaskBook.ERRORS_SHOWN)
                .forEach(e -> errors.put(Long.toString(e.getKey()), e.getValue()));
        return RestoreJobHeader.newBuilder()
                .setLabel(request.label())
                .setDbName(request.dbName())
                .setRepositoryName(request.repositoryName())
                .setSelection(RestoreSelection.valueOf(request.selection().name()))
                .setTables(request.tables().stream().map(t -> new RestoreTableRequest(t.name(), t.partitions(),
                        t.alias())).toList())
                .setProperties(properties(request.options()))
                .setRepository(job.repository())
                .setState(RestoreJobState.valueOf(job.state().name()))
                .setCreateTimeMs(job.createTimeMs())
                .setMetaPreparedTimeMs(job.metaPreparedTimeMs())
                .setSnapshotFinishedTimeMs(job.snapshotFinishedTimeMs())
                .setDownloadFinishedTimeMs(job.downloadFinishedTimeMs())
                .setFinishedTimeMs(job.finishedTimeMs())
                .setStatus(new JobStatus(JobErrorCode.valueOf(job.status().code().name()), job.status().message()))
                .setMetadataOnly(job.metadataOnly())
                .setPlanned(job.plan() != null)
                .setCatalogPrepared(job.catalogPrepared())
                .setCommitStep(job.commitStep() == null ? null : RestoreCommitStep.valueOf(job.commitStep().name()))
                .setCatalogUndone(job.catalogUndone())
                .setLastCatalogAttemptMs(job.lastCatalogAttemptMs())
                .setTaskErrors(errors)
                .setNextTaskSeq(job.tasks().nextTaskSeq())
                .setReplicaCount(job.replicas().size())
                .setReplicaChunkCount(replicaChunks)
                .setPlanChunkCount(planChunks)
                .build();
    }

    /**
     * The options as Doris's PROPERTIES, which {@link RestoreOptions#parse} reads back into equal options (a parsed
     * timeout is whole seconds; force_replace is already the one Doris honours).
     */
    static Map<String, String> properties(RestoreOptions options) {
        Map<String, String> properties = new LinkedHashMap<>();
        if (options.backupTimestamp() != null) {
            properties.put("backup_timestamp", options.backupTimestamp());
        }
        properties.put("timeout", Long.toString(options.timeoutMs() / 1000));
        properties.put("replication_allocation", options.replicaAllocationText());
        properties.put("reserve_replica", Boolean.toString(options.reserveReplica()));
        properties.put("reserve_dynamic_partition_enable", Boolean.toString(options.reserveDynamicPartitionEnable()));
        properties.put("allow_load", Boolean.toString(options.allowLoad()));
        properties.put("meta_version", Integer.toString(options.metaVersion()));
        properties.put("clean_tables", Boolean.toString(options.cleanTables()));
        properties.put("clean_partitions", Boolean.toString(options.cleanPartitions()));
        properties.put("atomic_restore", Boolean.toString(options.atomicRestore()));
        properties.put("force_replace", Boolean.toString(options.forceReplace()));
        return properties;
    }

    /**
     * A replica's progress and its place in the plan; {@code pending} is the task awaited for it when the replica is
     * that task's first (so a DOWNLOAD's bookkeeping is stored once, not ten times), else null.
     */
    static ReplicaRestoreState replica(ReplicaRestore r, Replica planReplica, int replicaIndex, PendingTask pending) {
        // The all-fields constructor: a builder's checks cost more than the rest of a chunk's encoding.
        return new ReplicaRestoreState(r.replicaId(), r.backendId(), r.tablet(), r.bucket(), replicaIndex, r.source(),
                r.version(), checksum(r.expected()), ReplicaRestorePhase.valueOf(r.phase().name()), r.snapshotPath(),
                checksum(r.checksum()), r.bytesDownloaded(), planReplica.getVersion(),
                planReplica.getLastFailedVersion(), planReplica.getLastSuccessVersion(),
                pending == null ? null : PendingTaskStates.of(pending));
    }

    private static TabletChecksum checksum(ContentChecksum sum) {
        return sum == null ? null : new TabletChecksum(sum.rows(), sum.checksum());
    }
}
