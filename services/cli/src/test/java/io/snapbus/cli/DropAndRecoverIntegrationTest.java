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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * DROP / RECOVER / TRUNCATE reach the storage nodes, on the local cluster (broker, registry, 3 storage nodes,
 * job-service, an agent as processes), checked on the nodes' data directories: a FORCE drop during a backup makes the
 * backup take the seed's "dropped during backup" branch, a plain drop keeps the replicas until the (shortened) trash
 * period ends, across a job-service restart, and RECOVER brings the table back with the same tablet files. The
 * cluster is shared; each test creates the tables it drops, truncates or backs up, under names of its own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DropAndRecoverIntegrationTest {
    private static final String DB = QuickstartFlow.DB;
    /** Rows loaded into each table a test creates, spread over its three monthly partitions. */
    private static final int ROWS = 600;
    private static final String REPOSITORY = "drops";
    /**
     * Long enough for a recover and for a job-service restart within it (10-25 s on a busy 2-core machine since the
     * services start with C1 and class-data archives; 45-90 s before), and the restart test waits it out.
     */
    private static final long TRASH_EXPIRE_SECONDS = 90;

    @TempDir
    static Path dir;
    private LocalCluster cluster;
    private final ObjectMapper json = new ObjectMapper();
    private static final java.util.concurrent.atomic.AtomicInteger TABLES = new java.util.concurrent.atomic.AtomicInteger();

    @BeforeAll
    void startCluster() {
        cluster = LocalCluster.start(LocalStackConfig.builder().dataDir(dir.resolve("stack"))
                .startupTimeout(Duration.ofSeconds(180)).build(), 3, 1,
                Map.of(), Map.of("snapbus.backup.debug-points-enabled", "true",
                        "snapbus.backup.task-retry-initial-backoff", "3s",
                        "snapbus.catalog.trash-expire-seconds", Long.toString(TRASH_EXPIRE_SECONDS),
                        "snapbus.catalog.trash-check-interval", "1s"));
        api().post("/api/databases", Map.of("name", DB));
        for (var node : cluster.nodes()) {
            api().post("/api/backends", Map.of("host", "127.0.0.1", "bePort", node.port()));
        }
        new QuickstartFlow(api(), new PrintStream(new ByteArrayOutputStream()))
                .createRepository(REPOSITORY, dir.resolve("repo"));
    }

    /** A failed test leaves no pause and no running job behind. */
    @AfterEach
    void releasePausesAndCancelUnfinishedJobs() {
        api().delete("/api/debug-points/backup-pauses");
        BackupJobs.cancelUnfinished(api(), DB);
    }

    @AfterAll
    void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aBackupAcrossAForceDropFinishesWithoutTheTableAndSaysWhichTableWasDropped() throws Exception {
        String label = "across_drop";
        String kept = createTableWithRows("backed_up");
        String droppedTable = createTableWithRows("dropped");
        // The job reads the catalog in PENDING and enters SNAPSHOTING with its snapshot tasks held back, so the drop
        // lands between the catalog read and the nodes' snapshots, as a drop racing a backup does.
        api().post("/api/debug-points/backup-pauses", Map.of("state", "SNAPSHOTING", "labelPrefix", label,
                "beforeTasks", true));
        long jobId = api().post("/api/databases/" + DB + "/backups", Map.of("label", label, "repository", REPOSITORY,
                "tables", List.of(Map.of("name", kept), Map.of("name", droppedTable)), "timeoutSeconds", 3600))
                .get("jobId").asLong();
        BackupJobs.awaitJob(this::api, jobId, Duration.ofSeconds(60),
                job -> job.get("state").asText().equals("SNAPSHOTING") && job.get("tablets").asInt() == 24);
        JsonNode toDrop = api().get(tablePath(droppedTable));
        long droppedId = toDrop.get("id").asLong();
        List<Long> droppedTablets = tabletIds(toDrop);
        List<Long> keptTablets = tabletIds(api().get(tablePath(kept)));
        assertThat(replicasOnDisk(droppedTablets)).as("replicas of %s before the drop", droppedTable).isEqualTo(36);

        api().delete(tablePath(droppedTable) + "?force=true");

        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> assertThat(replicasOnDisk(droppedTablets))
                        .as("replicas of %s on the nodes after DROP FORCE", droppedTable).isZero());
        assertThat(replicasOnDisk(keptTablets)).as("replicas of %s are untouched", kept).isEqualTo(36);
        assertThatThrownBy(() -> api().post("/api/databases/" + DB + "/recover", Map.of("table", droppedTable)))
                .hasMessageContaining("404").hasMessageContaining("Unknown table '" + droppedTable + "'");
        api().delete("/api/debug-points/backup-pauses");

        JsonNode job = BackupJobs.awaitDone(this::api, jobId);
        assertThat(job.get("state").asText()).as(job.toString()).isEqualTo("FINISHED");
        String dropped = "table " + droppedTable + " (id " + droppedId + ")";
        assertThat(job.get("status").asText()).isEqualTo("[OK, msg: dropped during backup: " + dropped + "]");
        JsonNode row = showBackupRow(jobId);
        assertThat(row.get("status").asText()).as("SHOW BACKUP").contains(dropped);
        assertThat(row.get("tablets").asInt()).isEqualTo(12);
        assertThat(row.get("tabletsSnapshotted").asInt()).isEqualTo(12);

        Path snapshotDir = dir.resolve("repo").resolve(RepositoryLayout.snapshotDir(REPOSITORY, label));
        JsonNode info = json.readTree(Files.readString(single(snapshotDir, RepositoryLayout.PREFIX_JOB_INFO)));
        assertThat(info.get("backup_objects").fieldNames()).toIterable().containsExactly(kept);
        assertThat(info.get("dropped_during_backup").get(0).asText()).isEqualTo(dropped);
        assertThat(info.get("tablet_be_map")).hasSize(12);
        JsonNode meta = json.readTree(Files.readString(single(snapshotDir, "__meta")));
        assertThat(meta.get("dropped_during_backup").get(0).asText()).isEqualTo(dropped);
        assertThat(meta.toString()).doesNotContain("\"" + droppedTable + "\"");

        List<GenericRecord> events = jobEvents(jobId);
        assertThat(events).as("job-events naming the dropped table").anySatisfy(event -> {
            assertThat(event.get("kind").toString()).isEqualTo("TASK_ERROR");
            assertThat(event.get("message").toString()).startsWith(dropped + " dropped during backup");
        });
    }

    @Test
    void aPlainDropKeepsTheReplicasAndRecoverBringsTheTableBackWithItsData() {
        String name = createTableWithRows("recovered");
        String renamed = name + "_back";
        JsonNode orders = api().get(tablePath(name));
        List<Long> tablets = tabletIds(orders);
        Map<String, String> files = tabletFiles(tablets);
        assertThat(files).isNotEmpty();

        api().delete(tablePath(name));

        assertThatThrownBy(() -> api().get(tablePath(name))).hasMessageContaining("404");
        assertThat(api().get("/api/recycle-bin")).anySatisfy(entry -> {
            assertThat(entry.get("name").asText()).isEqualTo(name);
            assertThat(entry.get("type").asText()).isEqualTo("Table");
            assertThat(entry.get("recoverable").asBoolean()).isTrue();
        });
        // A new table of the same name may be created meanwhile; it then blocks a recover under the old name.
        api().post("/api/databases/" + DB + "/tables", Map.of("name", name, "keysType", "DUP_KEYS",
                "columns", List.of(Map.of("name", "id", "type", "BIGINT", "isKey", true, "nullable", false)),
                "distributionColumns", List.of("id"), "buckets", 1, "replicationNum", 1));
        assertThatThrownBy(() -> api().post("/api/databases/" + DB + "/recover", Map.of("table", name)))
                .hasMessageContaining("409").hasMessageContaining("Table '" + name + "' already exists");

        JsonNode recovered = api().post("/api/databases/" + DB + "/recover", Map.of("table", name,
                "newName", renamed));

        assertThat(recovered.get("id").asLong()).isEqualTo(orders.get("id").asLong());
        JsonNode back = api().get(tablePath(renamed));
        assertThat(tabletIds(back)).isEqualTo(tablets);
        assertThat(versions(back)).isEqualTo(versions(orders));
        assertThat(tabletFiles(tablets)).as("the same rowset files on the nodes").isEqualTo(files);
        JsonNode loaded = api().postRows(tablePath(renamed) + "/loads", "application/x-ndjson",
                ("{\"order_id\":999999,\"day\":\"2026-01-15\",\"customer_id\":1,\"amount\":\"1.00\","
                        + "\"note\":\"after recover\"}\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(loaded.get("rows").asInt()).as("a recovered table takes loads: %s", loaded).isEqualTo(1);
        assertThat(loaded.at("/partitions/0/failedReplicaIds")).as("every replica took it").isEmpty();
        assertThat(versions(api().get(tablePath(renamed))).get("p202601"))
                .isEqualTo(versions(orders).get("p202601") + 1);
    }

    @Test
    void truncateDropsTheOldPartitionsReplicasOnTheNodes() {
        String name = createTableWithRows("truncated");
        JsonNode before = api().get(tablePath(name));
        List<Long> january = partitionTablets(before, "p202601");
        assertThat(replicasOnDisk(january)).isEqualTo(12);

        JsonNode fresh = api().post(tablePath(name) + "/partitions/p202601/truncate", Map.of());

        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> assertThat(replicasOnDisk(january)).as("old replicas of p202601").isZero());
        List<Long> freshTablets = partitionTablets(api().get(tablePath(name)), "p202601");
        assertThat(freshTablets).doesNotContainAnyElementsOf(january);
        assertThat(replicasOnDisk(freshTablets)).isEqualTo(12);
        assertThat(fresh.get("visibleVersion").asLong()).isEqualTo(1);
    }

    @Test
    void theBinSurvivesAJobServiceRestartAndItsExpiryDropsTheReplicas() {
        String name = createTableWithRows("expiring");
        JsonNode table = api().get(tablePath(name));
        List<Long> tablets = tabletIds(table);
        api().delete(tablePath(name));
        JsonNode entry = binEntry(name);
        long dropTime = entry.get("dropTimeMs").asLong();
        assertThat(entry.get("expireTimeMs").asLong()).isEqualTo(dropTime + TRASH_EXPIRE_SECONDS * 1000);

        cluster.killAndRestartJobService();

        JsonNode replayed = Awaitility.await().atMost(Duration.ofSeconds(TRASH_EXPIRE_SECONDS)).ignoreExceptions()
                .until(() -> binEntry(name), e -> e != null);
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
                assertThat(binEntry(name)).as("erased from the bin").isNull());
        assertThat(System.currentTimeMillis()).as("not erased before its time")
                .isGreaterThanOrEqualTo(replayed.get("expireTimeMs").asLong());
        assertThatThrownBy(() -> api().post("/api/databases/" + DB + "/recover", Map.of("table", name)))
                .hasMessageContaining("Unknown table '" + name + "'");
    }

    // ---- helpers ----

    /**
     * Creates a table of the quickstart's orders shape under a name of its own ({@code prefix} plus a number): three
     * monthly partitions (p202601..p202603) of 4 buckets, 3 replicas each, so 12 tablets and 36 replicas; and loads
     * {@link #ROWS} rows into it. Returns the name.
     */
    private String createTableWithRows(String prefix) {
        String name = prefix + "_" + TABLES.incrementAndGet();
        List<Map<String, Object>> partitions = new ArrayList<>();
        for (int month = 1; month <= 3; month++) {
            partitions.add(Map.of("name", String.format("p2026%02d", month),
                    "lower", String.format("2026-%02d-01", month), "upper", String.format("2026-%02d-01", month + 1)));
        }
        api().post("/api/databases/" + DB + "/tables", Map.of("name", name, "keysType", "DUP_KEYS",
                "columns", List.of(
                        Map.of("name", "order_id", "type", "BIGINT", "isKey", true, "nullable", false),
                        Map.of("name", "day", "type", "DATE", "isKey", true, "nullable", false),
                        Map.of("name", "customer_id", "type", "BIGINT", "isKey", false, "nullable", true),
                        Map.of("name", "amount", "type", "DECIMAL(18,2)", "isKey", false, "nullable", true),
                        Map.of("name", "note", "type", "VARCHAR(200)", "isKey", false, "nullable", true)),
                "partitionColumn", "day", "partitions", partitions, "distributionColumns", List.of("order_id"),
                "buckets", 4, "replicationNum", 3));
        StringBuilder rows = new StringBuilder();
        for (int i = 0; i < ROWS; i++) {
            rows.append(String.format("{\"order_id\":%d,\"day\":\"2026-%02d-%02d\",\"customer_id\":%d,"
                    + "\"amount\":\"%d.50\",\"note\":\"order %d\"}%n", i, i % 3 + 1, i % 28 + 1, i % 50, i % 100, i));
        }
        api().postRows(tablePath(name) + "/loads", "application/x-ndjson",
                rows.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return name;
    }

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
