package io.snapbus.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.snapbus.local.JavaService;
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
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The quickstart's flow as processes (broker, registry, 3 storage nodes, job-service, 2 agents), checked file by file
 * against the nodes' tablets, through a plain Kafka consumer, and with an agent stopped mid-upload.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BackupEndToEndIntegrationTest {
    @TempDir
    static Path dir;
    private LocalCluster cluster;
    private QuickstartFlow flow;
    private final ObjectMapper json = new ObjectMapper();

    @BeforeAll
    void startCluster() {
        // Uploads throttled per node so UPLOADING lasts long enough to stop an agent in the middle of it.
        // Tasks without a result are re-sent after 3 s (30 s by default), so a killed node's work resumes quickly.
        cluster = LocalCluster.start(LocalStackConfig.builder().dataDir(dir.resolve("stack")).build(), 3, 2,
                Map.of("snapbus.node.upload_max_bytes_per_second", "400000"),
                Map.of("snapbus.backup.task-retry-initial-backoff", "3s"));
        flow = new QuickstartFlow(new JobServiceClient(cluster.jobServiceUrl()),
                new PrintStream(new ByteArrayOutputStream()));
        flow.prepare(cluster.nodes(), 6000);
    }

    @AfterAll
    void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void theRepositoryHoldsEveryRowsetOfTheChosenReplicasAndTheJobInfoListsExactlyThem() throws Exception {
        Path repository = dir.resolve("repo-a");
        flow.createRepository("repo_a", repository);
        JsonNode job = flow.backup("repo_a", "e2e_files");
        assertThat(job.get("state").asText()).as(job.toString()).isEqualTo("FINISHED");

        verifyRepository("repo_a", repository, "e2e_files");
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            for (int node = 1; node <= 3; node++) {
                assertThat(names(cluster.nodeRoot(node).resolve("snapshot"))).as("snapshots left on node %d", node)
                        .isEmpty();
            }
        });
        long jobId = job.get("jobId").asLong();
        assertThat(jobEventStates(jobId)).containsSubsequence("PENDING", "SNAPSHOTING",
                "UPLOAD_SNAPSHOT", "UPLOADING", "SAVE_META", "UPLOAD_INFO", "FINISHED");
        List<String> persisted = decoded("snapbus.backup-jobs", Long.toString(jobId), records -> records.stream()
                .anyMatch(r -> ((GenericRecord) r.value().get("part")).get("state").toString().equals("FINISHED")))
                .stream().map(r -> ((GenericRecord) r.value().get("part")).get("state").toString()).toList();
        assertThat(persisted).as("job headers on the compacted backup-jobs topic").containsSubsequence("PENDING",
                "SAVE_META", "UPLOAD_INFO", "FINISHED");
    }

    @Test
    void aJobServiceKilledDuringUploadingResumesWithoutRedoingAnySnapshot() throws Exception {
        Path repository = dir.resolve("repo-c");
        flow.createRepository("repo_c", repository);
        JobServiceClient api = new JobServiceClient(cluster.jobServiceUrl());
        JsonNode submitted = api.post("/api/databases/" + QuickstartFlow.DB + "/backups", Map.of("label",
                "e2e_restart", "repository", "repo_c", "tables", List.of(Map.of("name", "orders"),
                        Map.of("name", "customers")), "timeoutSeconds", 3600));
        long jobId = submitted.get("jobId").asLong();
        Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(50))
                .until(() -> api.get("/api/backups/" + jobId).get("state").asText().equals("UPLOADING"));
        List<String> snapshotsBeforeKill = new ArrayList<>();
        for (int node = 1; node <= 3; node++) {
            Path snapshots = cluster.nodeRoot(node).resolve("snapshot");
            names(snapshots).forEach(n -> snapshotsBeforeKill.add(snapshots.resolve(n).toString()));
        }

        cluster.killAndRestartJobService();

        JobServiceClient restarted = new JobServiceClient(cluster.jobServiceUrl());
        JsonNode job = Awaitility.await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(200))
                .until(() -> restarted.get("/api/backups/" + jobId), j -> j.get("state").asText().equals("FINISHED")
                        || j.get("state").asText().equals("CANCELLED"));
        assertThat(job.get("state").asText()).as(job.toString()).isEqualTo("FINISHED");
        Path snapshotDir = repository.resolve(RepositoryLayout.snapshotDir("repo_c", "e2e_restart"));
        JsonNode info = json.readTree(Files.readString(single(snapshotDir, "__info_")));
        List<String> usedSnapshots = new ArrayList<>();
        info.get("tablet_snapshot_path_map").forEach(p -> usedSnapshots.add(p.asText()));
        assertThat(usedSnapshots).as("every tablet kept the snapshot made before the kill").hasSize(24)
                .allSatisfy(path -> assertThat(snapshotsBeforeKill).contains(path));
        verifyRepository("repo_c", repository, "e2e_restart");
    }

    @Test
    void aStorageNodeKilledDuringUploadingComesBackAndTheResentUploadsFinishTheJob() throws Exception {
        Path repository = dir.resolve("repo-d");
        flow.createRepository("repo_d", repository);
        JobServiceClient api = new JobServiceClient(cluster.jobServiceUrl());
        long jobId = api.post("/api/databases/" + QuickstartFlow.DB + "/backups", Map.of("label", "e2e_node_kill",
                "repository", "repo_d", "tables", List.of(Map.of("name", "orders"), Map.of("name", "customers")),
                "timeoutSeconds", 3600)).get("jobId").asLong();
        Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(50))
                .until(() -> api.get("/api/backups/" + jobId).get("state").asText().equals("UPLOADING"));

        cluster.killAndRestartNode(2);

        JsonNode job = Awaitility.await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(200))
                .until(() -> api.get("/api/backups/" + jobId), j -> j.get("state").asText().equals("FINISHED")
                        || j.get("state").asText().equals("CANCELLED"));
        assertThat(job.get("state").asText()).as(job.toString()).isEqualTo("FINISHED");
        verifyRepository("repo_d", repository, "e2e_node_kill");
    }

    @Test
    void theJobFinishesWhenAnAgentStopsDuringUploading() throws Exception {
        flow.createRepository("repo_b", dir.resolve("repo-b"));
        JsonNode[] result = new JsonNode[1];
        Thread backup = new Thread(() -> {
            try {
                result[0] = flow.backup("repo_b", "e2e_agent_stop");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        backup.start();
        JobServiceClient api = new JobServiceClient(cluster.jobServiceUrl());
        Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(50)).until(() -> {
            JsonNode jobs = api.get("/api/databases/" + QuickstartFlow.DB + "/backups");
            for (JsonNode j : jobs) {
                if (j.get("snapshotName").asText().equals("e2e_agent_stop")) {
                    return j.get("state").asText().equals("UPLOADING");
                }
            }
            return false;
        });
        JavaService stopped = cluster.agents().get(0);
        stopped.stop();
        assertThat(stopped.isAlive()).isFalse();

        backup.join(Duration.ofMinutes(3).toMillis());

        assertThat(result[0]).isNotNull();
        assertThat(result[0].get("state").asText()).as(result[0].toString()).isEqualTo("FINISHED");
    }

    /** File by file: the repository holds every rowset of the chosen replicas, and the job info lists exactly them. */
    private void verifyRepository(String repositoryName, Path repository, String label) throws Exception {
        Path snapshotDir = repository.resolve(RepositoryLayout.snapshotDir(repositoryName, label));
        JsonNode info = json.readTree(Files.readString(single(snapshotDir, "__info_")));
        assertThat(single(snapshotDir, "__meta.")).isRegularFile();
        Map<Long, Path> nodeData = nodeDataDirs();
        int tablets = 0;
        for (Iterator<Map.Entry<String, JsonNode>> tables = info.get("backup_objects").fields(); tables.hasNext();) {
            Map.Entry<String, JsonNode> table = tables.next();
            long tableId = table.getValue().get("id").asLong();
            for (Iterator<JsonNode> partitions = table.getValue().get("partitions").elements(); partitions.hasNext();) {
                JsonNode partition = partitions.next();
                for (Iterator<JsonNode> indexes = partition.get("indexes").elements(); indexes.hasNext();) {
                    JsonNode index = indexes.next();
                    for (Iterator<Map.Entry<String, JsonNode>> it = index.get("tablets").fields(); it.hasNext();) {
                        Map.Entry<String, JsonNode> tablet = it.next();
                        long tabletId = Long.parseLong(tablet.getKey());
                        Path remote = repository.resolve(RepositoryLayout.tabletDir(repositoryName,
                                label, info.get("id").asLong(), tableId, partition.get("id").asLong(),
                                index.get("id").asLong(), tabletId));
                        List<String> listed = new ArrayList<>();
                        tablet.getValue().forEach(f -> listed.add(f.asText()));
                        assertThat(names(remote)).as("tablet %d", tabletId).containsExactlyInAnyOrderElementsOf(listed);
                        long backend = info.get("tablet_be_map").get(tablet.getKey()).asLong();
                        Path source = nodeData.get(backend).resolve(Long.toString(tabletId))
                                .resolve(Integer.toString(index.get("schema_hash").asInt()));
                        List<String> rowsets = names(source).stream().filter(n -> n.endsWith(".dat")).toList();
                        List<String> uploadedRowsets = new ArrayList<>();
                        for (String stored : listed) {
                            var name = RepositoryLayout.parseChecksummed(stored).orElseThrow();
                            assertThat(Md5.of(remote.resolve(stored))).as(stored).isEqualTo(name.md5());
                            if (name.name().endsWith(".dat")) {
                                uploadedRowsets.add(name.name());
                                assertThat(Md5.of(source.resolve(name.name()))).as("source of %s", stored)
                                        .isEqualTo(name.md5());
                            }
                        }
                        assertThat(uploadedRowsets).as("rowsets of tablet %d", tabletId)
                                .containsExactlyInAnyOrderElementsOf(rowsets);
                        tablets++;
                    }
                }
            }
        }
        assertThat(tablets).as("2 tables x 3 partitions x 4 buckets").isEqualTo(24);
    }

    /** Every state the job-events topic announced for the job, decoded as a third-party consumer would. */
    private List<String> jobEventStates(long jobId) throws Exception {
        List<String> states = new ArrayList<>();
        for (ConsumerRecord<String, GenericRecord> event : decoded("snapbus.job-events", Long.toString(jobId),
                records -> records.stream().anyMatch(r -> r.value().get("state").toString().equals("FINISHED")))) {
            states.add(event.value().get("state").toString());
        }
        return states;
    }

    /** The records of a topic under one key, decoded with the schema the registry serves for their id. */
    private List<ConsumerRecord<String, GenericRecord>> decoded(String topic, String key,
            java.util.function.Predicate<List<ConsumerRecord<String, GenericRecord>>> done) throws Exception {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.stack().bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "e2e-reader-" + System.nanoTime());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        HttpClient http = HttpClient.newHttpClient();
        Map<Integer, Schema> schemas = new HashMap<>();
        List<ConsumerRecord<String, GenericRecord>> found = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (System.nanoTime() < deadline && !done.test(found)) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(300))) {
                    if (!key.equals(record.key()) || record.value() == null) {
                        continue;
                    }
                    ByteBuffer wire = ByteBuffer.wrap(record.value());
                    assertThat(wire.get()).as("Confluent magic byte").isZero();
                    Schema schema = schemas.computeIfAbsent(wire.getInt(), i -> fetchSchema(http, i));
                    GenericRecord value = new GenericDatumReader<GenericRecord>(schema).read(null,
                            DecoderFactory.get().binaryDecoder(record.value(), 5, record.value().length - 5, null));
                    found.add(new ConsumerRecord<>(record.topic(), record.partition(), record.offset(), record.key(),
                            value));
                }
            }
        }
        return found;
    }

    private Schema fetchSchema(HttpClient http, int id) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(
                    cluster.stack().registryConfluentUrl() + "/schemas/ids/" + id)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Schema.Parser().parse(json.readTree(response.body()).get("schema").asText());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Backend id to the node's data dir, matching the backends the flow added by their ports. */
    private Map<Long, Path> nodeDataDirs() {
        Map<Long, Path> dirs = new HashMap<>();
        JsonNode backends = new JobServiceClient(cluster.jobServiceUrl()).get("/api/backends");
        for (JsonNode backend : backends) {
            for (int i = 0; i < cluster.nodes().size(); i++) {
                if (cluster.nodes().get(i).port() == backend.get("bePort").asInt()) {
                    dirs.put(backend.get("id").asLong(), cluster.nodeRoot(i + 1).resolve("data"));
                }
            }
        }
        assertThat(dirs).hasSize(3);
        return dirs;
    }

    private static Path single(Path dir, String prefix) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> matches = files.filter(p -> p.getFileName().toString().startsWith(prefix)).toList();
            assertThat(matches).as("%s* in %s", prefix, dir).hasSize(1);
            return matches.get(0);
        }
    }

    private static List<String> names(Path dir) throws Exception {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).toList();
        }
    }
}
