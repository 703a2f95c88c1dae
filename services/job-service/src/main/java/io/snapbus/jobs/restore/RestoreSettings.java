package io.snapbus.jobs.restore;

import io.snapbus.jobs.engine.RetryPolicy;

/**
 * Knobs of the restore machine, named after Doris's where it has them.
 *
 * @param downloadBatchSize    replicas per DOWNLOAD task (restore_download_snapshot_batch_size, 10)
 * @param catalogRetryMs       wait before a catalog change whose answer did not come is asked for again
 * @param retryPolicy          backoff and attempts of CREATE, MAKE_SNAPSHOT, DOWNLOAD, MOVE and CHECK_CONSISTENCY
 *                             (Doris re-sends a failing task every 10 s until the job times out, 24 h)
 * @param verify               whether COMMITTING compares the restored replicas' checksums with the backup's
 * @param taskWindow           replicas with an awaited task at once (100 000): a state sends its tasks in windows, so
 *                             a million-replica job never holds a million awaited tasks (snapbus; Doris sends them all)
 */
public record RestoreSettings(int downloadBatchSize, long catalogRetryMs, RetryPolicy retryPolicy, boolean verify,
        int taskWindow) {
    public static final int DEFAULT_TASK_WINDOW = 100_000;

    public RestoreSettings {
        if (downloadBatchSize < 1 || catalogRetryMs < 1 || taskWindow < 1) {
            throw new IllegalArgumentException("download batch size, catalog retry interval and task window must be"
                    + " positive");
        }
    }

    public RestoreSettings(int downloadBatchSize, long catalogRetryMs, RetryPolicy retryPolicy, boolean verify) {
        this(downloadBatchSize, catalogRetryMs, retryPolicy, verify, DEFAULT_TASK_WINDOW);
    }

    public static RestoreSettings defaults() {
        return new RestoreSettings(10, 5_000, new RetryPolicy(10_000, 120_000, 5), true);
    }

    public RestoreSettings withTaskWindow(int window) {
        return new RestoreSettings(downloadBatchSize, catalogRetryMs, retryPolicy, verify, window);
    }
}
