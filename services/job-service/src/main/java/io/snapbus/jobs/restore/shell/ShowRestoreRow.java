package io.snapbus.jobs.restore.shell;

import static io.snapbus.jobs.engine.shell.ShowColumns.capped;
import static io.snapbus.jobs.engine.shell.ShowColumns.time;

import io.snapbus.jobs.restore.RestoreJob;
import io.snapbus.jobs.restore.RestoreOptions;
import io.snapbus.jobs.restore.RestoreRequest;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * One row of SHOW RESTORE with Doris's 21 columns (doris-restore-facts.md §1.3), first, then snapbus's counts; task
 * lists are capped at 100 entries as Doris caps them. Also the JSON the REST API answers.
 */
public record ShowRestoreRow(long jobId, String label, String timestamp, String dbName, String state,
        String allowLoad, String replicationNum, String replicaAllocation, String reserveReplica,
        String reserveDynamicPartitionEnable, String restoreObjs, String createTime, String metaPreparedTime,
        String snapshotFinishedTime, String downloadFinishedTime, String finishedTime, String unfinishedTasks,
        String progress, String taskErrMsg, String status, long timeout,
        String commitStep, int replicas, int replicasCreated, int replicasDownloaded, int replicasMoved,
        int replicasChecked, long bytesDownloaded, String persistence) {

    public static ShowRestoreRow of(RestoreJob job) {
        return of(job, "");
    }

    /** @param persistence why the job's newest state is not persisted yet ("" when it is) */
    public static ShowRestoreRow of(RestoreJob job, String persistence) {
        RestoreOptions options = job.request().options();
        RestoreJob.ReplicaCounts counts = job.counts();
        return new ShowRestoreRow(job.jobId(), job.label(), options.backupTimestamp(), job.request().dbName(),
                job.state().name(), bool(options.allowLoad()), Integer.toString(options.replicationNum()),
                options.replicaAllocationText(), bool(options.reserveReplica()),
                bool(options.reserveDynamicPartitionEnable()), objects(job.request()), time(job.createTimeMs()),
                time(job.metaPreparedTimeMs()), time(job.snapshotFinishedTimeMs()),
                time(job.downloadFinishedTimeMs()), time(job.finishedTimeMs()),
                capped(job.tasks().pending().keySet()), capped(new TreeMap<>(job.tasks().progress())),
                capped(new TreeMap<>(job.tasks().errors())), job.status().toString(), options.timeoutMs() / 1000,
                job.commitStep() == null ? "" : job.commitStep().name(), counts.replicas(), counts.created(),
                counts.downloaded(), counts.moved(), counts.checked(), counts.bytesDownloaded(), persistence);
    }

    private static String bool(boolean b) {
        return b ? "true" : "false";
    }

    /** What was asked for: {@code ON (`t1` PARTITIONS (p1) AS `a`, ...)}, {@code EXCLUDE (...)}, or {@code ALL}. */
    private static String objects(RestoreRequest request) {
        if (request.selection() == RestoreRequest.Selection.ALL) {
            return "ALL";
        }
        return request.selection() + " (" + request.tables().stream().map(t -> "`" + t.name() + "`"
                + (t.partitions().isEmpty() ? "" : " PARTITIONS (" + String.join(", ", t.partitions()) + ")")
                + (t.alias() == null ? "" : " AS `" + t.alias() + "`")).collect(Collectors.joining(", ")) + ")";
    }
}
