package io.snapbus.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.snapbus.avro.AgentTask;
import io.snapbus.avro.AgentTaskBatch;
import io.snapbus.avro.CheckConsistencyRequest;
import io.snapbus.avro.JobEvent;
import io.snapbus.avro.JobEventKind;
import io.snapbus.avro.TabletChecksum;
import io.snapbus.avro.TabletRef;
import io.snapbus.avro.TaskFinished;
import io.snapbus.avro.TaskResult;
import io.snapbus.avro.TaskType;
import io.snapbus.contract.TaskSignatures;
import io.snapbus.kafka.KafkaClients;
import io.snapbus.kafka.SnapbusKafkaProperties;
import io.snapbus.kafka.SnapbusTopic;
import io.snapbus.kafka.TopicFollower;
import io.snapbus.local.LocalStackConfig;
import io.snapbus.repository.RepositoryLayout;
import io.snapbus.rows.ContentChecksum;
import io.snapbus.rows.LoadFormat;
import io.snapbus.rows.RowReader;
import io.snapbus.rows.RowSchema;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Data-level verification as processes (broker, registry, 3 storage nodes, job-service, an agent): a backup's job
 * info in the repository records each tablet's rows and content checksum, equal to what CHECK_CONSISTENCY (sent
 * through agent-tasks like any agent task) answers for the tablet on every replica, and per table to the checksum of
 * the rows {@code GET .../rows} returns; {@code GET .../rows} returns the loaded rows, by partition and up to a limit,
 * in a form a load takes back. {@code POST .../snapshots/{label}/verify} (and {@code snapbus verify}) pass an intact
 * backup at the data level and name each damaged file of a damaged one, with VERIFY events on job-events.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DataVerificationIntegrationTest {
    private static final String DB = QuickstartFlow.DB;
    /** Owner of the CHECK_CONSISTENCY tasks this test sends: no job of the job-service has it. */
    private static final long CHECK_JOB = 990_001L;

    @TempDir
    static Path dir;
    private LocalCluster cluster;
    private KafkaClients clients;
    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void startCluster() {
        cluster = LocalCluster.start(LocalStackConfig.builder().dataDir(dir.resolve("stack"))
                .startupTimeout(Duration.ofSeconds(180)).build(), 3, 1);
        new QuickstartFlow(api(), new PrintStream(new ByteArrayOutputStream())).prepare(cluster.nodes(), 2000);
        clients = new KafkaClients(SnapbusKafkaProperties.local(cluster.stack().bootstrapServers(),
                cluster.stack().registryUrl()));
    }

    @AfterAll
    void stopCluster() {
        if (clients != null) {
            clients.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    private JobServiceClient api() {
        return new JobServiceClient(cluster.jobServiceUrl());
    }

    /** One tablet of the job info with what the backup recorded for it. */
    private record RecordedTablet(String table, TabletRef ref, ContentChecksum checksum) {}

    @Test
    void theJobInfoRecordsEachTabletsChecksumAsConsistencyChecksAnswerItOnEveryReplica() throws Exception {
        QuickstartFlow flow = new QuickstartFlow(api(), new PrintStream(new ByteArrayOutputStream()));
        flow.createRepository("verify", dir.resolve("repo"));
        JsonNode job = flow.backup("verify", "verified");
        assertThat(job.get("state").asText()).as(job.toString()).isEqualTo("FINISHED");

        Path snapshotDir = dir.resolve("repo").resolve(RepositoryLayout.snapshotDir("verify", "verified"));
        JsonNode info = json.readTree(Files.readString(single(snapshotDir, "__info_")));
        List<RecordedTablet> recorded = recordedTablets(info);
        assertThat(recorded).hasSize(24);

        Map<Long, ContentChecksum> perTable = new HashMap<>();
        recorded.forEach(t -> perTable.merge(t.ref().getTableId(), t.checksum(), ContentChecksum::plus));
        Map<String, Long> rowsPerTable = new HashMap<>();
        recorded.forEach(t -> rowsPerTable.merge(t.table(), t.checksum().rows(), Long::sum));
        assertThat(rowsPerTable).containsExactlyInAnyOrderEntriesOf(Map.of("orders", 2000L, "customers", 500L));
        for (String table : QuickstartFlow.TABLES) {
            long tableId = info.at("/backup_objects/" + table + "/id").asLong();
            assertThat(checksumOf(table, rows(table, ""))).as("rows of %s read back", table)
                    .isEqualTo(perTable.get(tableId));
        }

        Map<Long, List<Long>> replicas = replicasByTablet();
        Map<Long, List<TabletRef>> byBackend = new HashMap<>();
        recorded.forEach(t -> replicas.get(t.ref().getTabletId()).forEach(backend -> byBackend
                .computeIfAbsent(backend, b -> new ArrayList<>()).add(t.ref())));
        Map<Long, Long> tabletOfSignature = sendConsistencyChecks(byBackend, info);
        Map<Long, TaskFinished> answers = awaitAnswers(tabletOfSignature.keySet());

        Map<Long, ContentChecksum> expected = new HashMap<>();
        recorded.forEach(t -> expected.put(t.ref().getTabletId(), t.checksum()));
        assertThat(answers).hasSize(24 * 3);
        answers.forEach((signature, finished) -> {
            long tablet = tabletOfSignature.get(signature);
            assertThat(finished.getStatus().getCodeName()).as("%s", finished).isEqualTo("OK");
            TabletChecksum answered = finished.getTabletChecksums().get(Long.toString(tablet));
            assertThat(new ContentChecksum(answered.getRowCount(), answered.getChecksum()))
                    .as("CHECK_CONSISTENCY of tablet %d", tablet).isEqualTo(expected.get(tablet));
            assertThat(finished.getRecordedChecksum()).isEqualTo(answered);
        });
    }

    @Test
    void verificationPassesAnIntactBackupAndNamesEachDamagedFileOverRestTheCliAndJobEvents() throws Exception {
        QuickstartFlow flow = new QuickstartFlow(api(), new PrintStream(new ByteArrayOutputStream()));
        Path repository = dir.resolve("checked-repo");
        flow.createRepository("checked", repository);
        assertThat(flow.backup("checked", "damaged").get("state").asText()).isEqualTo("FINISHED");
        Path snapshotDir = repository.resolve(RepositoryLayout.snapshotDir("checked", "damaged"));
        JsonNode info = json.readTree(Files.readString(single(snapshotDir, "__info_")));
        long recordedRows = recordedTablets(info).stream().mapToLong(t -> t.checksum().rows()).sum();

        JsonNode intact = awaitReport(api().post("/api/repositories/checked/snapshots/damaged/verify",
                Map.of("level", "data")).get("id").asLong());
        assertThat(intact.get("state").asText()).as(intact.toString()).isEqualTo("PASSED");
        assertThat(intact.get("problemsTotal").asLong()).isZero();
        assertThat(intact.at("/counts/tabletsChecked").asLong()).isEqualTo(intact.at("/counts/tabletsTotal").asLong())
                .isEqualTo(recordedTablets(info).size());
        assertThat(intact.at("/counts/rowsRead").asLong()).isEqualTo(recordedRows).isPositive();
        assertThat(cli("--level", "data").exitCode()).isZero();

        List<Path> rowsets;
        try (Stream<Path> files = Files.walk(snapshotDir)) {
            rowsets = files.filter(f -> f.getFileName().toString().contains(".dat.")).sorted().toList();
        }
        Path flipped = rowsets.get(0);
        Path truncated = rowsets.get(rowsets.size() / 2);
        Path deleted = rowsets.get(rowsets.size() - 1);
        Path extra = truncated.resolveSibling("extra.bin");
        byte[] bytes = Files.readAllBytes(flipped);
        bytes[bytes.length / 2] ^= 0x40;
        Files.write(flipped, bytes);
        Files.write(truncated, new byte[0]);
        Files.delete(deleted);
        Files.writeString(extra, "not written by a backup");

        Cli damaged = cli("--level", "files");
        assertThat(damaged.exitCode()).as(damaged.out()).isEqualTo(1);
        Map<String, String> expected = Map.of(relative(repository, flipped), "MD5_MISMATCH",
                relative(repository, truncated), "SIZE_MISMATCH", relative(repository, deleted), "MISSING",
                relative(repository, extra), "UNREFERENCED");
        expected.forEach((path, kind) -> assertThat(damaged.out()).containsPattern(kind + " +"
                + Pattern.quote(path)));
        assertThat(damaged.out()).contains("State: FAILED", "Message: 4 problems");

        long id = api().post("/api/repositories/checked/snapshots/damaged/verify",
                Map.of("timestamp", intact.get("timestamp").asText(), "level", "files")).get("id").asLong();
        JsonNode report = awaitReport(id);
        assertThat(report.get("state").asText()).isEqualTo("FAILED");
        Map<String, String> found = new HashMap<>();
        report.get("problems").forEach(p -> found.put(p.get("path").asText(), p.get("kind").asText()));
        assertThat(found).containsExactlyInAnyOrderEntriesOf(expected);

        List<JobEvent> events = new ArrayList<>();
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            events.clear();
            TopicFollower.<JobEvent>replay(clients, clients.catalogue().name(SnapbusTopic.JOB_EVENTS),
                    Duration.ofSeconds(30), (key, event) -> {
                        if (event != null && event.getJobId() == id) {
                            events.add(event);
                        }
                    });
            return events.stream().anyMatch(e -> e.getKind() == JobEventKind.FINISHED);
        });
        assertThat(events).allSatisfy(e -> assertThat(e.getJobType()).isEqualTo("VERIFY"));
        assertThat(events.get(0).getKind()).isEqualTo(JobEventKind.CREATED);
        JobEvent finished = events.get(events.size() - 1);
        assertThat(finished.getKind()).isEqualTo(JobEventKind.FINISHED);
        assertThat(finished.getState()).isEqualTo("FAILED");
        assertThat(finished.getVerification().getProblems()).isEqualTo(4);
        assertThat(finished.getMessage()).isEqualTo("4 problems: 1 MISSING, 1 SIZE_MISMATCH, 1 MD5_MISMATCH,"
                + " 1 UNREFERENCED");
    }

    @Test
    void verifyingAnUnknownRepositoryLabelOrTimestampIsNotFoundAndABadLevelABadRequest() throws Exception {
        QuickstartFlow flow = new QuickstartFlow(api(), new PrintStream(new ByteArrayOutputStream()));
        flow.createRepository("known", dir.resolve("known-repo"));
        assertThat(flow.backup("known", "once").get("state").asText()).isEqualTo("FINISHED");

        assertThat(post("/api/repositories/nope/snapshots/once/verify", "{}").body()).contains("UNKNOWN_REPOSITORY");
        HttpResponse<String> label = post("/api/repositories/known/snapshots/never/verify", "{}");
        assertThat(label.statusCode()).isEqualTo(404);
        assertThat(label.body()).contains("Snapshot never does not exist in repository known");
        HttpResponse<String> timestamp = post("/api/repositories/known/snapshots/once/verify",
                "{\"timestamp\": \"2001-01-01-00-00-00\"}");
        assertThat(timestamp.statusCode()).isEqualTo(404);
        assertThat(timestamp.body()).contains("has no backup with timestamp 2001-01-01-00-00-00");
        HttpResponse<String> level = post("/api/repositories/known/snapshots/once/verify", "{\"level\": \"deep\"}");
        assertThat(level.statusCode()).isEqualTo(400);
        assertThat(level.body()).contains("Unknown verification level 'deep'");
        assertThat(get("/api/verifications/424242").statusCode()).isEqualTo(404);
    }

    /** What the CLI printed and returned. */
    private record Cli(int exitCode, String out) {}

    private Cli cli(String... options) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<String> args = new ArrayList<>(List.of("snapshot", "verify", "checked", "damaged", "--wait", "--server",
                cluster.jobServiceUrl().toString()));
        args.addAll(List.of(options));
        int code = SnapbusCli.run(args.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(out, true, StandardCharsets.UTF_8));
        return new Cli(code, out.toString(StandardCharsets.UTF_8));
    }

    private JsonNode awaitReport(long id) {
        JsonNode[] report = new JsonNode[1];
        Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(300)).until(() -> {
            report[0] = api().get("/api/verifications/" + id);
            return !report[0].get("state").asText().equals("RUNNING");
        });
        return report[0];
    }

    private static String relative(Path repository, Path file) {
        return repository.relativize(file).toString();
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(cluster.jobServiceUrl().resolve(path)).timeout(Duration.ofMinutes(1))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void rowsComeBackAsLoadedByPartitionAndUpToALimitAndLoadBackIntoACopy() throws Exception {
        api().post("/api/databases/" + DB + "/tables", peopleTable("people"));
        StringBuilder loaded = new StringBuilder();
        for (int i = 0; i < 60; i++) {
            loaded.append("{\"id\":").append(i).append(",\"day\":\"2026-0").append(1 + i % 2).append("-1")
                    .append(i % 10).append("\",\"name\":").append(i % 7 == 0 ? "null" : "\"n\u00e9" + i + "\"")
                    .append(",\"score\":").append(i % 5 == 0 ? "null" : Double.toString(i / 3.0))
                    .append(",\"amount\":\"").append(i).append(".5\"}\n");
        }
        api().postRows("/api/databases/" + DB + "/tables/people/loads", "application/x-ndjson",
                loaded.toString().getBytes(StandardCharsets.UTF_8));
        RowSchema people = schemaOf("people");
        List<String> all = canonical(people, loaded.toString());

        String read = rows("people", "");
        assertThat(canonical(people, read)).containsExactlyInAnyOrderElementsOf(all);
        assertThat(canonical(people, rows("people", "?partition=p202601")))
                .containsExactlyInAnyOrderElementsOf(all.stream().filter(r -> r.contains("|2026-01-")).toList());
        List<String> limited = canonical(people, rows("people", "?limit=7"));
        assertThat(limited).hasSize(7).allSatisfy(r -> assertThat(all).contains(r));
        assertThat(rows("people", "?partition=p202602&limit=0")).isEmpty();

        api().post("/api/databases/" + DB + "/tables", peopleTable("people_copy"));
        api().postRows("/api/databases/" + DB + "/tables/people_copy/loads", "application/x-ndjson",
                read.getBytes(StandardCharsets.UTF_8));
        assertThat(canonical(people, rows("people_copy", ""))).containsExactlyInAnyOrderElementsOf(all);
    }

    @Test
    void unknownNamesAreNotFoundAndABadLimitIsABadRequest() throws Exception {
        assertThat(get("/api/databases/nope/tables/orders/rows").statusCode()).isEqualTo(404);
        assertThat(get("/api/databases/" + DB + "/tables/nope/rows").statusCode()).isEqualTo(404);
        HttpResponse<String> partition = get("/api/databases/" + DB + "/tables/orders/rows?partition=p1999");
        assertThat(partition.statusCode()).isEqualTo(404);
        assertThat(partition.body()).contains("UNKNOWN_PARTITION");
        for (String limit : List.of("-1", "abc", "1.5")) {
            HttpResponse<String> bad = get("/api/databases/" + DB + "/tables/orders/rows?limit=" + limit);
            assertThat(bad.statusCode()).as("limit=%s", limit).isEqualTo(400);
            assertThat(bad.body()).contains("limit");
        }
    }

    private static Map<String, Object> peopleTable(String name) {
        List<Map<String, Object>> partitions = List.of(
                Map.of("name", "p202601", "lower", "2026-01-01", "upper", "2026-02-01"),
                Map.of("name", "p202602", "lower", "2026-02-01", "upper", "2026-03-01"));
        List<Map<String, Object>> columns = List.of(
                Map.of("name", "id", "type", "BIGINT", "isKey", true, "nullable", false),
                Map.of("name", "day", "type", "DATE", "isKey", true, "nullable", false),
                Map.of("name", "name", "type", "VARCHAR(16)", "isKey", false, "nullable", true),
                Map.of("name", "score", "type", "DOUBLE", "isKey", false, "nullable", true),
                Map.of("name", "amount", "type", "DECIMAL(10,2)", "isKey", false, "nullable", true));
        return Map.of("name", name, "keysType", "DUP_KEYS", "columns", columns, "partitionColumn", "day",
                "partitions", partitions, "distributionColumns", List.of("id"), "buckets", 2, "replicationNum", 3);
    }

    private List<RecordedTablet> recordedTablets(JsonNode info) {
        List<RecordedTablet> tablets = new ArrayList<>();
        long dbId = info.get("id").asLong();
        info.get("backup_objects").properties().forEach(table -> table.getValue().get("partitions").properties()
                .forEach(partition -> partition.getValue().get("indexes").properties().forEach(index -> {
                    JsonNode idx = index.getValue();
                    assertThat(idx.has("snapbus_tablet_checksums")).as("%s", idx).isTrue();
                    idx.get("tablets_order").forEach(id -> {
                        JsonNode sum = idx.get("snapbus_tablet_checksums").get(id.asText());
                        assertThat(sum).as("checksum of tablet %s", id).isNotNull();
                        tablets.add(new RecordedTablet(table.getKey(), TabletRef.newBuilder().setDbId(dbId)
                                .setTableId(table.getValue().get("id").asLong())
                                .setPartitionId(partition.getValue().get("id").asLong())
                                .setIndexId(idx.get("id").asLong()).setTabletId(id.asLong())
                                .setSchemaHash(idx.get("schema_hash").asInt()).build(),
                                new ContentChecksum(sum.get("rows").asLong(), sum.get("checksum").asLong())));
                    });
                })));
        return tablets;
    }

    /** Tablet id to the backends of its replicas, from the catalog as GET .../tables/{t} shows it. */
    private Map<Long, List<Long>> replicasByTablet() {
        Map<Long, List<Long>> replicas = new HashMap<>();
        for (String table : QuickstartFlow.TABLES) {
            collectReplicas(api().get("/api/databases/" + DB + "/tables/" + table), replicas);
        }
        return replicas;
    }

    private static void collectReplicas(JsonNode node, Map<Long, List<Long>> into) {
        if (node.isObject() && node.has("replicas") && node.has("id") && node.get("replicas").isArray()) {
            List<Long> backends = new ArrayList<>();
            node.get("replicas").forEach(r -> backends.add(r.get("backendId").asLong()));
            into.put(node.get("id").asLong(), backends);
        }
        node.forEach(child -> collectReplicas(child, into));
    }

    /** One CHECK_CONSISTENCY batch per backend, at each partition's backed-up version; signature to tablet. */
    private Map<Long, Long> sendConsistencyChecks(Map<Long, List<TabletRef>> byBackend, JsonNode info)
            throws Exception {
        Map<Long, Long> versionOfPartition = new HashMap<>();
        info.get("backup_objects").forEach(table -> table.get("partitions").forEach(p ->
                versionOfPartition.put(p.get("id").asLong(), p.get("version").asLong())));
        Map<Long, Long> tabletOfSignature = new HashMap<>();
        long sequence = 1;
        for (Map.Entry<Long, List<TabletRef>> backend : byBackend.entrySet()) {
            List<AgentTask> tasks = new ArrayList<>();
            for (TabletRef ref : backend.getValue()) {
                long signature = TaskSignatures.of(CHECK_JOB, sequence++);
                tabletOfSignature.put(signature, ref.getTabletId());
                tasks.add(AgentTask.newBuilder().setSignature(signature).setTablet(ref)
                        .setRequest(CheckConsistencyRequest.newBuilder()
                                .setVersion(versionOfPartition.get(ref.getPartitionId())).build()).build());
            }
            AgentTaskBatch batch = AgentTaskBatch.newBuilder().setBatchId("check-" + backend.getKey())
                    .setJobId(CHECK_JOB).setBackendId(backend.getKey()).setTaskType(TaskType.CHECK_CONSISTENCY)
                    .setCreatedAtMs(System.currentTimeMillis()).setTasks(tasks).build();
            clients.template().send(clients.catalogue().name(SnapbusTopic.AGENT_TASKS),
                    Long.toString(batch.getBackendId()), batch).get(30, TimeUnit.SECONDS);
        }
        return tabletOfSignature;
    }

    private Map<Long, TaskFinished> awaitAnswers(java.util.Set<Long> signatures) {
        Map<Long, TaskFinished> answers = new HashMap<>();
        Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            TopicFollower.<TaskResult>replay(clients, clients.catalogue().name(SnapbusTopic.TASK_RESULTS),
                    Duration.ofSeconds(30), (key, result) -> {
                        if (result != null && signatures.contains(result.getSignature())
                                && result.getEvent() instanceof TaskFinished finished) {
                            answers.put(result.getSignature(), finished);
                        }
                    });
            return answers.keySet().containsAll(signatures);
        });
        return answers;
    }

    private RowSchema schemaOf(String table) {
        return TableChecksums.schemaOf(api(), DB, table);
    }

    private ContentChecksum checksumOf(String table, String ndjson) {
        return TableChecksums.of(schemaOf(table), ndjson);
    }

    /** Each row as the '|'-joined canonical texts of its values, for order-insensitive comparison. */
    private static List<String> canonical(RowSchema schema, String ndjson) {
        return RowReader.readAll(schema, LoadFormat.NDJSON, ndjson.getBytes(StandardCharsets.UTF_8)).stream()
                .map(row -> String.join("|", Arrays.stream(schema.canonical(row.values())).map(String::valueOf)
                        .toList())).toList();
    }

    private String rows(String table, String query) throws Exception {
        HttpResponse<String> response = get("/api/databases/" + DB + "/tables/" + table + "/rows" + query);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/x-ndjson"));
        return response.body();
    }

    private HttpResponse<String> get(String path) throws Exception {
        URI uri = cluster.jobServiceUrl().resolve(path);
        return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(2)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static Path single(Path dir, String prefix) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> matching = files.filter(p -> p.getFileName().toString().startsWith(prefix)).toList();
            assertThat(matching).as("files %s* in %s", prefix, dir).hasSize(1);
            return matching.get(0);
        }
    }
}
