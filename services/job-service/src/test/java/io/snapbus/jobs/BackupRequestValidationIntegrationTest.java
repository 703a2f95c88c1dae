package io.snapbus.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.snapbus.jobs.catalog.Catalog;
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
        Http.Answer events = http.post("/api/databases/sales/tables", Map.of("name", "events", "columns", List.of(
                Map.of("name", "id", "type", "BIGINT", "isKey", true)), "partitionColumn", "id", "partitions",
                List.of(Map.of("name", "p202601", "lower", "0", "upper", "100"),
                        Map.of("name", "p202602", "lower", "100", "upper", "200")),
                "distributionColumns", List.of("id"), "buckets", 1, "replicationNum", 1));
        assertThat(events.status()).as("%s", events.body()).isEqualTo(201);
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

    @Test
    void aTableOrAPartitionNamedTwiceIsRefusedWithDorissMessageAndCreatesNothing() throws Exception {
        State before = state();
        Map<String, Object> twoLists = request("twice_a", "repo", "events");
        twoLists.put("tables", List.of(Map.of("name", "events", "partitions", List.of("p202601")),
                Map.of("name", "events", "partitions", List.of("p202602"))));
        expect("sales", twoLists, 400, "Duplicated table: events");
        Map<String, Object> twoWhole = request("twice_b", "repo", "events");
        twoWhole.put("tables", List.of(Map.of("name", "events"), Map.of("name", "events")));
        expect("sales", twoWhole, 400, "Duplicated table: events");
        Map<String, Object> partitionTwice = request("twice_c", "repo", "events");
        partitionTwice.put("tables", List.of(Map.of("name", "events", "partitions", List.of("p202601", "p202601"))));
        expect("sales", partitionTwice, 400, "Duplicated partition name: p202601");
        assertUnchanged(before, "twice_");

        // Both partitions in one list is what the refused requests meant: one tablet each, each snapshotted once.
        Map<String, Object> both = request("once", "repo", "events");
        both.put("tables", List.of(Map.of("name", "events", "partitions", List.of("p202601", "p202602"))));
        Http.Answer accepted = http.post("/api/databases/sales/backups", both);
        assertThat(accepted.status()).as("%s", accepted.body()).isEqualTo(201);
        assertThat(accepted.body().get("tablets").asInt()).isEqualTo(2);
        assertThat(http.post("/api/backups/" + accepted.body().get("jobId").asLong() + "/cancel", Map.of())
                .status()).isEqualTo(200);
    }

    @Test
    void aBackupRequestWithAnOverflowingHugeEmptyOrNullInputIsA400NamingTheFieldAndCreatesNothing()
            throws Exception {
        State before = state();
        Map<String, Object> wrapping = request("edge_timeout", "repo", "orders");
        wrapping.put("timeoutSeconds", 18446744073713152L);
        refused(post(wrapping), 400, "timeoutSeconds", "600..31536000");
        refused(post("{\"label\": \"edge_long\", \"repository\": \"repo\", \"tables\": [{\"name\": \"orders\"}],"
                + " \"timeoutSeconds\": 99999999999999999999999}"), 400, "timeoutSeconds", "out of range");
        refused(post("{\"label\": \"edge_type\", \"repository\": \"repo\", \"tables\": [{\"name\": \"orders\"}],"
                + " \"timeoutSeconds\": \"x\"}"), 400, "timeoutSeconds", "expected an integer");
        Http.Answer hugeLabel = post(request("x".repeat(100_000), "repo", "orders"));
        refused(hugeLabel, 400, "Label format error", "x".repeat(64) + "...");
        assertThat(hugeLabel.message()).hasSizeLessThan(300);
        Map<String, Object> hugeContent = request("edge_content", "repo", "orders");
        hugeContent.put("content", "y".repeat(100_000));
        assertThat(refused(post(hugeContent), 400, "Invalid backup job content:").message()).hasSizeLessThan(200);

        refused(post(""), 400, "request body is required");
        refused(post("null"), 400, "request body is required");
        refused(post("{\"label\": \"edge_open\",\n \"repository\": "), 400, "malformed JSON at line 2, column");
        refused(post("{\"label\" \"edge_colon\"}"), 400, "malformed JSON at line 1, column 10");

        Map<String, Object> nullName = request("edge_null", "repo", "orders");
        List<Object> tables = new java.util.ArrayList<>();
        Map<String, Object> unnamed = new HashMap<>();
        unnamed.put("name", null);
        tables.add(unnamed);
        nullName.put("tables", tables);
        refused(post(nullName), 400, "tables[0].name", "a table needs a name");
        List<Object> nullTable = new java.util.ArrayList<>();
        nullTable.add(null);
        nullName.put("tables", nullTable);
        refused(post(nullName), 400, "tables[0]", "a table must not be null");
        Map<String, Object> nullPartition = request("edge_null_part", "repo", "orders");
        List<Object> partitions = new java.util.ArrayList<>();
        partitions.add(null);
        Map<String, Object> table = new HashMap<>();
        table.put("name", "orders");
        table.put("partitions", partitions);
        nullPartition.put("tables", List.of(table));
        refused(post(nullPartition), 400, "tables[0].partitions[0]", "there are empty partition name");
        Map<String, Object> wrongType = request("edge_wrong", "repo", "orders");
        wrongType.put("tables", "orders");
        refused(post(wrongType), 400, "field 'tables'", "expected an array");
        Map<String, Object> noLabel = request("edge_nolabel", "repo", "orders");
        noLabel.remove("label");
        refused(post(noLabel), 400, "label: a backup needs a label");
        Map<String, Object> noTables = request("edge_notables", "repo", "orders");
        noTables.put("tables", List.of());
        refused(post(noTables), 400, "tables: name at least one table to back up");

        refused(http.get("/api/backups/abc"), 400, "'jobId' must be an integer");
        refused(http.get("/api/backups/99999999999999999999"), 400, "'jobId' must be an integer in");
        refused(http.post("/api/backups/" + "9".repeat(30) + "/cancel", Map.of()), 400, "'jobId'");
        refused(http.get("/api/databases/" + "d".repeat(2000) + "/backups"), 400, "at most 128",
                "d".repeat(64) + "...");
        refused(http.get("/api/databases/sales/local-snapshots/" + "l".repeat(5000)), 400, "'label'", "at most 128");
        assertUnchanged(before, "edge_");
    }

    @Test
    void badInputToEveryOtherEndpointIsA4xxWithAClearMessageAndChangesNothing() throws Exception {
        State before = state();
        String huge = "z".repeat(100_000);
        String tables = "/api/databases/sales/tables";
        for (String path : List.of("/api/databases", "/api/backends", tables, tables + "/orders/partitions",
                "/api/databases/sales/views", "/api/resources", "/api/databases/sales/odbc-tables",
                "/api/repositories", "/api/debug-points/backup-pauses")) {
            refused(http.post(path, ""), 400, "request body is required");
            refused(http.post(path, "null"), 400, "request body is required");
            refused(http.post(path, "{\"name\": "), 400, "malformed JSON at line 1, column");
            refused(http.post(path, "[1, 2]"), 400, "request body: expected an object");
        }
        refused(http.patch("/api/repositories/repo", Map.of("properties", "x")), 400, "field 'properties'",
                "expected an object");

        // Databases
        refused(http.post("/api/databases", Map.of("name", huge)), 400, "name: at most 64 characters");
        refused(http.post("/api/databases", Map.of("name", List.of("a"))), 400, "field 'name'", "expected a string");
        refused(http.post("/api/databases", "{\"name\": null}"), 400, "Incorrect database name 'null'");
        // Backends
        refused(http.post("/api/backends", "{\"host\": \"127.0.0.1\", \"bePort\": 99999999999}"), 400,
                "field 'bePort'", "out of range", "-2147483648..2147483647");
        refused(http.post("/api/backends", Map.of("host", "127.0.0.1", "bePort", 70000)), 400, "be_port 1..65535");
        refused(http.post("/api/backends", Map.of("host", "127.0.0.1", "bePort", 9999, "httpPort", 70000)), 400,
                "httpPort: a port is 0..65535");
        refused(http.post("/api/backends", Map.of("host", huge, "bePort", 9999)), 400, "host: a host has at most 255");
        refused(http.post("/api/backends", "{\"host\": null, \"bePort\": 9999}"), 400, "A backend needs a host");
        refused(http.post("/api/backends", Map.of("host", "127.0.0.1", "bePort", "x")), 400, "field 'bePort'",
                "expected an integer");
        // Tables and partitions
        Map<String, Object> table = new HashMap<>(Map.of("name", "edge_t", "columns", List.of(Map.of("name", "id",
                "type", "BIGINT", "isKey", true)), "distributionColumns", List.of("id"), "buckets", 1,
                "replicationNum", 1));
        refused(http.post(tables, with(table, "buckets", 99999999999L)), 400, "field 'buckets'", "out of range");
        refused(http.post(tables, with(table, "buckets", Integer.MAX_VALUE)), 400, "Buckets must be 1..");
        refused(http.post(tables, with(table, "replicationNum", -1)), 400, "Replication num must be 1..32");
        refused(http.post(tables, with(table, "name", huge)), 400, "name: at most 64 characters");
        refused(http.post(tables, with(table, "comment", huge)), 400, "comment: at most 4096 characters");
        refused(http.post(tables, with(table, "columns", "id")), 400, "field 'columns'", "expected an array");
        refused(http.post(tables, with(table, "columns", nullList())), 400, "columns[0]: A column must not be null");
        refused(http.post(tables, with(table, "columns", List.of(with(Map.of("type", "BIGINT"), "name", null)))),
                400, "Incorrect column name 'null'");
        refused(http.post(tables, with(table, "columns", List.of(Map.of("name", "id", "type", huge)))), 400,
                "columns[0].type: a type has at most 64 characters");
        refused(http.post(tables, with(table, "properties", with(Map.of(), "k", null))), 400,
                "a property needs a value");
        refused(http.post(tables, with(table, "name", null)), 400, "Incorrect table name 'null'");
        refused(http.post(tables + "/orders/partitions", with(Map.of("lower", "200", "upper", "300"), "name", null)),
                400, "Incorrect partition name 'null'");
        refused(http.post(tables + "/orders/partitions", Map.of("name", "edge_p", "lower", "200", "upper",
                "9".repeat(30))), 400, "upper bound", "out of range for BIGINT");
        refused(http.post(tables + "/orders/partitions", Map.of("name", "edge_p", "lower", "200", "upper", huge)),
                400, "upper: a partition bound has at most 64 characters");
        // Loads
        refused(http.postRaw(tables + "/items/loads", "application/x-ndjson", "{\"id\": " + "9".repeat(30) + "}\n"),
                400, "line 1");
        refused(http.postRaw(tables + "/items/loads", "application/x-ndjson", "{\"" + huge + "\": 1}\n"), 400,
                "line 1");
        refused(http.postRaw(tables + "/items/loads", "application/x-ndjson", ""), 400, "no rows");
        refused(http.postRaw(tables + "/items/loads", "text/csv", "null\n"), 400, "line 1");
        // Views, resources, ODBC tables
        refused(http.post("/api/databases/sales/views", with(Map.of("name", "edge_v"), "sql", null)), 400,
                "A view needs its SELECT statement");
        refused(http.post("/api/databases/sales/views", Map.of("name", "edge_v", "sql", "SELECT 1", "columns",
                nullList())), 400, "columns[0]: A column must not be null");
        refused(http.post("/api/resources", Map.of("name", "edge_r", "properties", with(Map.of(), "host", null))),
                400, "a property needs a value");
        refused(http.post("/api/resources", Map.of("name", "edge_r", "properties", "x")), 400,
                "field 'properties'", "expected an object");
        refused(http.post("/api/resources", Map.of("name", "edge_r", "properties", Map.of(huge.substring(0, 1000),
                "x"))), 400, "at most 64 characters");
        refused(http.post("/api/resources", Map.of("name", "edge_r", "properties", Map.of(huge, "x"))), 400,
                "field 'properties'", "exceeds the maximum allowed");
        refused(http.post("/api/databases/sales/odbc-tables", with(Map.of("name", "edge_o", "remoteTable", "t",
                "columns", List.of(Map.of("name", "a", "type", "INT"))), "resourceName", null)), 400,
                "resourceName: An ODBC table needs resourceName");
        // Repositories
        refused(http.post("/api/repositories", Map.of("name", huge, "location", dir.resolve("edge_r").toUri()
                .toString())), 400, "name: at most 64 characters");
        refused(http.post("/api/repositories", with(Map.of("name", "edge_r"), "location", null)), 400, "location");
        refused(http.post("/api/repositories", Map.of("name", "edge_r", "location", dir.resolve("edge_r").toUri()
                .toString(), "readOnly", "maybe")), 400, "field 'readOnly'", "expected true or false");
        refused(http.post("/api/repositories", Map.of("name", "edge_r", "location", "s3://b/p", "properties",
                with(Map.of(), "s3.region", null))), 400, "a property needs a value");
        refused(http.patch("/api/repositories/repo", Map.of("credentialRef", huge)), 400,
                "credentialRef: at most 64 characters");
        refused(http.patch("/api/repositories/" + huge.substring(0, 200), Map.of("credentialRef", "x")), 400,
                "at most 128");
        // Debug points
        refused(http.post("/api/debug-points/backup-pauses", with(Map.of(), "state", null)), 400,
                "state must be one of");
        refused(http.post("/api/debug-points/backup-pauses", Map.of("state", "PENDING", "labelPrefix", huge)), 400,
                "labelPrefix: a label prefix has at most 128 characters");
        refused(http.post("/api/debug-points/backup-pauses", Map.of("state", List.of())), 400, "field 'state'",
                "expected a string");
        assertThat(http.get("/api/debug-points/backup-pauses").body()).isEmpty();

        assertUnchanged(before, "edge_");
        assertThat(dir.resolve("edge_r")).doesNotExist();
    }

    /** What a refused request must leave as it was. */
    private record State(long catalogSeq, int repositories, int backends, List<String> topLevel, int nodeSnapshots) {}

    private State state() throws Exception {
        try (var files = Files.list(dir)) {
            return new State(app.getBean("catalog", Catalog.class).seq(),
                    http.get("/api/repositories").body().size(), http.get("/api/backends").body().size(),
                    files.map(p -> p.getFileName().toString()).sorted().toList(), node.store().snapshots().size());
        }
    }

    private void assertUnchanged(State before, String labelPrefix) throws Exception {
        assertThat(state()).isEqualTo(before);
        List<String> labels = new java.util.ArrayList<>();
        http.get("/api/databases/sales/backups").body().forEach(j -> labels.add(j.get("snapshotName").asText()));
        assertThat(labels).noneMatch(l -> l.startsWith(labelPrefix));
        try (var files = Files.walk(dir.resolve("repo"))) {
            assertThat(files.map(Path::toString)).noneMatch(p -> p.contains("__ss_" + labelPrefix));
        }
    }

    private Http.Answer post(Object body) {
        return http.post("/api/databases/sales/backups", body);
    }

    /** A 4xx with a clear message: the fragments, no Java internals, never a huge echo. */
    private static Http.Answer refused(Http.Answer answer, int status, String... fragments) {
        assertThat(answer.status()).as("%s", answer.body()).isEqualTo(status);
        assertThat(answer.error()).as("%s", answer.body()).isNotBlank();
        assertThat(answer.message()).as("%s", answer.body()).contains(fragments).hasSizeLessThan(1000)
                .doesNotContain("java.", "org.springframework", "com.fasterxml", "public ", "Exception");
        return answer;
    }

    private static Map<String, Object> with(Map<String, ?> base, String key, Object value) {
        Map<String, Object> copy = new HashMap<>(base);
        copy.put(key, value);
        return copy;
    }

    private static List<Object> nullList() {
        List<Object> list = new java.util.ArrayList<>();
        list.add(null);
        return list;
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
