package io.snapbus.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** {@code snapbus backup} and {@code snapbus restore} against the canned job-service. */
class JobCommandsTest extends CannedJobServiceTestBase {

    @Test
    void backupStartSendsTheTablesAndPrintsTheJobAsSent() {
        service.answer("POST", "/databases/demo/backups", Canned.backup(5, "PENDING"));

        ClientRun run = run("backup", "start", "demo", "nightly", "--repo", "backups", "--on", "orders:p1,p2",
                "--on", "customers", "--timeout", "3600", "-o", "json");

        assertThat(run.exitCode()).isZero();
        assertThat(run.json()).isEqualTo(sent(Canned.backup(5, "PENDING")));
        CannedJobService.Received request = service.only();
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/api/v1/databases/demo/backups");
        assertThat(body(request)).isEqualTo(MAPPER.readTree("""
                {"label": "nightly", "repository": "backups", "tables": [{"name": "orders", "partitions": ["p1", "p2"]},
                 {"name": "customers", "partitions": []}], "timeoutSeconds": 3600, "content": null,
                 "type": null, "retentionPolicy": null}"""));
    }

    @Test
    void backupStartFullAsksForAFullUpload() {
        service.answer("POST", "/databases/demo/backups", Canned.backup(5, "PENDING"));

        ClientRun run = run("backup", "start", "demo", "nightly", "--repo", "backups", "--on", "orders", "--full");

        assertThat(run.exitCode()).isZero();
        assertThat(body(service.only()).get("type").asText()).isEqualTo("full");
    }

    @Test
    void backupStartWaitFollowsTheJobToFinished() {
        service.answer("POST", "/databases/demo/backups", Canned.backup(5, "PENDING"));
        service.answer("GET", "/backups/5", Canned.backup(5, "UPLOADING"));
        service.answer("GET", "/backups/5", Canned.backup(5, "FINISHED"));

        ClientRun run = run("backup", "start", "demo", "nightly", "--repo", "backups", "--on", "orders", "--wait");

        assertThat(run.exitCode()).isZero();
        assertThat(run.err().strip()).isEqualTo("backup 5: UPLOADING 3/8");
        assertThat(run.out()).contains("State: FINISHED", "SnapshotName: nightly");
    }

    @Test
    void restoreShowWaitExitsFiveWhenTheJobEndsCancelled() {
        service.answer("GET", "/restores/9", Canned.restore(9, "DOWNLOADING"));
        service.answer("GET", "/restores/9", Canned.restore(9, "CANCELLED"));

        ClientRun run = run("restore", "show", "9", "--wait", "-o", "json");

        assertThat(run.exitCode()).isEqualTo(ExitCode.CANCELLED);
        assertThat(run.json()).isEqualTo(sent(Canned.restore(9, "CANCELLED")));
        assertThat(run.err().strip()).isEqualTo("restore 9: DOWNLOADING 2/4");
    }

