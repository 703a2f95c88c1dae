package io.snapbus.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.snapbus.jobs.catalog.Catalog;
import io.snapbus.kafka.KafkaClients;
import io.snapbus.kafka.SnapbusKafkaProperties;
import io.snapbus.local.LocalStack;
import io.snapbus.node.StorageNode;
import io.snapbus.node.StorageNodeConfig;
import io.snapbus.node.tablet.TabletMeta;
import io.snapbus.testing.SnapbusInfra;
import io.snapbus.testing.SnapbusInfraExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The job-service against a real broker and registry, three real storage nodes and a stand-in agent: DDL creates
 * tablets on the nodes, loads advance versions, bad input changes nothing, repositories write their marker, and a
 * restarted service rebuilds the same catalog from the topic. Every test has a database of its own, so each passes
 * alone and in any order.
 */
@SnapbusInfra
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JobServiceIntegrationTest {

    private final String prefix = SnapbusInfraExtension.uniqueName("jobs") + ".";
    private final List<StorageNode> nodes = new ArrayList<>();
    private final Map<Long, StorageNode> nodeOf = new LinkedHashMap<>();
    private LocalStack stack;
    private Path dir;
    private Path portFile;
    private ConfigurableApplicationContext app;
    private StandInAgent agent;
    private KafkaClients agentClients;
    private Http http;
    private int databases;

    @BeforeAll
    void start(LocalStack stack) throws Exception {
        this.stack = stack;
        dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "jobs-it-");
        for (int i = 0; i < 3; i++) {
            nodes.add(StorageNode.start(StorageNodeConfig.defaults(dir.resolve("node" + i)).toBuilder().bePort(0)
                    .build()));
        }
        Files.writeString(dir.resolve("credentials.properties"), "minio.access_key=AKIA\nminio.secret_key=s3cr3t\n");
        portFile = dir.resolve("job-service.port");
        app = startApp();
        agentClients = new KafkaClients(SnapbusKafkaProperties.local(stack.bootstrapServers(), stack.registryUrl())
                .withTopicPrefix(prefix));
        agent = new StandInAgent(agentClients);
        for (StorageNode node : nodes) {
            Http.Answer added = http.post("/api/backends", Map.of("host", "127.0.0.1", "bePort", node.port()));
            assertThat(added.status()).as("%s", added.body()).isEqualTo(201);
            long id = added.body().get("id").asLong();
            nodeOf.put(id, node);
            agent.attach(id, node.endpoint());
        }
    }

    /** A new database of this test's own. */
    private String newDatabase() {
        String name = "sales_" + ++databases;
        Http.Answer created = http.post("/api/databases", Map.of("name", name));
        assertThat(created.status()).as("%s", created.body()).isEqualTo(201);
        return name;
    }

    /** The path of a new three-replica orders table (two partitions, a rollup) in a new database. */
    private String newOrdersTable() {
        String db = newDatabase();
        Http.Answer created = http.post("/api/databases/" + db + "/tables", ordersTable(3));
        assertThat(created.status()).as("%s", created.body()).isEqualTo(201);
        return "/api/databases/" + db + "/tables/orders";
    }

    private static String databaseOf(String table) {
        return table.split("/")[3];
    }

    private ConfigurableApplicationContext startApp() throws Exception {
        ConfigurableApplicationContext context = new SpringApplicationBuilder(CatalogServiceApplication.class)
                .run(
                        "--server.port=0",
                        "--server.address=127.0.0.1",
                        "--snapbus.kafka.bootstrap-servers=" + stack.bootstrapServers(),
                        "--snapbus.kafka.registry.url=" + stack.registryUrl(),
                        "--snapbus.kafka.topic-prefix=" + prefix,
                        "--snapbus.jobs.credentials-file=" + dir.resolve("credentials.properties"),
                        "--snapbus.jobs.task-timeout=30s",
                        "--snapbus.jobs.port-file=" + portFile);
        int port = ((WebServerApplicationContext) context).getWebServer().getPort();
        assertThat(Files.readString(portFile)).isEqualTo(Integer.toString(port));
        http = new Http(port);
        return context;
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
        nodes.forEach(StorageNode::close);
    }

    private Catalog catalog() {
        return app.getBean("catalog", Catalog.class);
    }

    @Test
    void createsARangePartitionedTableWhoseReplicasExistOnTheNodes() throws Exception {
        assertThat(http.get("/api/backends").body()).hasSize(3);

        Http.Answer created = http.post("/api/databases/" + newDatabase() + "/tables", ordersTable(3));
        assertThat(created.status()).as("%s", created.body()).isEqualTo(201);
        JsonNode partitions = created.body().get("partitions");
        assertThat(partitions).hasSize(2);
        int replicas = 0;
        for (JsonNode partition : partitions) {
            assertThat(partition.get("visibleVersion").asLong()).isEqualTo(1);
            assertThat(partition.get("nextVersion").asLong()).isEqualTo(2);
            for (String index : List.of("orders", "by_city")) {
                JsonNode tablets = partition.get("tablets").get(index);
                assertThat(tablets).hasSize(2);
                for (JsonNode tablet : tablets) {
                    Set<Long> backends = new HashSet<>();
                    for (JsonNode replica : tablet.get("replicas")) {
                        backends.add(replica.get("backendId").asLong());
                        TabletMeta meta = nodeOf.get(replica.get("backendId").asLong()).store()
                                .get(tablet.get("id").asLong()).orElseThrow();
                        assertThat(meta.version()).isEqualTo(1);
                        replicas++;
                    }
                    assertThat(backends).hasSize(3);
                }
            }
        }
        assertThat(replicas).isEqualTo(2 * 2 * 2 * 3);
    }

    @Test
    void loadsNdjsonAndCsvAndAdvancesPartitionAndReplicaVersions() {
        String table = newOrdersTable();
        Http.Answer ndjson = http.postRaw(table + "/loads", "application/x-ndjson", """
                {"dt":"2024-01-05","id":1,"city":"Oslo","amount":"10.50"}
                {"dt":"2024-01-20","id":2,"city":"Rome","amount":3}
                {"dt":"2024-02-02","id":3,"city":"Lima","amount":null}
                {"dt":"2024-02-28","id":4,"city":"Kyiv","amount":"7.25"}
                """);
        assertThat(ndjson.status()).as("%s", ndjson.body()).isEqualTo(200);
        assertThat(ndjson.body().get("rows").asLong()).isEqualTo(4);
        assertThat(ndjson.body().get("partitions")).hasSize(2);
        assertVersions(table, Map.of("p202401", 2L, "p202402", 2L));
        assertThat(rowsOnEveryReplica(table, "p202401")).isEqualTo(2);

        Http.Answer csv = http.postRaw(table + "/loads", "text/csv",
                "2024-01-07,5,\"Paris, TX\",1.00\n2024-01-08,6,Oslo,\\N\n2024-01-09,7,Rome,2.5\n");
        assertThat(csv.status()).as("%s", csv.body()).isEqualTo(200);
        assertThat(csv.body().get("rows").asLong()).isEqualTo(3);
        assertVersions(table, Map.of("p202401", 3L, "p202402", 2L));
        assertThat(rowsOnEveryReplica(table, "p202401")).isEqualTo(5);
        assertThat(rowsOnEveryReplica(table, "p202402")).isEqualTo(2);
    }

    @Test
    void refusesBadInputAndChangesNothing() {
        String table = newOrdersTable();
        String db = databaseOf(table);
        long seq = catalog().seq();
        Map<String, Long> versions = nodeVersions();

        expect(http.get("/api/databases/nope/tables"), 404, "Unknown database 'nope'");
        expect(http.delete("/api/databases/nope"), 404, "Unknown database 'nope'");
        expect(http.get("/api/databases/" + db + "/tables/nope"), 404, "Unknown table 'nope'");
        expect(http.delete(table + "/partitions/nope"), 404, "Unknown partition nope in table orders");
        expect(http.post(table + "/partitions/nope/truncate", "{}"), 404, "Unknown partition nope in table orders");
        expect(http.delete("/api/repositories/nope"), 404, "Repository nope does not exist");
        expect(http.get("/api/repositories/nope/snapshots"), 404, "Repository nope does not exist");
        expect(http.postRaw("/api/databases/nope/tables/orders/loads", "application/x-ndjson", "{}\n"), 404,
                "Unknown database 'nope'");

        expect(http.postRaw(table + "/loads", "application/x-ndjson",
                "{\"dt\":\"2024-01-05\",\"id\":8,\"city\":\"a\",\"amount\":1}\n{\"dt\":\"2024-01-05\",\"id\":\"x\"}\n"),
                400, "line 2: column id: not a BIGINT");
        expect(http.postRaw(table + "/loads", "application/x-ndjson", "{\"dt\":\"2024-01-05\",\"id\":9,\"x\":1}\n"),
                400, "line 1: unknown column 'x'");
        expect(http.postRaw(table + "/loads", "application/x-ndjson", "{\"dt\":\"2024-01-05\",\"id\":9\n"), 400,
                "line 1: not valid JSON");
        expect(http.postRaw(table + "/loads", "text/csv", "2024-01-05,1,Oslo,1.0\n2024-01-05,1,Oslo\n"), 400,
                "line 2: expected 4 fields, got 3");
        expect(http.postRaw(table + "/loads", "text/csv", "2024-13-05,1,Oslo,1.0\n"), 400,
                "line 1: column dt: not a DATE");
        expect(http.postRaw(table + "/loads", "text/csv", "2025-01-05,1,Oslo,1.0\n"), 400,
                "line 1: no partition of table orders holds value 2025-01-05");
        expect(http.postRaw(table + "/loads", "text/csv", "\\N,1,Oslo,1.0\n"), 400,
                "line 1: column dt is NOT NULL");
        assertThat(http.postRaw(table + "/loads", "text/plain", "x").status()).isEqualTo(415);

        Map<String, Object> tooManyReplicas = ordersTable(4);
        tooManyReplicas.put("name", "orders4");
        expect(http.post("/api/databases/" + db + "/tables", tooManyReplicas), 400,
                "Failed to find enough backends for replication num 4");
        Map<String, Object> floatKey = ordersTable(1);
        floatKey.put("name", "float_key");
        floatKey.put("columns", List.of(Map.of("name", "f", "type", "DOUBLE", "isKey", true)));
        floatKey.put("partitionColumn", null);
        floatKey.put("partitions", null);
        floatKey.put("distributionColumns", List.of("f"));
        floatKey.put("rollups", null);
        expect(http.post("/api/databases/" + db + "/tables", floatKey), 400, "DOUBLE cannot be a key column");
        Map<String, Object> overlapping = ordersTable(1);
        overlapping.put("name", "overlapping");
        overlapping.put("partitions", List.of(
                Map.of("name", "a", "lower", "2024-01-01", "upper", "2024-02-01"),
                Map.of("name", "b", "lower", "2024-01-15", "upper", "2024-03-01")));
        expect(http.post("/api/databases/" + db + "/tables", overlapping), 400, "intersects partition a");
        expect(http.post("/api/databases/" + db + "/tables", ordersTable(1)), 409, "Table 'orders' already exists");
        expect(http.post("/api/databases/nope/tables", ordersTable(1)), 404, "Unknown database 'nope'");
        expect(http.post("/api/databases", Map.of("name", db)), 409, "database exists");
        expect(http.post("/api/databases", Map.of("name", "1bad")), 400, "Incorrect database name");
        expect(http.post(table + "/partitions", Map.of("name", "p_over", "lower", "2024-01-15", "upper",
                "2024-01-20")), 400, "intersects partition p202401");
        expect(http.post("/api/backends", Map.of("host", "127.0.0.1")), 400, "be_port");
        expect(http.post("/api/databases/" + db + "/odbc-tables", Map.of("name", "o", "resourceName", "nope",
                "remoteTable", "t", "columns", List.of(Map.of("name", "a", "type", "INT")))), 404,
                "Resource(nope) does not exist");
        expect(http.post("/api/repositories", Map.of("name", "1bad", "location", "file://" + dir.resolve("r"))),
                400, "Repository name format error");
        expect(http.post("/api/repositories", Map.of("name", "__keep_on_local__", "location", "file://"
                + dir.resolve("k"))), 400, "Repository name __keep_on_local__ is reserved");
        expect(http.post("/api/databases", "{not json"), 400, "malformed JSON at line 1, column 2");

        assertThat(catalog().seq()).isEqualTo(seq);
        assertThat(nodeVersions()).isEqualTo(versions);
    }

    @Test
    void createsRepositoriesWritingTheirMarkerAndListsSnapshots() throws Exception {
        Path root = dir.resolve("repo-root");
        Http.Answer created = http.post("/api/repositories", Map.of("name", "repo1", "location",
                root.toUri().toString()));
        assertThat(created.status()).as("%s", created.body()).isEqualTo(201);
        Path repoDir = root.resolve("__palo_repository_repo1");
        assertThat(Files.readString(repoDir.resolve("__repo_info"))).contains("\"name\":\"repo1\"");
        expect(http.post("/api/repositories", Map.of("name", "repo1", "location", root.toUri().toString())), 409,
                "already exist");

        Files.createDirectories(repoDir.resolve("__ss_snap1"));
        Files.writeString(repoDir.resolve("__ss_snap1/__info_2024-05-01-10-00-00.0123456789abcdef0123456789abcdef"),
                "{}");
        Http.Answer snapshots = http.get("/api/repositories/repo1/snapshots");
        assertThat(snapshots.status()).isEqualTo(200);
        assertThat(snapshots.body()).hasSize(1);
        assertThat(snapshots.body().get(0).get("label").asText()).isEqualTo("snap1");
        assertThat(snapshots.body().get(0).get("timestamps").get(0).asText()).isEqualTo("2024-05-01-10-00-00");

        long seq = catalog().seq();
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        expect(http.post("/api/repositories", Map.of("name", "blocked", "location",
                file.resolve("sub").toUri().toString())), 400, "Repository blocked");
        expect(http.post("/api/repositories", Map.of("name", "noscheme", "location", "relative/dir")), 400,
                "Invalid repository location");
        expect(http.post("/api/repositories", Map.of("name", "nohost", "location", "s3:///prefix")), 400,
                "Invalid repository location");
        expect(http.post("/api/repositories", Map.of("name", "nocreds", "location", "s3://bucket/p",
                "credentialRef", "missing")), 400, "credential 'missing' is not defined");
        expect(http.post("/api/repositories", Map.of("name", "secret", "location", "s3://bucket/p",
                "properties", Map.of("s3.secret_key", "x"))), 400, "Unknown repository property");
        assertThat(catalog().seq()).isEqualTo(seq);
        assertThat(http.get("/api/repositories").body()).hasSize(1);

        assertThat(http.post("/api/repositories", Map.of("name", "repo2", "location",
                dir.resolve("repo2").toUri().toString())).status()).isEqualTo(201);
        assertThat(http.delete("/api/repositories/repo2").status()).isEqualTo(200);
        assertThat(Files.exists(dir.resolve("repo2/__palo_repository_repo2/__repo_info"))).isTrue();
        assertThat(http.get("/api/repositories").body()).hasSize(1);
        assertThat(http.get("/api/repositories").body().toString()).doesNotContain("s3cr3t");
    }

    @Test
    void runsTheOtherDdl() {
        String table = newOrdersTable();
        String db = databaseOf(table);
        expect(http.post("/api/databases/" + db + "/views", Map.of("name", "big_orders", "sql",
                "SELECT * FROM orders WHERE amount > 5")), 201, "");
        expect(http.post("/api/resources", Map.of("name", "pg", "properties", Map.of("host", "db.local", "port",
                "5432", "type", "postgresql"), "credentialRef", "pg_creds")), 201, "");
        expect(http.post("/api/resources", Map.of("name", "leaky", "properties", Map.of("password", "x"))), 400,
                "is a secret");
        expect(http.post("/api/databases/" + db + "/odbc-tables", Map.of("name", "remote_users", "resourceName", "pg",
                "remoteDatabase", "app", "remoteTable", "users", "columns",
                List.of(Map.of("name", "id", "type", "BIGINT")))), 201, "");
        expect(http.post(table + "/partitions", Map.of("name", "tp1", "lower", "2024-01-01", "upper", "2024-01-15",
                "temporary", true)), 201, "");
        Http.Answer march = http.post(table + "/partitions", Map.of("name", "p202403", "lower", "2024-03-01",
                "upper", "2024-04-01"));
        assertThat(march.status()).as("%s", march.body()).isEqualTo(201);

        long before = catalog().tableCommitSeq(catalog().table(catalog().database(db).orElseThrow().getId(),
                "orders").orElseThrow().getId());
        List<long[]> oldFebReplicas = replicas(partition(http.get(table).body(), "p202402"));
        assertThat(oldFebReplicas).isNotEmpty();
        Http.Answer truncated = http.post(table + "/partitions/p202402/truncate", "{}");
        assertThat(truncated.status()).as("%s", truncated.body()).isEqualTo(200);
        JsonNode truncatedTable = http.get(table).body();
        JsonNode feb = partition(truncatedTable, "p202402");
        assertThat(feb.get("id").asLong()).isEqualTo(truncated.body().get("id").asLong());
        assertThat(feb.get("visibleVersion").asLong()).isEqualTo(1);
        assertThat(truncatedTable.get("commitSeq").asLong()).isGreaterThan(before);
        for (JsonNode tablet : feb.get("tablets").get("orders")) {
            for (JsonNode replica : tablet.get("replicas")) {
                assertThat(nodeOf.get(replica.get("backendId").asLong()).store().get(tablet.get("id").asLong()))
                        .isPresent();
            }
        }
        // TRUNCATE does not keep the old partition in the recycle bin: its replicas are dropped on the nodes.
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(oldFebReplicas)
                .noneMatch(r -> nodeOf.get(r[0]).store().get(r[1]).isPresent()));
        List<long[]> marchReplicas = replicas(partition(http.get(table).body(), "p202403"));
        assertThat(http.delete(table + "/partitions/p202403").status()).isEqualTo(200);
        assertThat(marchReplicas).as("a plain drop keeps the replicas for the trash period")
                .allMatch(r -> nodeOf.get(r[0]).store().get(r[1]).isPresent());
        JsonNode after = http.get(table).body();
        assertThat(after.get("partitions")).hasSize(3);
        assertThat(partition(after, "tp1").get("temporary").asBoolean()).isTrue();

        Map<String, Object> mv = ordersTable(1);
        mv.put("name", "orders_mv");
        mv.put("tableType", "MATERIALIZED_VIEW");
        mv.put("rollups", null);
        assertThat(http.post("/api/databases/" + db + "/tables", mv).status()).isEqualTo(201);
        Map<String, Object> scratch = ordersTable(2);
        scratch.put("name", "scratch");
        scratch.put("partitionColumn", null);
        scratch.put("partitions", null);
        assertThat(http.post("/api/databases/" + db + "/tables", scratch).status()).isEqualTo(201);
        assertThat(http.delete("/api/databases/" + db + "/tables/scratch").status()).isEqualTo(200);
        expect(http.get("/api/databases/" + db + "/tables/scratch"), 404, "Unknown table 'scratch'");
        assertThat(http.get("/api/databases/" + db + "/tables").body().get("views")).hasSize(1);
        assertThat(http.post("/api/databases", Map.of("name", "scratch_db")).status()).isEqualTo(201);
        assertThat(http.post("/api/databases/scratch_db/views", Map.of("name", "v", "sql", "SELECT 1")).status())
                .isEqualTo(201);
        assertThat(http.delete("/api/databases/scratch_db").status()).isEqualTo(200);
        expect(http.get("/api/databases/scratch_db/tables"), 404, "Unknown database 'scratch_db'");
        assertThat(http.get("/v3/api-docs").body().get("paths").has("/api/databases/{db}/tables/{table}/loads"))
                .isTrue();
    }

    @Test
    void restartRebuildsTheSameCatalogFromTheTopic() throws Exception {
        String table = newOrdersTable();
        String db = databaseOf(table);
        Map<String, Object> mv = ordersTable(1);
        mv.put("name", "orders_mv");
        mv.put("tableType", "MATERIALIZED_VIEW");
        mv.put("rollups", null);
        assertThat(http.post("/api/databases/" + db + "/tables", mv).status()).isEqualTo(201);
        expect(http.post("/api/databases/" + db + "/views", Map.of("name", "big_orders", "sql",
                "SELECT * FROM orders WHERE amount > 5")), 201, "");
        assertThat(http.postRaw(table + "/loads", "application/x-ndjson",
                "{\"dt\":\"2024-01-09\",\"id\":9,\"city\":\"Bern\",\"amount\":1}\n").status()).isEqualTo(200);
        List<String> paths = List.of("/api/databases", "/api/backends", "/api/databases/" + db + "/tables", table,
                "/api/databases/" + db + "/tables/orders_mv", "/api/repositories", "/api/resources");
        Map<String, JsonNode> before = new LinkedHashMap<>();
        paths.forEach(p -> before.put(p, http.get(p).body()));
        long seq = catalog().seq();
        long lastId = catalog().nextId();

        app.close();
        app = startApp();

        for (String path : paths) {
            assertThat(http.get(path).body()).as(path).isEqualTo(before.get(path));
        }
        assertThat(catalog().seq()).isGreaterThanOrEqualTo(seq);
        assertThat(catalog().nextId()).isGreaterThan(lastId);

        Http.Answer load = http.postRaw(table + "/loads", "application/x-ndjson",
                "{\"dt\":\"2024-01-10\",\"id\":10,\"city\":\"Bern\",\"amount\":1}\n");
        assertThat(load.status()).as("%s", load.body()).isEqualTo(200);
        assertVersions(table, Map.of("p202401", 3L, "p202402", 1L));
    }

    @Test
    void recordsTheFailedVersionOfAReplicaThatMissedALoadAndRefusesATableItCannotCreate() {
        String table = newOrdersTable();
        String db = databaseOf(table);
        long failingBackend = nodeOf.keySet().iterator().next();
        agent.failing.put(failingBackend, true);
        try {
            Http.Answer load = http.postRaw(table + "/loads", "application/x-ndjson",
                    "{\"dt\":\"2024-01-11\",\"id\":11,\"city\":\"Bern\",\"amount\":1}\n");
            assertThat(load.status()).as("%s", load.body()).isEqualTo(200);
            assertThat(load.body().get("partitions").get(0).get("failedReplicaIds")).isNotEmpty();
            JsonNode january = partition(http.get(table).body(), "p202401");
            assertThat(january.get("visibleVersion").asLong()).isEqualTo(2);
            for (JsonNode tablet : january.get("tablets").get("orders")) {
                for (JsonNode replica : tablet.get("replicas")) {
                    boolean failed = replica.get("backendId").asLong() == failingBackend;
                    assertThat(replica.get("lastFailedVersion").asLong()).isEqualTo(failed ? 2 : -1);
                    assertThat(replica.get("version").asLong()).isEqualTo(failed ? 1 : 2);
                }
            }

            Map<String, Object> uncreatable = ordersTable(3);
            uncreatable.put("name", "never_created");
            expect(http.post("/api/databases/" + db + "/tables", uncreatable), 502, "Failed to create");
            expect(http.get("/api/databases/" + db + "/tables/never_created"), 404, "Unknown table 'never_created'");
        } finally {
            agent.failing.remove(failingBackend);
        }
    }

    // ---- helpers ----

    /** {backend id, tablet id} of every replica of every index of the partition. */
    private static List<long[]> replicas(JsonNode partition) {
        List<long[]> out = new ArrayList<>();
        partition.get("tablets").forEach(index -> index.forEach(tablet -> tablet.get("replicas").forEach(r ->
                out.add(new long[] {r.get("backendId").asLong(), tablet.get("id").asLong()}))));
        return out;
    }

    private static Map<String, Object> ordersTable(int replication) {
        Map<String, Object> table = new LinkedHashMap<>();
        table.put("name", "orders");
        table.put("keysType", "DUP_KEYS");
        table.put("columns", List.of(
                Map.of("name", "dt", "type", "DATE", "isKey", true, "nullable", false),
                Map.of("name", "id", "type", "BIGINT", "isKey", true, "nullable", false),
                Map.of("name", "city", "type", "VARCHAR(32)"),
                Map.of("name", "amount", "type", "DECIMAL(18,2)")));
        table.put("partitionColumn", "dt");
        table.put("partitions", List.of(
                Map.of("name", "p202401", "lower", "2024-01-01", "upper", "2024-02-01"),
                Map.of("name", "p202402", "lower", "2024-02-01", "upper", "2024-03-01")));
        table.put("distributionColumns", List.of("id"));
        table.put("buckets", 2);
        table.put("replicationNum", replication);
        table.put("rollups", List.of(Map.of("name", "by_city", "columns", List.of("dt", "city", "amount"))));
        return table;
    }

    private static void expect(Http.Answer answer, int status, String message) {
        assertThat(answer.status()).as("%s", answer.body()).isEqualTo(status);
        if (status >= 400) {
            assertThat(answer.error()).isNotBlank();
            assertThat(answer.message()).contains(message);
        }
    }

    private static JsonNode partition(JsonNode table, String name) {
        for (JsonNode partition : table.get("partitions")) {
            if (partition.get("name").asText().equals(name)) {
                return partition;
            }
        }
        throw new AssertionError("no partition " + name + " in " + table);
    }

    /** Partition and replica versions in the catalog, and tablet versions on the nodes, all equal the expected. */
    private void assertVersions(String path, Map<String, Long> expected) {
        JsonNode table = http.get(path).body();
        expected.forEach((name, version) -> {
            JsonNode partition = partition(table, name);
            assertThat(partition.get("visibleVersion").asLong()).as(name).isEqualTo(version);
            assertThat(partition.get("nextVersion").asLong()).as(name).isEqualTo(version + 1);
            for (String index : List.of("orders", "by_city")) {
                for (JsonNode tablet : partition.get("tablets").get(index)) {
                    for (JsonNode replica : tablet.get("replicas")) {
                        assertThat(replica.get("version").asLong()).as("%s", replica).isEqualTo(version);
                        assertThat(replica.get("lastFailedVersion").asLong()).isEqualTo(-1);
                        TabletMeta meta = nodeOf.get(replica.get("backendId").asLong()).store()
                                .get(tablet.get("id").asLong()).orElseThrow();
                        assertThat(meta.version()).isEqualTo(version);
                    }
                }
            }
        });
    }

    /** Rows of the base index of a partition, counted once per replica set (every replica holds the same). */
    private long rowsOnEveryReplica(String table, String partitionName) {
        JsonNode partition = partition(http.get(table).body(), partitionName);
        long rows = -1;
        for (int r = 0; r < 3; r++) {
            long sum = 0;
            for (JsonNode tablet : partition.get("tablets").get("orders")) {
                JsonNode replica = tablet.get("replicas").get(r);
                sum += nodeOf.get(replica.get("backendId").asLong()).store().get(tablet.get("id").asLong())
                        .orElseThrow().rowCount();
            }
            if (rows >= 0) {
                assertThat(sum).isEqualTo(rows);
            }
            rows = sum;
        }
        return rows;
    }

    private Map<String, Long> nodeVersions() {
        Map<String, Long> versions = new LinkedHashMap<>();
        nodeOf.forEach((backend, node) -> node.store().all().forEach(meta ->
                versions.put(backend + "/" + meta.tabletId(), meta.version())));
        return versions;
    }
}
