package io.snapbus.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
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
                 {"name": "customers", "partitions": []}], "timeoutSeconds": 3600, "content": null}"""));
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
}
