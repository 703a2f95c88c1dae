package io.snapbus.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.snapbus.kafka.KafkaClients;
import io.snapbus.kafka.SnapbusKafkaProperties;
import io.snapbus.local.LocalStack;
import io.snapbus.node.StorageNode;
import io.snapbus.node.StorageNodeConfig;
import io.snapbus.testing.SnapbusInfra;
import io.snapbus.testing.SnapbusInfraExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Every bad backup request answers 4xx with Doris's message and creates nothing: no job, no task, no file. Also what
 * PENDING finds when the catalog changed after the request was accepted.
 */
@SnapbusInfra
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BackupRequestValidationIntegrationTest {
    private final String prefix = SnapbusInfraExtension.uniqueName("backup-api") + ".";
    private Path dir;
    private StorageNode node;
    private ConfigurableApplicationContext app;
    private KafkaClients agentClients;
    private StandInAgent agent;
    private Http http;

    @BeforeAll
    void start(LocalStack stack) throws Exception {
        dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "backup-api-");
        node = StorageNode.start(StorageNodeConfig.defaults(dir.resolve("node")).toBuilder().bePort(0).build());
        app = new SpringApplicationBuilder(JobServiceApplication.class).run("--server.port=0",
                "--server.address=127.0.0.1", "--snapbus.kafka.bootstrap-servers=" + stack.bootstrapServers(),
                "--snapbus.kafka.registry.url=" + stack.registryUrl(), "--snapbus.kafka.topic-prefix=" + prefix,
                "--snapbus.backup.work-dir=" + dir.resolve("work"), "--snapbus.backup.debug-points-enabled=true");
        http = new Http(((WebServerApplicationContext) app).getWebServer().getPort());
        agentClients = new KafkaClients(SnapbusKafkaProperties.local(stack.bootstrapServers(), stack.registryUrl())
                .withTopicPrefix(prefix));
        agent = new StandInAgent(agentClients);
        assertThat(http.post("/api/databases", Map.of("name", "sales")).status()).isEqualTo(201);
        long backend = http.post("/api/backends", Map.of("host", "127.0.0.1", "bePort", node.port())).body()
                .get("id").asLong();
        agent.attach(backend, node.endpoint());
        Http.Answer table = http.post("/api/databases/sales/tables", Map.of("name", "orders", "columns", List.of(
                Map.of("name", "id", "type", "BIGINT", "isKey", true), Map.of("name", "day", "type", "DATE")),
                "partitionColumn", "id", "partitions", List.of(Map.of("name", "p1", "lower", "0", "upper", "100")),
                "distributionColumns", List.of("id"), "buckets", 1, "replicationNum", 1));
        assertThat(table.status()).as("%s", table.body()).isEqualTo(201);
        Http.Answer items = http.post("/api/databases/sales/tables", Map.of("name", "items", "columns", List.of(
                Map.of("name", "id", "type", "BIGINT", "isKey", true)), "distributionColumns", List.of("id"),
                "buckets", 1, "replicationNum", 1));
        assertThat(items.status()).as("%s", items.body()).isEqualTo(201);
        assertThat(http.post("/api/databases/sales/tables/orders/partitions", Map.of("name", "tp1", "lower", "100",
                "upper", "200", "temporary", true)).status()).isLessThan(300);
        repository("repo", false);
        repository("frozen", true);
        // An earlier snapshot under the label "dup" already sits in the repository.
        Files.createDirectories(dir.resolve("repo/__palo_repository_repo/__ss_dup"));
    }

    @AfterAll
    void stop() throws Exception {
        if (agent != null) {
            agent.close();
        }
        if (agentClients != null) {
            agentClients.close();
        }
        if (app != null) {
            app.close();
        }
        if (node != null) {
            node.close();
        }
    }

    @Test
    void badRequestsAreRefusedWithDorissMessagesAndCreateNothing() {
        expect("sales", request("bad/label", "repo", "orders"), 400, "Label format error");
        expect("sales", request("x".repeat(129), "repo", "orders"), 400, "Label format error");
        expect("nodb", request("ok1", "repo", "orders"), 404, "Unknown database 'nodb'");
        expect("sales", request("ok2", "nope", "orders"), 404, "Repository nope does not exist");
        expect("sales", request("ok3", "frozen", "orders"), 400, "Repository frozen is read only");
        expect("sales", request("ok4", "repo", "no_such_table"), 404, "Unknown table 'no_such_table'");
        Map<String, Object> unknownPartition = request("ok5", "repo", "orders");
        unknownPartition.put("tables", List.of(Map.of("name", "orders", "partitions", List.of("p9"))));
        expect("sales", unknownPartition, 404, "Unknown partition p9 in table orders");
        Map<String, Object> tempPartition = request("ok6", "repo", "orders");
        tempPartition.put("tables", List.of(Map.of("name", "orders", "partitions", List.of("tp1"))));
        expect("sales", tempPartition, 400, "Do not support backup temp partitions");
        expect("sales", request("ok7", "repo", "orders"), 400, "Do not support backup table with temp partitions");
        Map<String, Object> shortTimeout = request("ok8", "repo", "orders");
        shortTimeout.put("timeoutSeconds", 599);
        expect("sales", shortTimeout, 400, "timeout must be at least 10 min");
        Map<String, Object> badContent = request("ok9", "repo", "orders");
        badContent.put("content", "SOME");
        expect("sales", badContent, 400, "Invalid backup job content:SOME");
        Map<String, Object> duplicate = request("dup", "repo", "orders");
        duplicate.put("tables", List.of(Map.of("name", "orders", "partitions", List.of("p1"))));
        expect("sales", duplicate, 409, "Snapshot with name 'dup' already exist in repository");

        List<String> labels = new java.util.ArrayList<>();
        http.get("/api/databases/sales/backups").body().forEach(j -> labels.add(j.get("snapshotName").asText()));
        assertThat(labels).as("no job from a refused request").noneMatch(l -> l.startsWith("ok") || l.equals("dup")
                || l.startsWith("bad") || l.startsWith("xxx"));
        assertThat(dir.resolve("work")).doesNotExist();
    }

    @Test
    void concurrentBackupsRunWhenTheirTablesDoNotOverlapAndACancelIsRefusedOnceDone() {
        // The stand-in agent does not run snapshots, so this job stays in SNAPSHOTING.
        Http.Answer first = http.post("/api/databases/sales/backups", request("c1", "repo", "items"));
        assertThat(first.status()).as("%s", first.body()).isEqualTo(201);
        long jobId = first.body().get("jobId").asLong();

        expect("sales", request("c2", "repo", "items"), 409, "Table items is already being backed up by job " + jobId);

        assertThat(http.post("/api/backups/" + jobId + "/cancel", Map.of()).status()).isEqualTo(200);
        assertThat(http.get("/api/backups/" + jobId).body().get("status").asText())
                .isEqualTo("[COMMON_ERROR, msg: user cancelled]");
        Http.Answer again = http.post("/api/backups/" + jobId + "/cancel", Map.of());
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.body().get("message").asText())
                .isEqualTo("Job with label c1 can not be cancelled. state: CANCELLED");
        Http.Answer afterCancel = http.post("/api/databases/sales/backups", request("c3", "repo", "items"));
        assertThat(afterCancel.status()).as("%s", afterCancel.body()).isEqualTo(201);
        http.post("/api/backups/" + afterCancel.body().get("jobId").asLong() + "/cancel", Map.of());
    }

    @Test
    void aKeepOnLocalBackupNeedsNoRepositoryAndHasNoLocalSnapshotBeforeItFinishes() {
        // The stand-in agent does not run snapshots, so this job stays in SNAPSHOTING.
        Http.Answer local = http.post("/api/databases/sales/backups", request("l1", "__keep_on_local__", "items"));
        assertThat(local.status()).as("%s", local.body()).isEqualTo(201);
        long jobId = local.body().get("jobId").asLong();

        Http.Answer running = http.get("/api/databases/sales/local-snapshots/l1");
        assertThat(running.status()).isEqualTo(404);
        assertThat(running.body().get("message").asText()).isEqualTo("Local snapshot l1 of database sales does not"
                + " exist (its backup job " + jobId + " is SNAPSHOTING)");
        assertThat(http.get("/api/databases/sales/local-snapshots/nope").status()).isEqualTo(404);
        assertThat(http.get("/api/databases/sales/local-snapshots").body()).isEmpty();
        assertThat(http.get("/api/repositories").body().toString()).doesNotContain("__keep_on_local__");
        assertThat(http.post("/api/backups/" + jobId + "/cancel", Map.of()).status()).isEqualTo(200);
    }

    @Test
    void tablesDroppedBeforePendingAreLeftOutAndWithNoneLeftTheJobIsCancelledAsNotFound() {
        for (String name : List.of("gone_a", "gone_b", "kept")) {
            Http.Answer table = http.post("/api/databases/sales/tables", Map.of("name", name, "columns", List.of(
                    Map.of("name", "id", "type", "BIGINT", "isKey", true)), "distributionColumns", List.of("id"),
                    "buckets", 1, "replicationNum", 1));
            assertThat(table.status()).as("%s", table.body()).isEqualTo(201);
        }
        // Doris's FE.PAUSE_PENDING_BACKUP_JOB: the jobs are accepted, then wait in PENDING.
        assertThat(http.post("/api/debug-points/backup-pauses", Map.of("state", "PENDING", "labelPrefix",
                "dropped_")).status()).isEqualTo(201);
        Map<String, Object> some = request("dropped_some", "repo", "gone_a");
        some.put("tables", List.of(Map.of("name", "gone_a"), Map.of("name", "kept")));
        Http.Answer first = http.post("/api/databases/sales/backups", some);
        Http.Answer second = http.post("/api/databases/sales/backups", request("dropped_all", "repo", "gone_b"));
        assertThat(first.body().get("state").asText()).as("%s", first.body()).isEqualTo("PENDING");
        assertThat(second.body().get("state").asText()).as("%s", second.body()).isEqualTo("PENDING");

        assertThat(http.delete("/api/databases/sales/tables/gone_a").status()).isLessThan(300);
        assertThat(http.delete("/api/databases/sales/tables/gone_b").status()).isLessThan(300);
        assertThat(http.delete("/api/debug-points/backup-pauses").status()).isEqualTo(204);

        long someId = first.body().get("jobId").asLong();
        long allId = second.body().get("jobId").asLong();
        Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() ->
                !http.get("/api/backups/" + someId).body().get("state").asText().equals("PENDING")
                        && http.get("/api/backups/" + allId).body().get("state").asText().equals("CANCELLED"));
        var planned = http.get("/api/backups/" + someId).body();
        assertThat(planned.get("state").asText()).as("%s", planned).isEqualTo("SNAPSHOTING");
        assertThat(planned.get("tablets").asInt()).as("only the tablet of the table left: %s", planned).isEqualTo(1);
        assertThat(http.get("/api/backups/" + allId).body().get("status").asText())
                .isEqualTo("[NOT_FOUND, msg: no valid tables found for backup]");
        assertThat(http.post("/api/backups/" + someId + "/cancel", Map.of()).status()).isEqualTo(200);
    }

    private void repository(String name, boolean readOnly) throws Exception {
        Http.Answer created = http.post("/api/repositories", Map.of("name", name, "location",
                dir.resolve(name).toUri().toString(), "readOnly", readOnly));
        assertThat(created.status()).as("%s", created.body()).isEqualTo(201);
    }

    private static Map<String, Object> request(String label, String repository, String table) {
        Map<String, Object> body = new HashMap<>();
        body.put("label", label);
        body.put("repository", repository);
        body.put("tables", List.of(Map.of("name", table)));
        body.put("timeoutSeconds", 3600);
        return body;
    }

    private void expect(String db, Map<String, Object> body, int status, String message) {
        Http.Answer answer = http.post("/api/databases/" + db + "/backups", body);
        assertThat(answer.status()).as("%s -> %s", body, answer.body()).isEqualTo(status);
        assertThat(answer.body().get("message").asText()).contains(message);
    }
}
