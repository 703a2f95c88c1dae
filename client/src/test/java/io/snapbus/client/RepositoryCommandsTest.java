package io.snapbus.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code snapbus repo} and {@code snapbus snapshot} against the canned job-service. */
class RepositoryCommandsTest extends CannedJobServiceTestBase {

    @Test
    void repoListPrintsTheRepositoriesAsSentOrInColumns() {
        service.answer("GET", "/repositories", List.of(Canned.repository("backups")));

        ClientRun json = run("repo", "list", "-o", "json");
        ClientRun table = run("repo", "list");

        assertThat(json.exitCode()).isZero();
        assertThat(json.json()).isEqualTo(sent(List.of(Canned.repository("backups"))));
        assertThat(table.exitCode()).isZero();
        assertThat(table.out().lines().toList()).containsExactly(
                "RepoId  RepoName  StorageType  Location                     IsReadOnly  CredentialRef  Revision",
                "10001   backups   FILESYSTEM   file:///var/backups/backups  false                      1");
    }

    @Test
    void repoCreateSendsTheRepositoryAndShowsTheCreatedOne() {
        service.answer("POST", "/repositories", Canned.repository("s3backups"));

        ClientRun run = run("repo", "create", "s3backups", "--location", "s3://bucket/prefix",
                "--property", "s3.endpoint=http://127.0.0.1:9000", "--property", "s3.region=us-east-1",
                "--credential-ref", "minio", "--read-only");

        assertThat(run.exitCode()).isZero();
        CannedJobService.Received request = service.only();
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/api/v1/repositories");
        assertThat(body(request)).isEqualTo(MAPPER.readTree("""
                {"name": "s3backups", "location": "s3://bucket/prefix", "properties":
                 {"s3.endpoint": "http://127.0.0.1:9000", "s3.region": "us-east-1"}, "credentialRef": "minio",
                 "readOnly": true}"""));
        assertThat(run.out()).contains("RepoId: 10001", "  Name: s3backups", "StorageType: FILESYSTEM");
    }

    @Test
    void repoAlterPatchesPropertiesAndRemovesOnesAsNull() {
        service.answer("PATCH", "/repositories/s3backups", Canned.repository("s3backups"));

        ClientRun run = run("repo", "alter", "s3backups", "--property", "s3.region=eu-west-1",
                "--remove-property", "s3.path_style", "-o", "json");

        assertThat(run.exitCode()).isZero();
        assertThat(service.only().method()).isEqualTo("PATCH");
        assertThat(body(service.only()).get("properties")).isEqualTo(MAPPER.readTree("""
                {"s3.region": "eu-west-1", "s3.path_style": null}"""));
        assertThat(run.json()).isEqualTo(sent(Canned.repository("s3backups")));
    }

    @Test
    void repoShowFindsTheRepositoryOrSaysItDoesNotExist() {
        service.answer("GET", "/repositories", List.of(Canned.repository("backups")));

        ClientRun found = run("repo", "show", "backups", "-o", "json");
        ClientRun missing = run("repo", "show", "nightly");

        assertThat(found.exitCode()).isZero();
        assertThat(found.json()).isEqualTo(sent(Canned.repository("backups")));
        assertFailed(missing, ExitCode.NOT_FOUND, "Repository nightly does not exist");
    }

    @Test
    void repoDeleteDropsTheRepository() {
        service.answer("DELETE", "/repositories/backups", "{\"dropped\":\"backups\"}");

        ClientRun run = run("repo", "delete", "backups");

        assertThat(run.exitCode()).isZero();
        assertThat(service.only().method()).isEqualTo("DELETE");
        assertThat(run.out().strip()).isEqualTo("Dropped: backups");
    }

    @Test
    void snapshotListPagesAndSaysWhereTheNextPageStarts() {
        service.answer("GET", "/repositories/backups/snapshots?offset=0&limit=50",
                Canned.page(List.of(Canned.snapshot("nightly")), 51, 0, 50));

        ClientRun table = run("snapshot", "list", "backups");
        ClientRun json = run("snapshot", "list", "backups", "--output", "json");

        assertThat(table.exitCode()).isZero();
        assertThat(table.out()).startsWith("Snapshot  Timestamp").contains("nightly")
                .contains("2026-12-06-22-00-00");
        assertThat(table.err().strip()).isEqualTo("1 of 51 shown; next page: --offset 50");
        assertThat(json.json()).isEqualTo(sent(Canned.page(List.of(Canned.snapshot("nightly")), 51, 0, 50)));
        assertThat(json.err()).isEmpty();
    }

    @Test
    void snapshotDeleteSaysWhichBackupsWentAndARefusalExitsFour() {
        service.answer("DELETE", "/repositories/backups/snapshots/nightly", "{\"deletionId\": 77, \"repository\": "
                + "\"backups\", \"label\": \"nightly\", \"timestamps\": [\"2026-12-06-22-00-00\"], "
                + "\"reason\": \"user\"}");
        service.problem("DELETE", "/repositories/backups/snapshots/hourly", 409, "ALREADY_EXISTS", "Conflict",
                "Snapshot hourly is being restored by restore job 9; cancel it or wait for it to end");

        ClientRun deleted = run("snapshot", "delete", "backups", "nightly");
        ClientRun refused = run("snapshot", "delete", "backups", "hourly");

        assertThat(deleted.exitCode()).isZero();
        assertThat(deleted.out()).contains("nightly").contains("2026-12-06-22-00-00").contains("user");
        assertThat(service.received().get(0).method()).isEqualTo("DELETE");
        assertThat(refused.exitCode()).isEqualTo(ExitCode.REFUSED);
        assertThat(refused.err()).contains("Snapshot hourly is being restored by restore job 9");
    }

