package io.snapbus.jobs.backup;

/**
 * Knobs of the backup machine, named after Doris's where it has them.
 *
 * @param uploadBatchSize     tablets per UPLOAD task (backup_upload_snapshot_batch_size, 10)
 * @param infoRetryIntervalMs wait between two tries of UPLOAD_INFO (it is retried until the timeout)
 * @param maxTabletsPerJob    a larger job is refused (max_backup_tablets_per_job, 300 000)
 */
public record BackupSettings(int uploadBatchSize, long infoRetryIntervalMs, int maxTabletsPerJob) {
    public static BackupSettings defaults() {
        return new BackupSettings(10, 5_000, 300_000);
    }
}