    @Test
    void backupStartWatchFollowsTheEventStreamALinePerEventWhenNotOnATerminal() {
        service.answer("POST", "/databases/demo/backups", Canned.backup(5, "PENDING"));
        service.answer("GET", "/backups/5/events", 200, "text/event-stream", events(
                event(5, "BACKUP", "CURRENT", null, "SNAPSHOTING", 1000, progress(2, 8, 0, 8, 0, 0), ""),
                event(5, "BACKUP", "STATE_CHANGED", "SNAPSHOTING", "UPLOADING", 2000, progress(8, 8, 0, 8, 0, 0), ""),
                event(5, "BACKUP", "TASK_RETRY", "UPLOADING", "UPLOADING", 2500, progress(8, 8, 3, 8, 3072, 12),
                        "UPLOAD task 77 on backend 10001 sent again (attempt 2)"),
                event(5, "BACKUP", "FINISHED", "UPLOAD_INFO", "FINISHED", 4000, progress(8, 8, 8, 8, 8192, 32), "")));
        service.answer("GET", "/backups/5", Canned.backup(5, "FINISHED"));

        ClientRun run = run("backup", "start", "demo", "nightly", "--repo", "backups", "--on", "orders", "--watch");

        assertThat(run.exitCode()).isZero();
        List<String> lines = run.err().lines().map(line -> line.substring(9)).toList(); // without the time
        assertThat(lines).containsExactly(
                "backup 5 CURRENT SNAPSHOTING 2/8 snapshots 0 B",
                "backup 5 STATE_CHANGED SNAPSHOTING -> UPLOADING 0/8 tablets uploaded 0 B",
                "backup 5 TASK_RETRY UPLOADING 3/8 tablets uploaded 3.0 KiB  UPLOAD task 77 on backend 10001 sent"
                        + " again (attempt 2)",
                "backup 5 FINISHED UPLOAD_INFO -> FINISHED 8/8 tablets uploaded 8.0 KiB");
        assertThat(run.out()).contains("State: FINISHED", "SnapshotName: nightly");
        assertThat(service.received()).extracting(CannedJobService.Received::path).containsExactly(
                "/api/v1/databases/demo/backups", "/api/v1/backups/5/events", "/api/v1/backups/5");
    }

    @Test
    void restoreShowWatchExitsFiveWhenTheStreamEndsCancelled() {
        service.answer("GET", "/restores/9/events", 200, "text/event-stream", events(
                event(9, "RESTORE", "CURRENT", null, "DOWNLOADING", 1000, null, ""),
                event(9, "RESTORE", "CANCELLED", "DOWNLOADING", "CANCELLED", 2000, null, "user cancelled")));
        service.answer("GET", "/restores/9", Canned.restore(9, "CANCELLED"));

        ClientRun run = run("restore", "show", "9", "--watch", "-o", "json");

        assertThat(run.exitCode()).isEqualTo(ExitCode.CANCELLED);
        assertThat(run.json()).isEqualTo(sent(Canned.restore(9, "CANCELLED")));
        assertThat(run.err()).contains("restore 9 CANCELLED DOWNLOADING -> CANCELLED", "user cancelled");
    }