    @Test
    void policyCreateSendsTheAgeInSecondsAndRunPrintsWhatWasDeleted() throws Exception {
        service.answer("POST", "/retention-policies", "{\"name\": \"nightly\", \"repository\": \"backups\", "
                + "\"expireAfterSeconds\": 2592000, \"minCount\": 3, \"maxCount\": 30, \"createdAtMs\": 1}");
        service.answer("POST", "/retention-policies/nightly/run", "{\"policy\": \"nightly\", \"repository\": "
                + "\"backups\", \"deleted\": [\"n1\", \"n2\"], \"failedDeleted\": [], \"kept\": 30, "
                + "\"refused\": [], \"budgetExhausted\": false, \"startedAtMs\": 1, \"finishedAtMs\": 2}");

        ClientRun created = run("policy", "create", "nightly", "--repo", "backups", "--expire-after", "30d",
                "--min-count", "3", "--max-count", "30");
        ClientRun ran = run("policy", "run", "nightly", "-o", "json");
        ClientRun badAge = run("policy", "create", "x", "--repo", "backups", "--expire-after", "soon");

        assertThat(created.exitCode()).isZero();
        assertThat(MAPPER.readTree(service.received().get(0).body())).isEqualTo(MAPPER.readTree(
                "{\"name\": \"nightly\", \"repository\": \"backups\", \"expireAfterSeconds\": 2592000, "
                        + "\"minCount\": 3, \"maxCount\": 30}"));
        assertThat(ran.json().get("deleted").toString()).isEqualTo("[\"n1\",\"n2\"]");
        assertThat(badAge.exitCode()).isEqualTo(2);
        assertThat(badAge.err()).contains("'soon' is no age");
        assertThat(service.received()).hasSize(2);
    }

    @Test
    void snapshotShowLooksThroughEveryPage() {
        service.answer("GET", "/repositories/backups/snapshots?offset=0&limit=500",
                Canned.page(List.of(Canned.snapshot("hourly")), 2, 0, 1));
        service.answer("GET", "/repositories/backups/snapshots?offset=1&limit=500",
                Canned.page(List.of(Canned.snapshot("nightly")), 2, 1, null));

        ClientRun found = run("snapshot", "show", "backups", "nightly");
        ClientRun missing = run("snapshot", "show", "backups", "weekly");

        assertThat(found.exitCode()).isZero();
        assertThat(found.out().lines().toList()).containsExactly(
                "Snapshot  Timestamp            InfoFile",
                "nightly   2026-12-05-22-00-00  __info_2026-12-05-22-00-00.aa11",
                "nightly   2026-12-06-22-00-00  __info_2026-12-06-22-00-00.bb22");
        assertFailed(missing, ExitCode.NOT_FOUND, "Snapshot weekly does not exist in repository backups");
    }

    @Test
    void snapshotVerifyStartsAVerificationAtTheLevelAsked() {
        service.answer("POST", "/repositories/backups/snapshots/nightly/verify",
                "{\"id\":7,\"timestamp\":\"2026-12-06-22-00-00\",\"level\":\"data\"}");

        ClientRun run = run("snapshot", "verify", "backups", "nightly", "--level", "data", "--timestamp",
                "2026-12-06-22-00-00", "-o", "json");

        assertThat(run.exitCode()).isZero();
        assertThat(body(service.only())).isEqualTo(MAPPER.readTree("""
                {"timestamp": "2026-12-06-22-00-00", "level": "data"}"""));
        assertThat(run.json().get("id").asLong()).isEqualTo(7);
    }

    @Test
    void snapshotVerifyWaitPrintsTheReportAndExitsOneWhenItFailed() {
        service.answer("POST", "/repositories/backups/snapshots/nightly/verify",
                "{\"id\":7,\"timestamp\":\"2026-12-06-22-00-00\",\"level\":\"files\"}");
        service.answer("GET", "/verifications/7", Canned.verification(7, "RUNNING"));
        service.answer("GET", "/verifications/7", Canned.verification(7, "FAILED"));

        ClientRun run = run("snapshot", "verify", "backups", "nightly", "--wait");

        assertThat(run.exitCode()).isEqualTo(ExitCode.FAILED);
        assertThat(run.err()).isEqualToIgnoringNewLines("verification 7: 100.0% 40/40 files, 4.0 KB read");
        assertThat(run.out()).contains("State: FAILED", "Message: 1 MD5_MISMATCH")
                .contains("MD5_MISMATCH  snapbus/nightly/t1.dat  70001     aa        bb");
        assertThat(service.received()).extracting(CannedJobService.Received::path).containsExactly(
                "/api/v1/repositories/backups/snapshots/nightly/verify", "/api/v1/verifications/7",
                "/api/v1/verifications/7");
    }

    @Test
    void verificationShowsAPassedReport() {
        service.answer("GET", "/verifications/7", Canned.verification(7, "PASSED"));

        ClientRun run = run("snapshot", "verification", "7", "-o", "json");

        assertThat(run.exitCode()).isZero();
        assertThat(run.json()).isEqualTo(sent(Canned.verification(7, "PASSED")));
    }
}
