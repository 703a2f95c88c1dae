package io.snapbus.api.restore;

/**
 * A restore job as SHOW RESTORE shows it (Doris's 21 columns, task lists capped at 100 entries), then snapbus's
 * counts.
 *
 * @param state       PENDING, CREATING, SNAPSHOTING, DOWNLOAD, DOWNLOADING, COMMIT, COMMITTING, FINISHED or CANCELLED
 * @param timeout     seconds
 * @param persistence why the job's newest state is not persisted yet ("" when it is)
 */
public record RestoreJob(long jobId, String label, String timestamp, String dbName, String state,
        String allowLoad, String replicationNum, String replicaAllocation, String reserveReplica,
        String reserveDynamicPartitionEnable, String restoreObjs, String createTime, String metaPreparedTime,
        String snapshotFinishedTime, String downloadFinishedTime, String finishedTime, String unfinishedTasks,
        String progress, String taskErrMsg, String status, long timeout,
        String commitStep, int replicas, int replicasCreated, int replicasDownloaded, int replicasMoved,
        int replicasChecked, long bytesDownloaded, String persistence) {}
