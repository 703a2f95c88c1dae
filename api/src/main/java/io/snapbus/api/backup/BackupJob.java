package io.snapbus.api.backup;

/**
 * A backup job as SHOW BACKUP shows it (Doris's columns, task lists capped at 100 entries), then snapbus's counts.
 *
 * @param state       PENDING, SNAPSHOTING, UPLOAD_SNAPSHOT, UPLOADING, SAVE_META, UPLOAD_INFO, FINISHED or CANCELLED
 * @param status      Doris's status text, {@code [OK]} or {@code [CODE, msg: ...]}
 * @param timeout     seconds
 * @param persistence why the job's newest state is not persisted yet ("" when it is)
 */
public record BackupJob(long jobId, String snapshotName, String dbName, String state, String backupObjs,
        String createTime, String snapshotFinishedTime, String uploadFinishedTime, String finishedTime,
        String unfinishedTasks, String progress, String taskErrMsg, String status, long timeout,
        int tablets, int tabletsSnapshotted, int tabletsUploaded, long filesUploaded, long bytesUploaded,
        String persistence) {}
