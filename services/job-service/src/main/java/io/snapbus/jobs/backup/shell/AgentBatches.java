package io.snapbus.jobs.backup.shell;

import io.snapbus.avro.AgentTask;
import io.snapbus.avro.AgentTaskBatch;
import io.snapbus.avro.ReleaseSnapshotRequest;
import io.snapbus.avro.SnapshotRequest;
import io.snapbus.avro.TaskType;
import io.snapbus.avro.UploadRequest;
import io.snapbus.jobs.backup.BackupJob;
import io.snapbus.jobs.backup.TabletProgress;
import io.snapbus.jobs.engine.AgentWork;
import java.util.List;

/** The machine's task values as agent-task records. */
final class AgentBatches {
    private AgentBatches() {}

    static AgentTaskBatch of(BackupJob job, AgentWork.Batch batch, long nowMs) {
        List<AgentTask> tasks = batch.tasks().stream().map(task -> task(job, task)).toList();
        return AgentTaskBatch.newBuilder()
                .setBatchId(job.jobId() + "-" + batch.kind() + "-" + tasks.get(0).getSignature())
                .setJobId(job.jobId())
                .setBackendId(batch.backendId())
                .setTaskType(TaskType.valueOf(batch.kind().name()))
                .setAttempt(1)
                .setCreatedAtMs(nowMs)
                .setDeadlineMs(0)
                .setTasks(tasks)
                .build();
    }

    private static AgentTask task(BackupJob job, AgentWork.Task task) {
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
