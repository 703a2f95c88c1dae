package io.snapbus.jobs.restore;

import io.snapbus.avro.Replica;
import io.snapbus.avro.ReplicaRestoreState;
import io.snapbus.avro.RestoreJobHeader;
import io.snapbus.avro.RestorePlanChunk;
import io.snapbus.avro.RestoreReplicaChunk;
import io.snapbus.avro.TabletChecksum;
import io.snapbus.contract.TaskSignatures;
import io.snapbus.jobs.engine.PendingTask;
import io.snapbus.jobs.engine.PendingTaskStates;
import io.snapbus.jobs.engine.Status;
import io.snapbus.rows.ContentChecksum;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Rebuilds a restore job from its parts on the restore-jobs topic (the inverse of {@link RestoreRecords}): the
 * request, the plan, every replica's progress and the tasks still awaited, so a restarted job-service resumes exactly
 * where it was: no created replica is created again, no finished download is fetched again. What is not persisted
 * starts afresh: the nodes' task reports, the tasks' progress shown, the debug holds (the shell applies them again),
 * and the noted changes (the restored state is the persisted one).
 */
public final class RestoreJobRestorer {
    private RestoreJobRestorer() {}

    /** The latest parts of one job; chunks may come in any order. */
    public static RestoreJob restore(long jobId, long stateSeq, RestoreJobHeader header,
            List<RestoreReplicaChunk> replicaChunks, List<RestorePlanChunk> planChunks) {
        RestoreRequest request = new RestoreRequest(header.getLabel(), header.getDbName(), header.getRepositoryName(),
                RestoreRequest.Selection.valueOf(header.getSelection().name()), header.getTables().stream()
                        .map(t -> new RestoreRequest.TableRequest(t.getName(), t.getPartitions(), t.getAlias()))
                        .toList(), RestoreOptions.parse(header.getProperties(), true));
        RestoreJob.Builder job = RestoreJob.created(jobId, request, header.getRepository(), header.getCreateTimeMs())
                .toBuilder()
                .state(RestoreState.valueOf(header.getState().name()))
                .metaPreparedTimeMs(header.getMetaPreparedTimeMs())
                .snapshotFinishedTimeMs(header.getSnapshotFinishedTimeMs())
                .downloadFinishedTimeMs(header.getDownloadFinishedTimeMs())
                .finishedTimeMs(header.getFinishedTimeMs())
                .status(Status.of(Status.Code.valueOf(header.getStatus().getCode().name()),
                        header.getStatus().getMessage()))
                .metadataOnly(header.getMetadataOnly())
                .catalogPrepared(header.getCatalogPrepared())
                .commitStep(header.getCommitStep() == null ? null : CommitStep.valueOf(header.getCommitStep().name()))
                .catalogUndone(header.getCatalogUndone())
                .lastCatalogAttemptMs(header.getLastCatalogAttemptMs());
        long maxSeq = 0;
        if (header.getPlanned()) {
            List<RestorePlanItems.PlacedReplica> placed = new ArrayList<>(header.getReplicaCount());
            List<PendingTask> tasks = new ArrayList<>();
            ReplicaRestore.Placements placements = new ReplicaRestore.Placements();
            replicaChunks.stream().sorted(Comparator.comparingInt(RestoreReplicaChunk::getChunkIndex))
                    .flatMap(c -> c.getReplicas().stream()).forEach(state -> {
                        ReplicaRestore replica = replica(state, placements);
                        placed.add(new RestorePlanItems.PlacedReplica(replica, new Replica(state.getReplicaId(),
                                state.getBackendId(), state.getReplicaVersion(), state.getLastFailedVersion(),
                                state.getLastSuccessVersion()), state.getReplicaIndex()));
                        if (state.getPendingTask() != null) {
                            tasks.add(PendingTaskStates.task(state.getPendingTask()));
                        }
                    });
            job.plan(RestorePlanItems.plan(planChunks, placed));
            placed.forEach(p -> job.replica(p.replica()));
            for (PendingTask task : tasks) {
                job.pending(task);
                maxSeq = Math.max(maxSeq, TaskSignatures.sequence(task.signature()));
            }
        }
        header.getTaskErrors().forEach((signature, error) -> job.taskError(Long.parseLong(signature), error));
        // Signatures of fire-and-forget releases are not persisted: never hand out one below the recorded sequence.
        return job.restoredSequences(Math.max(header.getNextTaskSeq(), maxSeq + 1), stateSeq).build(false);
    }

    private static ReplicaRestore replica(ReplicaRestoreState state, ReplicaRestore.Placements placements) {
        return new ReplicaRestore(state.getReplicaId(), state.getBackendId(), placements.of(state.getTablet()),
                state.getTablet().getTabletId(), state.getBucket(), placements.of(state.getSource()),
                state.getSource().getTabletId(), state.getVersion(), checksum(state.getExpected()),
                ReplicaRestore.Phase.valueOf(state.getPhase().name()), state.getSnapshotPath(),
                checksum(state.getChecksum()), state.getBytesDownloaded());
    }

    private static ContentChecksum checksum(TabletChecksum sum) {
        return sum == null ? null : new ContentChecksum(sum.getRowCount(), sum.getChecksum());
    }
}
