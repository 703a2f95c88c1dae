package io.snapbus.jobs.restore.shell;

import io.snapbus.avro.JobProgress;
import io.snapbus.jobs.engine.shell.JobEventFields;
import io.snapbus.jobs.restore.RestoreJob;

/** What a restore job's events carry beyond every job's: type RESTORE, its database, repository, state and progress. */
final class RestoreEvents implements JobEventFields<RestoreJob> {
    @Override
    public String jobType() {
        return "RESTORE";
    }

    @Override
    public String dbName(RestoreJob job) {
        return job.request().dbName();
    }

    @Override
    public String repositoryName(RestoreJob job) {
        return job.repository().getName();
    }

    @Override
    public String state(RestoreJob job) {
        return job.state().name();
    }

    @Override
    public JobProgress progress(RestoreJob job) {
        RestoreJob.ReplicaCounts counts = job.counts();
        return JobProgress.newBuilder().setSnapshotsDone(0).setSnapshotsTotal(0).setUploadsDone(0).setUploadsTotal(0)
                .setReplicasTotal(counts.replicas()).setReplicasCreated(counts.created())
                .setReplicasDownloaded(counts.downloaded()).setReplicasMoved(counts.moved())
                .setReplicasChecked(counts.checked()).setBytesDownloaded(counts.bytesDownloaded()).build();
    }

    @Override
    public Object progressCounts(RestoreJob job) {
        return job.counts();
    }
}
