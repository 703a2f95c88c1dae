package io.snapbus.jobs.backup;

import io.snapbus.jobs.engine.RetryPolicy;

/**
 * Knobs of the backup machine, named after Doris's where it has them.
 *
 * @param uploadBatchSize           tablets per UPLOAD task (backup_upload_snapshot_batch_size, 10)
 * @param infoRetryIntervalMs       wait between two tries of UPLOAD_INFO (it is retried until the timeout)
 * @param maxTabletsPerJob          a larger job is refused (max_backup_tablets_per_job, 300 000)
 * @param taskRetryInitialBackoffMs wait for a task's result (or after its failure) before sending it again (10 s)
 * @param taskRetryMaxBackoffMs     the backoff doubles with each send up to this (120 s)
 * @param maxTaskAttempts           sends of one task before the job is cancelled (5; Doris has no limit)
 * @param snapshotTaskWindow        MAKE_SNAPSHOT tasks awaited at once, and tablets in awaited UPLOAD tasks (100 000):
 *                                  a larger job sends the rest as these finish, so the job-service, the agents and
 *                                  the nodes never hold a million tasks (Doris sends them all; its 300 000-tablet cap
 *                                  keeps that bounded)
 */
public record BackupSettings(int uploadBatchSize, long infoRetryIntervalMs, int maxTabletsPerJob,
        long taskRetryInitialBackoffMs, long taskRetryMaxBackoffMs, int maxTaskAttempts, int snapshotTaskWindow) {

    public static final long DEFAULT_TASK_RETRY_INITIAL_BACKOFF_MS = 10_000;
    public static final long DEFAULT_TASK_RETRY_MAX_BACKOFF_MS = 120_000;
    public static final int DEFAULT_MAX_TASK_ATTEMPTS = 5;
    public static final int DEFAULT_SNAPSHOT_TASK_WINDOW = 100_000;

    public BackupSettings {
        if (taskRetryInitialBackoffMs <= 0 || taskRetryMaxBackoffMs < taskRetryInitialBackoffMs
                || maxTaskAttempts < 1) {
            throw new IllegalArgumentException("task retry needs 0 < initial backoff <= max backoff and attempts >= 1");
        }
        if (snapshotTaskWindow < 1) {
            throw new IllegalArgumentException("the snapshot task window must be at least 1, not " + snapshotTaskWindow);
        }
    }

    /** With the default snapshot task window. */
    public BackupSettings(int uploadBatchSize, long infoRetryIntervalMs, int maxTabletsPerJob,
            long taskRetryInitialBackoffMs, long taskRetryMaxBackoffMs, int maxTaskAttempts) {
        this(uploadBatchSize, infoRetryIntervalMs, maxTabletsPerJob, taskRetryInitialBackoffMs, taskRetryMaxBackoffMs,
                maxTaskAttempts, DEFAULT_SNAPSHOT_TASK_WINDOW);
    }

    /** The same settings with another snapshot task window. */
    public BackupSettings withSnapshotTaskWindow(int window) {
        return new BackupSettings(uploadBatchSize, infoRetryIntervalMs, maxTabletsPerJob, taskRetryInitialBackoffMs,
                taskRetryMaxBackoffMs, maxTaskAttempts, window);
    }

    /** The three Doris knobs with the default retry policy. */
    public BackupSettings(int uploadBatchSize, long infoRetryIntervalMs, int maxTabletsPerJob) {
        this(uploadBatchSize, infoRetryIntervalMs, maxTabletsPerJob, DEFAULT_TASK_RETRY_INITIAL_BACKOFF_MS,
                DEFAULT_TASK_RETRY_MAX_BACKOFF_MS, DEFAULT_MAX_TASK_ATTEMPTS);
    }

    public static BackupSettings defaults() {
        return new BackupSettings(10, 5_000, 300_000);
    }

    /** The task retry knobs, as the engine's retry policy. */
    public RetryPolicy retryPolicy() {
        return new RetryPolicy(taskRetryInitialBackoffMs, taskRetryMaxBackoffMs, maxTaskAttempts);
    }
}
