package io.snapbus.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.snapbus.local.LocalStackConfig;
import io.snapbus.repository.Md5;
import io.snapbus.repository.RepositoryLayout;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * DROP / RECOVER / TRUNCATE reach the storage nodes, on the local cluster (broker, registry, 3 storage nodes,
 * job-service, 2 agents as processes), checked on the nodes' data directories: a FORCE drop during a backup makes the
 * backup take the seed's "dropped during backup" branch, a plain drop keeps the replicas until the (shortened) trash
 * period ends, across a job-service restart, and RECOVER brings the table back with the same tablet files.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DropAndRecoverIntegrationTest {
    private static final String DB = QuickstartFlow.DB;
    private static final String REPOSITORY = "drops";
    /** Long enough for a recover and for a job-service restart (45-90 s on a busy 2-core machine) within it. */
    private static final long TRASH_EXPIRE_SECONDS = 150;

    @TempDir
    static Path dir;
    private LocalCluster cluster;
    private QuickstartFlow flow;
    private final ObjectMapper json = new ObjectMapper();

    @BeforeAll
    void startCluster() {
        cluster = LocalCluster.start(LocalStackConfig.builder().dataDir(dir.resolve("stack"))
                .startupTimeout(Duration.ofSeconds(180)).build(), 3, 2,
                Map.of(), Map.of("snapbus.backup.debug-points-enabled", "true",
                        "snapbus.backup.task-retry-initial-backoff", "3s",
                        "snapbus.catalog.trash-expire-seconds", Long.toString(TRASH_EXPIRE_SECONDS),
                        "snapbus.catalog.trash-check-interval", "1s"));
        flow = new QuickstartFlow(api(), new PrintStream(new ByteArrayOutputStream()));
        flow.prepare(cluster.nodes(), 2000);
        flow.createRepository(REPOSITORY, dir.resolve("repo"));
    }

    @AfterAll
    void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void aBackupAcrossAForceDropFinishesWithoutTheTableAndSaysWhichTableWasDropped() throws Exception {
        String label = "across_drop";
        // The job reads the catalog in PENDING and enters SNAPSHOTING with its snapshot tasks held back, so the drop
        // lands between the catalog read and the nodes' snapshots, as a drop racing a backup does.
        api().post("/api/debug-points/backup-pauses", Map.of("state", "SNAPSHOTING", "labelPrefix", label,
                "beforeTasks", true));
        long jobId = flow.startBackup(REPOSITORY, label);
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
            JsonNode job = api().get("/api/backups/" + jobId);
            return job.get("state").asText().equals("SNAPSHOTING") && job.get("tablets").asInt() == 24;
        });
        JsonNode customers = api().get(tablePath("customers"));
        long customersId = customers.get("id").asLong();
        List<Long> customerTablets = tabletIds(customers);
        List<Long> orderTablets = tabletIds(api().get(tablePath("orders")));
        assertThat(replicasOnDisk(customerTablets)).as("replicas of customers before the drop").isEqualTo(36);

        api().delete(tablePath("customers") + "?force=true");

        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> assertThat(replicasOnDisk(customerTablets))
                        .as("replicas of customers on the nodes after DROP FORCE").isZero());
        assertThat(replicasOnDisk(orderTablets)).as("replicas of orders are untouched").isEqualTo(36);
        assertThatThrownBy(() -> api().post("/api/databases/" + DB + "/recover", Map.of("table", "customers")))
                .hasMessageContaining("404").hasMessageContaining("Unknown table 'customers'");
        api().delete("/api/debug-points/backup-pauses");

        JsonNode job = flow.awaitBackup(jobId, label);
        assertThat(job.get("state").asText()).as(job.toString()).isEqualTo("FINISHED");
        String dropped = "table customers (id " + customersId + ")";
        assertThat(job.get("status").asText()).isEqualTo("[OK, msg: dropped during backup: " + dropped + "]");
        JsonNode row = showBackupRow(jobId);
        assertThat(row.get("status").asText()).as("SHOW BACKUP").contains(dropped);
        assertThat(row.get("tablets").asInt()).isEqualTo(12);
        assertThat(row.get("tabletsSnapshotted").asInt()).isEqualTo(12);

        Path snapshotDir = dir.resolve("repo").resolve(RepositoryLayout.snapshotDir(REPOSITORY, label));
        JsonNode info = json.readTree(Files.readString(single(snapshotDir, RepositoryLayout.PREFIX_JOB_INFO)));
        assertThat(info.get("backup_objects").fieldNames()).toIterable().containsExactly("orders");
        assertThat(info.get("dropped_during_backup").get(0).asText()).isEqualTo(dropped);
        assertThat(info.get("tablet_be_map")).hasSize(12);
        JsonNode meta = json.readTree(Files.readString(single(snapshotDir, "__meta")));
        assertThat(meta.get("dropped_during_backup").get(0).asText()).isEqualTo(dropped);
        assertThat(meta.toString()).doesNotContain("\"customers\"");

        List<GenericRecord> events = jobEvents(jobId);
        assertThat(events).as("job-events naming the dropped table").anySatisfy(event -> {
            assertThat(event.get("kind").toString()).isEqualTo("TASK_ERROR");
            assertThat(event.get("message").toString()).startsWith(dropped + " dropped during backup");
        });
    }

    @Test
    @Order(2)
    void aPlainDropKeepsTheReplicasAndRecoverBringsTheTableBackWithItsData() {
        JsonNode orders = api().get(tablePath("orders"));
        List<Long> tablets = tabletIds(orders);
        Map<String, String> files = tabletFiles(tablets);
        assertThat(files).isNotEmpty();

        api().delete(tablePath("orders"));

        assertThatThrownBy(() -> api().get(tablePath("orders"))).hasMessageContaining("404");
        assertThat(api().get("/api/recycle-bin")).anySatisfy(entry -> {
            assertThat(entry.get("name").asText()).isEqualTo("orders");
            assertThat(entry.get("type").asText()).isEqualTo("Table");
            assertThat(entry.get("recoverable").asBoolean()).isTrue();
        });
        // A new table of the same name may be created meanwhile; it then blocks a recover under the old name.
        api().post("/api/databases/" + DB + "/tables", Map.of("name", "orders", "keysType", "DUP_KEYS",
                "columns", List.of(Map.of("name", "id", "type", "BIGINT", "isKey", true, "nullable", false)),
                "distributionColumns", List.of("id"), "buckets", 1, "replicationNum", 1));
        assertThatThrownBy(() -> api().post("/api/databases/" + DB + "/recover", Map.of("table", "orders")))
                .hasMessageContaining("409").hasMessageContaining("Table 'orders' already exists");

        JsonNode recovered = api().post("/api/databases/" + DB + "/recover", Map.of("table", "orders",
                "newName", "orders_back"));

        assertThat(recovered.get("id").asLong()).isEqualTo(orders.get("id").asLong());
        JsonNode back = api().get(tablePath("orders_back"));
        assertThat(tabletIds(back)).isEqualTo(tablets);
        assertThat(versions(back)).isEqualTo(versions(orders));
        assertThat(tabletFiles(tablets)).as("the same rowset files on the nodes").isEqualTo(files);
        JsonNode loaded = api().postRows(tablePath("orders_back") + "/loads", "application/x-ndjson",
                ("{\"order_id\":999999,\"day\":\"2026-01-15\",\"customer_id\":1,\"amount\":\"1.00\","
                        + "\"note\":\"after recover\"}\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(loaded.get("rows").asInt()).as("a recovered table takes loads: %s", loaded).isEqualTo(1);
        assertThat(loaded.at("/partitions/0/failedReplicaIds")).as("every replica took it").isEmpty();
        assertThat(versions(api().get(tablePath("orders_back"))).get("p202601"))
                .isEqualTo(versions(orders).get("p202601") + 1);
    }

    @Test
    @Order(3)
    void truncateDropsTheOldPartitionsReplicasOnTheNodes() {
        JsonNode before = api().get(tablePath("orders_back"));
        List<Long> january = partitionTablets(before, "p202601");
        assertThat(replicasOnDisk(january)).isEqualTo(12);

        JsonNode fresh = api().post(tablePath("orders_back") + "/partitions/p202601/truncate", Map.of());

        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> assertThat(replicasOnDisk(january)).as("old replicas of p202601").isZero());
        List<Long> freshTablets = partitionTablets(api().get(tablePath("orders_back")), "p202601");
        assertThat(freshTablets).doesNotContainAnyElementsOf(january);
        assertThat(replicasOnDisk(freshTablets)).isEqualTo(12);
        assertThat(fresh.get("visibleVersion").asLong()).isEqualTo(1);
    }

    @Test
    @Order(4)
    void theBinSurvivesAJobServiceRestartAndItsExpiryDropsTheReplicas() {
        JsonNode table = api().get(tablePath("orders_back"));
        List<Long> tablets = tabletIds(table);
        api().delete(tablePath("orders_back"));
        JsonNode entry = binEntry("orders_back");
        long dropTime = entry.get("dropTimeMs").asLong();
        assertThat(entry.get("expireTimeMs").asLong()).isEqualTo(dropTime + TRASH_EXPIRE_SECONDS * 1000);

        cluster.killAndRestartJobService();

        JsonNode replayed = Awaitility.await().atMost(Duration.ofSeconds(TRASH_EXPIRE_SECONDS)).ignoreExceptions()
                .until(() -> binEntry("orders_back"), e -> e != null);
        for (String field : List.of("type", "name", "dbId", "tableId", "dropTimeMs", "expireTimeMs", "force")) {
            assertThat(replayed.get(field)).as("%s of the bin entry after the restart", field)
                    .isEqualTo(entry.get(field));
        }
        if (System.currentTimeMillis() < replayed.get("expireTimeMs").asLong() - 2000) {
            assertThat(replicasOnDisk(tablets)).as("replicas kept during the trash period").isEqualTo(36);
        }
        Awaitility.await().atMost(Duration.ofSeconds(TRASH_EXPIRE_SECONDS + 60)).pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> assertThat(replicasOnDisk(tablets)).as("replicas after the expiry").isZero());
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(binEntry("orders_back")).as("erased from the bin").isNull());
        assertThat(System.currentTimeMillis()).as("not erased before its time")
                .isGreaterThanOrEqualTo(replayed.get("expireTimeMs").asLong());
        assertThatThrownBy(() -> api().post("/api/databases/" + DB + "/recover", Map.of("table", "orders_back")))
                .hasMessageContaining("Unknown table 'orders_back'");
    }

    // ---- helpers ----

    private JobServiceClient api() {
        return new JobServiceClient(cluster.jobServiceUrl());
    }

    private static String tablePath(String table) {
        return "/api/databases/" + DB + "/tables/" + table;
    }

    private JsonNode binEntry(String name) {
        for (JsonNode entry : api().get("/api/recycle-bin")) {
            if (entry.get("name").asText().equals(name)) {
                return entry;
            }
        }
        return null;
    }

    private JsonNode showBackupRow(long jobId) {
        for (JsonNode row : api().get("/api/databases/" + DB + "/backups")) {
            if (row.get("jobId").asLong() == jobId) {
                return row;
            }
        }
        throw new AssertionError("SHOW BACKUP has no job " + jobId);
    }

    /** Every tablet id of the table (all partitions and indexes), in the order the catalog shows them. */
    private static List<Long> tabletIds(JsonNode table) {
        List<Long> ids = new ArrayList<>();
        for (JsonNode partition : table.get("partitions")) {
            partition.get("tablets").forEach(index -> index.forEach(t -> ids.add(t.get("id").asLong())));
        }
        return ids;
    }

    private static List<Long> partitionTablets(JsonNode table, String partitionName) {
        List<Long> ids = new ArrayList<>();
        for (JsonNode partition : table.get("partitions")) {
            if (partition.get("name").asText().equals(partitionName)) {
                partition.get("tablets").forEach(index -> index.forEach(t -> ids.add(t.get("id").asLong())));
            }
        }
        return ids;
    }

    private static Map<String, Long> versions(JsonNode table) {
        Map<String, Long> versions = new TreeMap<>();
        table.get("partitions").forEach(p -> versions.put(p.get("name").asText(), p.get("visibleVersion").asLong()));
        return versions;
    }

    /** How many of the tablets' replicas exist in the nodes' data dirs. */
    private int replicasOnDisk(List<Long> tabletIds) {
        int found = 0;
        for (int node = 1; node <= cluster.nodes().size(); node++) {
            Path data = cluster.nodeRoot(node).resolve("data");
            for (long tablet : tabletIds) {
                if (Files.isDirectory(data.resolve(Long.toString(tablet)))) {
                    found++;
                }
            }
        }
        return found;
    }

    /** node/tablet/schemaHash/file to its md5, for every file of the tablets on every node. */
    private Map<String, String> tabletFiles(List<Long> tabletIds) {
        Map<String, String> files = new TreeMap<>();
        for (int node = 1; node <= cluster.nodes().size(); node++) {
            Path data = cluster.nodeRoot(node).resolve("data");
            for (long tablet : tabletIds) {
                Path tabletDir = data.resolve(Long.toString(tablet));
                if (!Files.isDirectory(tabletDir)) {
                    continue;
                }
                try (Stream<Path> walk = Files.walk(tabletDir)) {
                    for (Path file : walk.filter(Files::isRegularFile).toList()) {
                        files.put(node + "/" + data.relativize(file), Md5.of(file));
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return files;
    }

    private static Path single(Path dir, String prefix) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> matching = files.filter(p -> p.getFileName().toString().startsWith(prefix)).toList();
            assertThat(matching).as("%s* in %s", prefix, dir).hasSize(1);
            return matching.get(0);
        }
    }

    /** The job's events on job-events up to FINISHED, decoded with the registry's schemas as a consumer would. */
    private List<GenericRecord> jobEvents(long jobId) throws Exception {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.stack().bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "drop-reader-" + System.nanoTime());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        HttpClient http = HttpClient.newHttpClient();
        Map<Integer, Schema> schemas = new HashMap<>();
        List<GenericRecord> events = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of("snapbus.job-events"));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline
                    && events.stream().noneMatch(e -> e.get("state").toString().equals("FINISHED"))) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(300))) {
                    if (Long.toString(jobId).equals(record.key()) && record.value() != null) {
                        events.add(decode(record.value(), schemas, http));
                    }
                }
            }
        }
        return events;
    }

    private GenericRecord decode(byte[] value, Map<Integer, Schema> schemas, HttpClient http) throws Exception {
        ByteBuffer wire = ByteBuffer.wrap(value);
        assertThat(wire.get()).as("Confluent magic byte").isZero();
        Schema schema = schemas.computeIfAbsent(wire.getInt(), id -> {
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(
                        cluster.stack().registryConfluentUrl() + "/schemas/ids/" + id)).build(),
                        HttpResponse.BodyHandlers.ofString());
                return new Schema.Parser().parse(json.readTree(response.body()).get("schema").asText());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        return new GenericDatumReader<GenericRecord>(schema).read(null,
                DecoderFactory.get().binaryDecoder(value, 5, value.length - 5, null));
    }
}
