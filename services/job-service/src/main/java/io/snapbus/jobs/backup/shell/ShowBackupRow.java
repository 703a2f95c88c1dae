package io.snapbus.jobs.backup.shell;

import static io.snapbus.jobs.engine.shell.ShowColumns.capped;
import static io.snapbus.jobs.engine.shell.ShowColumns.time;

import io.snapbus.jobs.backup.BackupJob;
import io.snapbus.jobs.backup.BackupRequest;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * One row of SHOW BACKUP, with Doris's columns; task lists are capped at 100 entries each as Doris caps them.
 * Also the JSON the REST API answers.
 */
public record ShowBackupRow(long jobId, String snapshotName, String dbName, String state, String backupObjs,
        String createTime, String snapshotFinishedTime, String uploadFinishedTime, String finishedTime,
        String unfinishedTasks, String progress, String taskErrMsg, String status, long timeout,
        int tablets, int tabletsSnapshotted, int tabletsUploaded, long filesUploaded, long bytesUploaded,
        String persistence) {

    public static ShowBackupRow of(BackupJob job) {
        return of(job, "");
    }

    /**
     * @param persistence why the job's newest state is not persisted yet ("" when it is): the row shows the last
     *                    persisted one
     */
    public static ShowBackupRow of(BackupJob job, String persistence) {
        var progress = BackupEvents.progressOf(job);
        return new ShowBackupRow(job.jobId(), job.label(), job.request().dbName(), job.state().name(),
                job.request().tables().stream().map(ShowBackupRow::object).collect(Collectors.joining(", ")),
                time(job.createTimeMs()), time(job.snapshotFinishedTimeMs()), time(job.uploadFinishedTimeMs()),
                time(job.finishedTimeMs()), capped(job.pendingTasks().keySet()),
                capped(new TreeMap<>(job.taskProgress())), capped(new TreeMap<>(job.taskErrors())),
                job.status().toString(), job.timeoutMs() / 1000, progress.getSnapshotsTotal(),
                progress.getSnapshotsDone(), progress.getUploadsDone(), progress.getFilesUploaded(),
                progress.getBytesUploaded(), persistence);
    }

    private static String object(BackupRequest.TableRequest table) {
        return "`" + table.name() + "`" + (table.partitions().isEmpty() ? ""
                : " PARTITIONS (" + String.join(", ", table.partitions()) + ")");
    }
}