    @Test
    void waitAndWatchTogetherAreRefused() {
        ClientRun run = run("backup", "show", "5", "--wait", "--watch");

        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).contains("--wait", "--watch", "mutually exclusive");
        assertThat(service.received()).isEmpty();
    }

    @Test
    void onATerminalTheWatchRedrawsOneBarWithRateAndEta() {
        java.io.StringWriter text = new java.io.StringWriter();
        ProgressLine line = new ProgressLine(new java.io.PrintWriter(text), true);
        line.accept(MAPPER.readValue(event(5, "BACKUP", "STATE_CHANGED", "SNAPSHOTING", "UPLOADING", 10_000,
                progress(8, 8, 0, 8, 0, 0), ""), io.snapbus.api.event.JobEvent.class));
        line.accept(MAPPER.readValue(event(5, "BACKUP", "PROGRESS", "UPLOADING", "UPLOADING", 12_000,
                progress(8, 8, 4, 8, 4 << 20, 16), ""), io.snapbus.api.event.JobEvent.class));
        line.accept(MAPPER.readValue(event(5, "BACKUP", "FINISHED", "UPLOAD_INFO", "FINISHED", 14_000,
                progress(8, 8, 8, 8, 8 << 20, 32), ""), io.snapbus.api.event.JobEvent.class));

        List<String> frames = List.of(text.toString().split("\r"));
        assertThat(frames.get(2).strip()).isEqualTo("backup 5 UPLOADING   [############------------] 4/8 tablets "
                + "uploaded  16 files  4.0 MiB  2.0 MiB/s  ETA 2s");
        assertThat(frames.get(3)).startsWith("backup 5 FINISHED    [########################] 8/8 tablets uploaded"
                + "  32 files  8.0 MiB").endsWith("\n");
    }

    @Test
    void backupStartRefusedPrintsTheProblemAndExitsFour() {
        service.problem("POST", "/databases/demo/backups", 409, "ALREADY_EXISTS",
                "Already exists or not allowed in this state",
                "Can only run one backup or restore job of a database at same time");

        ClientRun run = run("backup", "start", "demo", "nightly", "--repo", "backups", "--on", "orders");

        assertFailed(run, ExitCode.REFUSED, "Already exists or not allowed in this state (409): Can only run one "
                + "backup or restore job of a database at same time");
    }

    @Test
    void backupListShowsDorisColumnsOfShowBackup() {
        service.answer("GET", "/databases/demo/backups?offset=0&limit=50",
                Canned.page(List.of(Canned.backup(5, "FINISHED")), 1, 0, null));

        ClientRun run = run("backup", "list", "demo");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out().lines().findFirst().orElseThrow()).isEqualTo("JobId  SnapshotName  DbName  State     "
                + "BackupObjs           CreateTime           FinishedTime  Progress  Status");
        assertThat(run.out()).contains("5      nightly       demo    FINISHED  [orders, customers]");
        assertThat(run.err()).isEmpty();
    }

    @Test
    void backupShowOfAnUnknownJobExitsThree() {
        service.problem("GET", "/backups/77", 404, "NOT_FOUND", "Not found", "backup job 77 does not exist");

        ClientRun run = run("backup", "show", "77");

        assertFailed(run, ExitCode.NOT_FOUND, "Not found (404): backup job 77 does not exist");
    }

    @Test
    void backupCancelPostsTheCancel() {
        service.answer("POST", "/backups/5/cancel", "{\"status\":\"CANCELLED\",\"jobIds\":[5]}");

        ClientRun run = run("backup", "cancel", "5");

        assertThat(run.exitCode()).isZero();
        assertThat(service.only().method()).isEqualTo("POST");
        assertThat(service.only().path()).isEqualTo("/api/v1/backups/5/cancel");
        assertThat(run.out()).contains("Status: CANCELLED", "JobIds: [5]");
    }

    @Test
    void restoreStartSendsTablesAliasesAndDorisProperties() {
        service.answer("POST", "/databases/demo/restores", Canned.restore(9, "PENDING"));

        ClientRun run = run("restore", "start", "demo", "nightly", "--repo", "backups",
                "--on", "orders:p1,p2=orders_copy", "--on", "customers", "--timestamp", "2026-12-06-22-00-00",
                "--property", "replication_num=1", "--property", "atomic_restore=true");

        assertThat(run.exitCode()).isZero();
        assertThat(body(service.only())).isEqualTo(MAPPER.readTree("""
                {"label": "nightly", "repository": "backups",
                 "on": [{"name": "orders", "partitions": ["p1", "p2"], "alias": "orders_copy"},
                        {"name": "customers", "partitions": [], "alias": null}],
                 "exclude": null,
                 "properties": {"replication_num": "1", "atomic_restore": "true",
                                "backup_timestamp": "2026-12-06-22-00-00"}}"""));
        assertThat(run.out()).contains("ReserveDynamicPartitionEnable: false", "ReplicaAllocation: "
                + "tag.location.default: 3");
    }

    @Test
    void restoreStartExcludesTablesAndWithoutATimestampRestoresTheLabelsNewestBackup() {
        service.answer("GET", "/repositories/backups/snapshots?offset=0&limit=500",
                Canned.page(List.of(Canned.snapshot("weekly"), Canned.snapshot("nightly")), 2, 0, null));
        service.answer("POST", "/databases/demo/restores", Canned.restore(9, "PENDING"));

        ClientRun run = run("restore", "start", "demo", "nightly", "--repo", "backups", "--exclude", "logs:p9");

        assertThat(run.exitCode()).isZero();
        JsonNode sent = body(service.received().get(1));
        assertThat(sent.get("exclude")).isEqualTo(MAPPER.readTree("""
                [{"name": "logs", "partitions": ["p9"], "alias": null}]"""));
        assertThat(sent.at("/properties/backup_timestamp").asText()).isEqualTo("2026-12-06-22-00-00");
        assertThat(run.err()).contains("restoring backup 2026-12-06-22-00-00 of nightly, its newest");
    }

    @Test
    void restoreStartOfALabelTheRepositoryDoesNotHoldIsNotFoundAndStartsNothing() {
        service.answer("GET", "/repositories/backups/snapshots?offset=0&limit=500",
                Canned.page(List.of(Canned.snapshot("weekly")), 1, 0, null));

        ClientRun run = run("restore", "start", "demo", "nightly", "--repo", "backups");

        assertFailed(run, ExitCode.NOT_FOUND, "Snapshot nightly does not exist in repository backups");
        assertThat(service.received()).hasSize(1);
    }

    @Test
    void restoreStartWithTheTimestampTwiceIsAUsageErrorAndSendsNothing() {
        ClientRun run = run("restore", "start", "demo", "nightly", "--repo", "backups", "--timestamp",
                "2026-12-06-22-00-00", "--property", "backup_timestamp=2026-12-05-22-00-00");

        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).contains("give the backup timestamp once");
        assertThat(service.received()).isEmpty();
    }

    @Test
    void restoreListShowsDorisColumnsOfShowRestore() {
        service.answer("GET", "/databases/demo/restores?offset=0&limit=50",
                Canned.page(List.of(Canned.restore(9, "FINISHED")), 1, 0, null));

        ClientRun run = run("restore", "list", "demo");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out().lines().findFirst().orElseThrow()).startsWith("JobId  Label    Timestamp            "
                + "DbName  State     RestoreObjs  CreateTime");
    }

    @Test
    void restoreCancelAllCancelsEveryRestoreOfTheDatabase() {
        service.answer("POST", "/databases/demo/restores/cancel", "{\"status\":\"CANCELLED\",\"jobIds\":[9,10]}");

        ClientRun run = run("restore", "cancel-all", "demo", "-o", "json");

        assertThat(run.exitCode()).isZero();
        assertThat(run.json().get("jobIds").toString()).isEqualTo("[9,10]");
    }

    @Test
    void restoreCancelOnceItSwapsPartitionsInIsRefused() {
        service.problem("POST", "/restores/9/cancel", 409, "CONFLICT", "Conflict",
                "restore 9 is committing and cannot be cancelled");

        ClientRun run = run("restore", "cancel", "9");

        assertFailed(run, ExitCode.REFUSED, "Conflict (409): restore 9 is committing and cannot be cancelled");
    }

    static String events(String... data) {
        StringBuilder body = new StringBuilder(": a comment line, as the keep-alive sends\n\n");
        for (String one : data) {
            body.append("event: x\nid: x\ndata:").append(one).append("\n\n");
        }
        return body.toString();
    }

    static String event(long jobId, String type, String kind, String from, String state, long atMs,
            Map<String, Object> progress, String message) {
        Map<String, Object> event = new java.util.HashMap<>();
        event.put("eventId", jobId + "-" + atMs);
        event.put("jobId", jobId);
        event.put("jobType", type);
        event.put("label", "nightly");
        event.put("dbName", "demo");
        event.put("repositoryName", "backups");
        event.put("seq", atMs);
        event.put("timestampMs", atMs);
        event.put("kind", kind);
        event.put("fromState", from);
        event.put("state", state);
        event.put("progress", progress);
        event.put("status", "OK");
        event.put("message", message);
        return MAPPER.writeValueAsString(event);
    }

    static Map<String, Object> progress(int snapshots, int snapshotsTotal, int uploads, int uploadsTotal, long bytes,
            long files) {
        Map<String, Object> counts = new java.util.HashMap<>(Map.of("snapshotsDone", snapshots, "snapshotsTotal",
                snapshotsTotal, "uploadsDone", uploads, "uploadsTotal", uploadsTotal, "bytesUploaded", bytes,
                "filesUploaded", files));
        for (String restoreCount : List.of("replicasTotal", "replicasCreated", "replicasDownloaded", "replicasMoved",
                "replicasChecked", "bytesDownloaded")) {
            counts.put(restoreCount, 0);
        }
        return counts;
    }
}
