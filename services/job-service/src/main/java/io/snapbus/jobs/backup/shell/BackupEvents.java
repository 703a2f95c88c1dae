package io.snapbus.jobs.backup.shell;

import io.snapbus.avro.JobEventKind;
import io.snapbus.avro.JobProgress;
import io.snapbus.jobs.backup.BackupEffect;
import io.snapbus.jobs.backup.BackupJob;
import io.snapbus.jobs.engine.shell.JobEventFields;
import io.snapbus.jobs.engine.shell.JobEventPublisher;

/** What a backup job's events carry beyond every job's: type BACKUP, its database, repository, state and progress. */
final class BackupEvents implements JobEventFields<BackupJob> {
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

    /** One of the machine's events, published. */
    static void publish(JobEventPublisher<BackupJob> events, BackupJob job, BackupEffect.Publish event, long nowMs) {
        events.publish(job, JobEventKind.valueOf(event.kind().name()), event.from() == null ? null
                : event.from().name(), event.to().name(), event.message(), nowMs);
    }

    static JobProgress progressOf(BackupJob job) {
        int total = job.tablets().size();
        BackupJob.TabletCounts counts = job.counts();
        return JobProgress.newBuilder().setSnapshotsDone(counts.snapshotted()).setSnapshotsTotal(total)
                .setUploadsDone(counts.uploaded()).setUploadsTotal(total).setBytesUploaded(counts.bytesUploaded())
                .setFilesUploaded(counts.filesUploaded()).build();
    }
}
