package io.snapbus.jobs.backup.shell;

import io.snapbus.jobs.backup.BackupJob;
import io.snapbus.jobs.backup.BackupRequest;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
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

    private static final int CAP = 100;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneId.systemDefault());

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
                time(job.finishedTimeMs()), capped(job.pendingTasks().keySet().stream().limit(CAP).toList()),
                capped(new TreeMap<>(job.taskProgress())), capped(new TreeMap<>(job.taskErrors())),
                job.status().toString(), job.timeoutMs() / 1000, progress.getSnapshotsTotal(),
                progress.getSnapshotsDone(), progress.getUploadsDone(), progress.getFilesUploaded(),
                progress.getBytesUploaded(), persistence);
    }

    private static String object(BackupRequest.TableRequest table) {
        return "`" + table.name() + "`" + (table.partitions().isEmpty() ? ""
                : " PARTITIONS (" + String.join(", ", table.partitions()) + ")");
    }

    private static String time(long ms) {
        return ms <= 0 ? "NULL" : TIME.format(Instant.ofEpochMilli(ms));
    }

    private static String capped(List<Long> ids) {
        return "[" + ids.stream().limit(CAP).map(String::valueOf).collect(Collectors.joining(", ")) + "]";
    }

    private static String capped(Map<Long, String> entries) {
        return "[" + entries.entrySet().stream().limit(CAP).map(e -> e.getKey() + ": " + e.getValue())
                .collect(Collectors.joining(", ")) + "]";
    }
}
