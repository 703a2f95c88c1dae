package io.snapbus.jobs.backup.shell;

import io.snapbus.avro.AgentTask;
import io.snapbus.avro.ReleaseSnapshotRequest;
import io.snapbus.avro.SnapshotRequest;
import io.snapbus.avro.UploadRequest;
import io.snapbus.jobs.backup.BackupJob;
import io.snapbus.jobs.backup.TabletProgress;
import io.snapbus.jobs.engine.AgentWork;

/** The backup machine's task values as agent-task records (the batches around them are the engine's TaskSender's). */
final class AgentBatches {
    private AgentBatches() {}

    static AgentTask task(BackupJob job, AgentWork.Task task) {
        AgentTask.Builder out = AgentTask.newBuilder().setSignature(task.signature());
        if (task instanceof AgentWork.Snapshot snapshot) {
            return out.setTablet(snapshot.tablet())
                    .setRequest(new SnapshotRequest(snapshot.version(), snapshot.timeoutSeconds(), true, 4)).build();
        }
        if (task instanceof AgentWork.Upload upload) {
            return out.setTablet(null)
                    .setRequest(new UploadRequest(upload.srcDest(), job.repository(), upload.tabletIds())).build();
        }
        AgentWork.Release release = (AgentWork.Release) task;
        TabletProgress tablet = job.tablets().get(release.tabletId());
        return out.setTablet(tablet == null ? null : tablet.tablet().ref())
                .setRequest(new ReleaseSnapshotRequest(release.snapshotPath())).build();
    }
}
