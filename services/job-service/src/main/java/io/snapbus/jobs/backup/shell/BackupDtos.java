package io.snapbus.jobs.backup.shell;

import io.snapbus.api.backup.BackupJob;
import io.snapbus.api.backup.BackupTable;
import io.snapbus.api.backup.CreateBackupRequest;
import io.snapbus.api.backup.LocalSnapshot;
import java.util.Map;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** The one place backup rows and local snapshots become v1 records, and a v1 backup request the shell's body. */
public final class BackupDtos {
    private static final ObjectMapper JSON = new ObjectMapper();

    private BackupDtos() {}

    public static BackupJob job(ShowBackupRow row) {
        return new BackupJob(row.jobId(), row.snapshotName(), row.dbName(), row.state(), row.backupObjs(),
                row.createTime(), row.snapshotFinishedTime(), row.uploadFinishedTime(), row.finishedTime(),
                row.unfinishedTasks(), row.progress(), row.taskErrMsg(), row.status(), row.timeout(), row.tablets(),
                row.tabletsSnapshotted(), row.tabletsUploaded(), row.filesUploaded(), row.bytesUploaded(),
                row.persistence());
    }

    public static LocalSnapshot localSnapshot(LocalSnapshotView view) {
        return new LocalSnapshot(view.label(), view.jobId(), view.createTimeMs(), view.expiredAtMs(), view.expired(),
                view.tableCommitSeqs(), view.jobInfoFileName(), object(view.meta()), object(view.jobInfo()));
    }

    public static BackupController.BackupBody body(CreateBackupRequest request) {
        return new BackupController.BackupBody(request.label(), request.repository(),
                request.tables() == null ? null : request.tables().stream().map(BackupDtos::table).toList(),
                request.timeoutSeconds(), request.content(), request.type(),
                request.retentionPolicy());
    }

    private static BackupController.TableBody table(BackupTable table) {
        return new BackupController.TableBody(table.name(), table.partitions());
    }

    private static Map<String, Object> object(JsonNode file) {
        return file == null ? null : JSON.convertValue(file, new TypeReference<Map<String, Object>>() {});
    }
}
