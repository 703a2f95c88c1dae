package io.snapbus.jobs.restore.shell;

import io.snapbus.avro.AgentTask;
import io.snapbus.avro.CheckConsistencyRequest;
import io.snapbus.avro.CreateTabletRequest;
import io.snapbus.avro.DownloadRequest;
import io.snapbus.avro.IndexMeta;
import io.snapbus.avro.MoveRequest;
import io.snapbus.avro.OlapTableDef;
import io.snapbus.avro.ReleaseSnapshotRequest;
import io.snapbus.avro.SnapshotRequest;
import io.snapbus.jobs.catalog.TabletCreator;
import io.snapbus.jobs.engine.AgentWork;
import io.snapbus.jobs.restore.RestoreJob;
import io.snapbus.jobs.restore.RestorePlan;
import java.util.ArrayList;
import java.util.LinkedHashMap;

/** The restore machine's task values as agent-task records (the batches around them are the engine's TaskSender's). */
final class RestoreAgentTasks {
    private RestoreAgentTasks() {}

    static AgentTask task(RestoreJob job, AgentWork.Task task) {
        AgentTask.Builder out = AgentTask.newBuilder().setSignature(task.signature());
        if (task instanceof AgentWork.Create create) {
            OlapTableDef table = table(job, create.tablet().getTableId());
            IndexMeta index = table.getIndexes().stream().filter(i -> i.getId() == create.tablet().getIndexId())
                    .findFirst().orElseThrow(() -> new IllegalStateException("index " + create.tablet().getIndexId()
                            + " is not in restored table " + table.getName()));
            return out.setTablet(create.tablet()).setRequest(new CreateTabletRequest(create.replicaId(),
                    create.version(), table.getKeysType(), new ArrayList<>(TabletCreator.indexColumns(table, index)),
                    "HDD")).build();
        }
        if (task instanceof AgentWork.Snapshot snapshot) {
            // No version: the node snapshots the new replica's end version, a dir the download fills.
            return out.setTablet(snapshot.tablet())
                    .setRequest(new SnapshotRequest(-1L, snapshot.timeoutSeconds(), true, 4)).build();
        }
        if (task instanceof AgentWork.Download download) {
            return out.setTablet(null).setRequest(new DownloadRequest(new LinkedHashMap<>(download.srcDest()),
                    job.repository(), new ArrayList<>(download.tabletIds()))).build();
        }
        if (task instanceof AgentWork.Move move) {
            return out.setTablet(move.tablet()).setRequest(new MoveRequest(move.src(), true)).build();
        }
        if (task instanceof AgentWork.Check check) {
            return out.setTablet(check.tablet()).setRequest(new CheckConsistencyRequest(check.version())).build();
        }
        // A release needs only the snapshot root (the node's RELEASE_SNAPSHOT takes no tablet).
        AgentWork.Release release = (AgentWork.Release) task;
        return out.setTablet(null).setRequest(new ReleaseSnapshotRequest(release.snapshotPath())).build();
    }

    /** The restored table a new tablet belongs to (for EXISTING tables, the live one: same columns). */
    private static OlapTableDef table(RestoreJob job, long tableId) {
        return job.plan().tables().stream().map(RestorePlan.TablePlan::target).filter(t -> t.getId() == tableId)
                .findFirst().orElseThrow(() -> new IllegalStateException("table " + tableId + " is not in the plan"));
    }
}
