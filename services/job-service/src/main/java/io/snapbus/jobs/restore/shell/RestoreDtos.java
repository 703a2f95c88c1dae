package io.snapbus.jobs.restore.shell;

import io.snapbus.api.restore.CreateRestoreRequest;
import io.snapbus.api.restore.RestoreJob;
import io.snapbus.api.restore.RestoreTable;
import java.util.List;

/** The one place restore rows become v1 records, and a v1 restore request the shell's body. */
public final class RestoreDtos {
    private RestoreDtos() {}

    public static RestoreJob job(ShowRestoreRow row) {
        return new RestoreJob(row.jobId(), row.label(), row.timestamp(), row.dbName(), row.state(), row.allowLoad(),
                row.replicationNum(), row.replicaAllocation(), row.reserveReplica(),
                row.reserveDynamicPartitionEnable(), row.restoreObjs(), row.createTime(), row.metaPreparedTime(),
                row.snapshotFinishedTime(), row.downloadFinishedTime(), row.finishedTime(), row.unfinishedTasks(),
                row.progress(), row.taskErrMsg(), row.status(), row.timeout(), row.commitStep(), row.replicas(),
                row.replicasCreated(), row.replicasDownloaded(), row.replicasMoved(), row.replicasChecked(),
                row.bytesDownloaded(), row.persistence());
    }

    public static RestoreController.RestoreBody body(CreateRestoreRequest request) {
        return new RestoreController.RestoreBody(request.label(), request.repository(), tables(request.on()),
                tables(request.exclude()), request.properties());
    }

    /** Null stays null: "on" and "exclude" absent mean every object of the snapshot. */
    private static List<RestoreController.TableBody> tables(List<RestoreTable> tables) {
        return tables == null ? null : tables.stream()
                .map(t -> new RestoreController.TableBody(t.name(), t.partitions(), t.alias())).toList();
    }
}
