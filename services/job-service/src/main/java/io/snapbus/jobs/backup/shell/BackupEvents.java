package io.snapbus.jobs.backup.shell;

import io.snapbus.avro.JobProgress;
import io.snapbus.jobs.backup.BackupJob;
import io.snapbus.jobs.engine.shell.JobEventFields;

/** What a backup job's events carry beyond every job's: type BACKUP, its database, repository, state and progress. */
public final class BackupEvents implements JobEventFields<BackupJob> {
    @Override
    public String jobType() {
        return "BACKUP";
    }

    @Override
    public String dbName(BackupJob job) {
        return job.request().dbName();
    }

    @Override
    public String repositoryName(BackupJob job) {
        return job.repository().getName();
    }

    @Override
    public String state(BackupJob job) {
        return job.state().name();
    }

    @Override
    public JobProgress progress(BackupJob job) {
        return progressOf(job);
    }

    @Override
    public Object progressCounts(BackupJob job) {
        return job.counts();
    }

    static JobProgress progressOf(BackupJob job) {
        BackupJob.TabletCounts counts = job.counts();
        int total = counts.tablets();
        return JobProgress.newBuilder().setSnapshotsDone(counts.snapshotted()).setSnapshotsTotal(total)
                .setUploadsDone(counts.uploaded()).setUploadsTotal(total).setBytesUploaded(counts.bytesUploaded())
                .setFilesUploaded(counts.filesUploaded()).build();
    }
}
