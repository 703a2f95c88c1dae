package io.snapbus.node;

import io.snapbus.node.tablet.MoveStep;
import java.util.Optional;

/**
 * The storage node's restore settings (DOWNLOAD and MOVE), named after Doris's BE config where it has one.
 *
 * @param downloadWorkerCount           DOWNLOAD tasks run at once (download_worker_count, 1)
 * @param downloadFileParallelism       files of one tablet a DOWNLOAD fetches and checks at once (snapbus; 4, as
 *                                      upload_file_parallelism: the md5 check is CPU-bound, one core does ~650 MB/s)
 * @param downloadProgressEveryFiles    a progress report (snapshotLoaderReport) after this many files (10)
 * @param downloadMaxBytesPerSecond     bandwidth cap of all downloads of the node, 0 for none
 * @param floodStageUsagePercent        a download fails with EXCEEDED_LIMIT when the disk would be at least this
 *                                      full ... (storage_flood_stage_usage_percent, 90)
 * @param floodStageLeftCapacityBytes   ... and at most this many bytes would be left
 *                                      (storage_flood_stage_left_capacity_bytes, 1 GiB)
 * @param debugPauseMoveAt              debug point for crash tests: MOVE stops for good at this step (none; never
 *                                      set in production)
 * @param moveWorkerCount               MOVE tasks run at once (snapbus; 4: each MOVE waits on its fsyncs and renames,
 *                                      touches only its own tablet's dirs under that tablet's locks; Doris runs one)
 * @param checkConsistencyWorkerCount   CHECK_CONSISTENCY tasks run at once (check_consistency_worker_count; 2, as a
 *                                      restore reads every restored replica back; Doris's default is 1)
 * @param downloadSyncFileSystem        a DOWNLOAD makes its files and renames durable with one {@code syncfs(2)} of
 *                                      their filesystem rather than an fsync per file and per dir (snapbus; true;
 *                                      Linux only, elsewhere it fsyncs): one journal commit for thousands of small
 *                                      files; false on a disk other heavy writers share (syncfs flushes theirs too)
 */
public record RestoreSettings(int downloadWorkerCount, int downloadFileParallelism, int downloadProgressEveryFiles,
                              long downloadMaxBytesPerSecond,
                              int floodStageUsagePercent, long floodStageLeftCapacityBytes,
                              Optional<MoveStep> debugPauseMoveAt, int moveWorkerCount,
                              int checkConsistencyWorkerCount, boolean downloadSyncFileSystem) {
    public RestoreSettings {
        if (moveWorkerCount < 1 || checkConsistencyWorkerCount < 1) {
            throw new IllegalArgumentException("move_worker_count and check_consistency_worker_count must be at least 1");
        }
        if (downloadFileParallelism < 1) {
            throw new IllegalArgumentException("download_file_parallelism must be at least 1, got "
                    + downloadFileParallelism);
        }
        if (floodStageUsagePercent < 0 || floodStageUsagePercent > 100) {
            throw new IllegalArgumentException("storage_flood_stage_usage_percent must be 0..100, got "
                    + floodStageUsagePercent);
        }
        debugPauseMoveAt = debugPauseMoveAt == null ? Optional.empty() : debugPauseMoveAt;
    }

    public static RestoreSettings defaults() {
        return new RestoreSettings(1, 4, 10, 0, 90, 1L << 30, Optional.empty(), 4, 2, true);
    }

    public RestoreSettings withFloodStage(int usagePercent, long leftCapacityBytes) {
        return new RestoreSettings(downloadWorkerCount, downloadFileParallelism, downloadProgressEveryFiles,
                downloadMaxBytesPerSecond, usagePercent, leftCapacityBytes, debugPauseMoveAt, moveWorkerCount,
                checkConsistencyWorkerCount, downloadSyncFileSystem);
    }

    public RestoreSettings withDownloadProgressEveryFiles(int files) {
        return new RestoreSettings(downloadWorkerCount, downloadFileParallelism, files, downloadMaxBytesPerSecond,
                floodStageUsagePercent, floodStageLeftCapacityBytes, debugPauseMoveAt, moveWorkerCount,
                checkConsistencyWorkerCount, downloadSyncFileSystem);
    }

    public RestoreSettings withDownloadFileParallelism(int files) {
        return new RestoreSettings(downloadWorkerCount, files, downloadProgressEveryFiles, downloadMaxBytesPerSecond,
                floodStageUsagePercent, floodStageLeftCapacityBytes, debugPauseMoveAt, moveWorkerCount,
                checkConsistencyWorkerCount, downloadSyncFileSystem);
    }
}
