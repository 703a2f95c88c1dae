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
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
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
import org.apache.kafka.common.TopicPartition;
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
        Path snapshotDir = repository.resolve(RepositoryLayout.snapshotDir("repo_a", "e2e_files"));
        JsonNode info = json.readTree(Files.readString(single(snapshotDir, "__info_")));
        List<Path> used = new ArrayList<>();
        info.get("tablet_snapshot_path_map").forEach(p -> used.add(Path.of(p.asText())));
        assertThat(used).hasSize(24);
        // Only this job's: a keep-on-local backup of another test keeps its snapshots on the nodes.
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(used)
                .as("snapshots left on the nodes").noneMatch(Files::exists));
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
    void keepsTheSnapshotOnTheNodesForAKeepOnLocalBackup() throws Exception {
        JsonNode job = flow.backup("__keep_on_local__", "e2e_local");
        assertThat(job.get("state").asText()).as(job.toString()).isEqualTo("FINISHED");
        assertThat(job.get("tabletsUploaded").asInt()).isZero();
        long jobId = job.get("jobId").asLong();
        assertThat(taskTypesSent(jobId)).as("agent tasks of the job").isNotEmpty()
                .containsOnly("MAKE_SNAPSHOT");
        assertThat(jobEventStates(jobId)).containsSubsequence("SNAPSHOTING", "UPLOADING", "SAVE_META",
                "UPLOAD_INFO", "FINISHED");

        JobServiceClient api = new JobServiceClient(cluster.jobServiceUrl());
        JsonNode snapshot = api.get("/api/databases/" + QuickstartFlow.DB + "/local-snapshots/e2e_local");
        assertThat(snapshot.get("expired").asBoolean()).as(snapshot.toString()).isFalse();
        assertThat(snapshot.get("jobId").asLong()).isEqualTo(jobId);
        long expiredAt = snapshot.get("createTimeMs").asLong() + 3_600_000L;
        assertThat(snapshot.get("expiredAtMs").asLong()).isEqualTo(expiredAt);
        assertThat(snapshot.get("meta").get("objects")).isNotEmpty();
        JsonNode info = snapshot.get("jobInfo");
        assertThat(info.get("name").asText()).isEqualTo("e2e_local");
        assertThat(info.get("table_commit_seq_map")).hasSize(2);
        verifyLocalSnapshots(info);

        Path localFiles = single(cluster.jobServiceWorkDir().resolve("backup").resolve("repo__-1"), "e2e_local__");
        assertThat(json.readTree(Files.readString(single(localFiles, "__info_")))).isEqualTo(info);
        assertThat(json.readTree(Files.readString(localFiles.resolve("__meta")))).isEqualTo(snapshot.get("meta"));
        List<String> written = new ArrayList<>(namesUnder(cluster.jobServiceWorkDir()));
        for (int node = 1; node <= 3; node++) {
            written.addAll(namesUnder(cluster.nodeRoot(node)));
        }
        assertThat(written).as("no repository was written").isNotEmpty()
                .noneMatch(n -> n.contains("__keep_on_local__") || n.equals("__ss_e2e_local"));
        JsonNode listed = api.get("/api/databases/" + QuickstartFlow.DB + "/local-snapshots");
        JsonNode row = null;
        for (JsonNode r : listed) {
            row = r.get("label").asText().equals("e2e_local") ? r : row;
        }
        assertThat(row).as(listed.toString()).isNotNull();
        assertThat(row.get("jobId").asLong()).isEqualTo(jobId);
        assertThat(row.get("expiredAtMs").asLong()).isEqualTo(expiredAt);
        assertThat(row.get("expired").asBoolean()).isFalse();
        assertThat(row.get("tableCommitSeqs")).isEqualTo(snapshot.get("tableCommitSeqs")).hasSize(2);
        assertThat(row.get("meta").isNull()).isTrue();
        assertThat(api.get("/api/repositories")).noneMatch(r -> r.toString().contains("__keep_on_local__"));
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
        JsonNode job = BackupJobs.awaitDone(() -> restarted, jobId);
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

        JsonNode job = BackupJobs.awaitDone(() -> api, jobId);
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
        int tablets = BackupRepositoryCheck.verify(info, repository, repositoryName, label, nodeDataDirs(), 1);
        assertThat(tablets).as("2 tables x 3 partitions x 4 buckets").isEqualTo(24);
    }

    /**
     * File by file: each tablet's snapshot dir is still on the node of its chosen replica, under that node's snapshot
     * area, and holds exactly the files the job info lists, with every rowset of the replica's tablet.
     */
    private void verifyLocalSnapshots(JsonNode info) throws Exception {
        Map<Long, Path> nodeRoots = nodeRoots();
        int tablets = forEachTablet(info, (tablet, listed, source) -> {
            String key = Long.toString(tablet.tabletId());
            Path root = Path.of(info.get("tablet_snapshot_path_map").get(key).asText());
            Path node = nodeRoots.get(info.get("tablet_be_map").get(key).asLong());
            assertThat(root.getParent()).as("snapshot of tablet %s", key).isEqualTo(node.resolve("snapshot"));
            Path kept = root.resolve(key).resolve(source.getFileName());
            assertThat(names(kept)).as("tablet %s", key).containsExactlyInAnyOrderElementsOf(listed);
            List<String> rowsets = names(source).stream().filter(n -> n.endsWith(".dat")).toList();
            assertThat(listed.stream().filter(n -> n.endsWith(".dat")).toList()).as("rowsets of tablet %s", key)
                    .isNotEmpty().containsExactlyInAnyOrderElementsOf(rowsets);
            for (String rowset : rowsets) {
                assertThat(Md5.of(kept.resolve(rowset))).as(rowset).isEqualTo(Md5.of(source.resolve(rowset)));
            }
        });
        assertThat(tablets).as("2 tables x 3 partitions x 4 buckets").isEqualTo(24);
    }

    /** Runs the check for every tablet of the job info; returns how many there were. */
    private int forEachTablet(JsonNode info, BackupRepositoryCheck.TabletCheck check) throws Exception {
        return BackupRepositoryCheck.forEachTablet(info, nodeDataDirs(), check);
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

    /** The task type of every agent-task batch sent for the job, read to the end of the agent-tasks topic. */
    private List<String> taskTypesSent(long jobId) throws Exception {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.stack().bootstrapServers());
        HttpClient http = HttpClient.newHttpClient();
        Map<Integer, Schema> schemas = new HashMap<>();
        List<String> types = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor("snapbus.agent-tasks").stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(300))) {
                    if (record.value() != null) {
                        GenericRecord batch = decode(record.value(), schemas, http);
                        if ((Long) batch.get("jobId") == jobId) {
                            types.add(batch.get("taskType").toString());
                        }
                    }
                }
            }
        }
        return types;
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
                    found.add(new ConsumerRecord<>(record.topic(), record.partition(), record.offset(), record.key(),
                            decode(record.value(), schemas, http)));
                }
            }
        }
        return found;
    }

    /** A value in the Confluent wire format, decoded with the schema the registry serves for its id. */
    private GenericRecord decode(byte[] value, Map<Integer, Schema> schemas, HttpClient http) throws Exception {
        ByteBuffer wire = ByteBuffer.wrap(value);
        assertThat(wire.get()).as("Confluent magic byte").isZero();
        Schema schema = schemas.computeIfAbsent(wire.getInt(), i -> fetchSchema(http, i));
        return new GenericDatumReader<GenericRecord>(schema).read(null,
                DecoderFactory.get().binaryDecoder(value, 5, value.length - 5, null));
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
        nodeRoots().forEach((backend, root) -> dirs.put(backend, root.resolve("data")));
        return dirs;
    }

    /** Backend id to the node's storage root. */
    private Map<Long, Path> nodeRoots() {
        Map<Long, Path> roots = new HashMap<>();
        JsonNode backends = new JobServiceClient(cluster.jobServiceUrl()).get("/api/backends");
        for (JsonNode backend : backends) {
            for (int i = 0; i < cluster.nodes().size(); i++) {
                if (cluster.nodes().get(i).port() == backend.get("bePort").asInt()) {
                    roots.put(backend.get("id").asLong(), cluster.nodeRoot(i + 1));
                }
            }
        }
        assertThat(roots).hasSize(3);
        return roots;
    }

    private static Path single(Path dir, String prefix) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> matches = files.filter(p -> p.getFileName().toString().startsWith(prefix)).toList();
            assertThat(matches).as("%s* in %s", prefix, dir).hasSize(1);
            return matches.get(0);
        }
    }

    /** Names of every file and dir under root; what vanishes meanwhile (a node emptying its trash) is skipped. */
    private static List<String> namesUnder(Path root) throws Exception {
        List<String> found = new ArrayList<>();
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
                found.add(d.getFileName().toString());
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                found.add(file.getFileName().toString());
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, java.io.IOException e) {
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, java.io.IOException e) {
                return FileVisitResult.CONTINUE;
            }
        });
        return found;
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
