package io.snapbus.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.snapbus.avro.AgentTask;
import io.snapbus.avro.AgentTaskBatch;
import io.snapbus.avro.JobEvent;
import io.snapbus.avro.JobEventKind;
import io.snapbus.avro.TaskFinished;
import io.snapbus.avro.TaskResult;
import io.snapbus.avro.TaskType;
import io.snapbus.kafka.KafkaClients;
import io.snapbus.kafka.SnapbusKafkaProperties;
import io.snapbus.kafka.SnapbusTopic;
import io.snapbus.kafka.TopicFollower;
import io.snapbus.local.JavaService;
import io.snapbus.local.LocalStackConfig;
import io.snapbus.repository.RepositoryLayout;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the job-service lets out is what it persisted, and its events tell the truth: a state the backup-jobs topic
 * refuses (the broker rejects its records) sends no task and publishes no event until the topic takes it; PROGRESS
 * events count what reached the repository; re-sent tasks are announced by TASK_RETRY events.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BackupPersistenceAndEventsIntegrationTest {
    private static final String REPOSITORY = "events";

    @TempDir
    static Path dir;
    private LocalCluster cluster;
    private KafkaClients clients;

    @BeforeAll
    void startCluster() {
        cluster = LocalCluster.start(LocalStackConfig.builder().dataDir(dir.resolve("stack"))
                        .startupTimeout(Duration.ofSeconds(180)).build(), 3, 1,
                // Uploads slow enough that a job-service killed in UPLOADING leaves them running.
                Map.of("snapbus.node.upload_max_bytes_per_second", "16384"),
                Map.of("snapbus.backup.debug-points-enabled", "true",
                        "snapbus.backup.task-retry-initial-backoff", "3s",
                        "snapbus.backup.persist-timeout", "3s",
                        "snapbus.backup.progress-event-interval", "100ms"));
        QuickstartFlow flow = new QuickstartFlow(api(), new PrintStream(new ByteArrayOutputStream()));
        flow.prepare(cluster.nodes(), 2000);
        flow.createRepository(REPOSITORY, dir.resolve("repo"));
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

    @Test
    void aStateTheTopicRefusesSendsNoTaskAndNoEventUntilTheTopicTakesIt() throws Exception {
        String label = "refused";
        api().post("/api/debug-points/backup-pauses", Map.of("state", "SNAPSHOTING", "labelPrefix", label));
        long jobId = submit(label);
        BackupJobs.awaitSettledIn(this::api, jobId, "SNAPSHOTING");
        String jobsTopic = clients.catalogue().name(SnapbusTopic.BACKUP_JOBS);
        setMaxMessageBytes(jobsTopic, "64"); // every record of a job is larger: the broker refuses them all
        try {
            api().delete("/api/debug-points/backup-pauses");

            // The job tried to leave SNAPSHOTING and the topic refused it, then refused the tick's retries too: an
            // effect let out after the first refusal went through the same producer before the later appends.
            JsonNode refused = Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100))
                    .until(() -> api().get("/api/backups/" + jobId),
                            j -> j.get("persistence").asText().contains("refused 3 times"));
            assertThat(refused.get("persistence").asText()).contains("not yet persisted to backup-jobs");

            assertThat(api().get("/api/backups/" + jobId).get("state").asText())
                    .as("SHOW BACKUP shows the newest persisted state").isEqualTo("SNAPSHOTING");
            assertThat(uploadTasks(jobId)).as("UPLOAD tasks of a state never persisted").isEmpty();
            assertThat(events(jobId)).as("events of a state never persisted")
                    .noneMatch(e -> !e.getState().equals("PENDING") && !e.getState().equals("SNAPSHOTING"));
        } finally {
            setMaxMessageBytes(jobsTopic, null);
        }

        JsonNode done = BackupJobs.awaitDone(this::api, jobId);
        assertThat(done.get("state").asText()).as(done.toString()).isEqualTo("FINISHED");
        assertThat(done.get("persistence").asText()).isEmpty();
        assertThat(uploadTasks(jobId)).as("the waiting UPLOAD tasks went out once the topic took the state")
                .isNotEmpty();
        assertThat(events(jobId)).extracting(JobEvent::getState)
                .contains("UPLOAD_SNAPSHOT", "UPLOADING", "SAVE_META", "UPLOAD_INFO", "FINISHED");
    }

    @Test
    void progressEventsCountTheFilesAndBytesThatReachedTheRepository() throws Exception {
        String label = "counted";
        long jobId = submit(label);
        JsonNode done = BackupJobs.awaitDone(this::api, jobId);
        assertThat(done.get("state").asText()).as(done.toString()).isEqualTo("FINISHED");

        Path content = dir.resolve("repo").resolve(RepositoryLayout.snapshotDir(REPOSITORY, label))
                .resolve(RepositoryLayout.SNAPSHOT_CONTENT_DIR);
        long files;
        long bytes;
        try (Stream<Path> walk = Files.walk(content)) {
            List<Path> all = walk.filter(Files::isRegularFile).toList();
            files = all.size();
            bytes = all.stream().mapToLong(p -> p.toFile().length()).sum();
        }
        assertThat(files).isPositive();

        List<JobEvent> events = events(jobId);
        List<JobEvent> progress = events.stream().filter(e -> e.getKind() == JobEventKind.PROGRESS).toList();
        assertThat(progress).as("PROGRESS events").isNotEmpty();
        long previous = -1;
        for (JobEvent event : progress) {
            assertThat(event.getProgress().getBytesUploaded()).as("bytes never shrink nor exceed the repository's")
                    .isBetween(Math.max(previous, 0), bytes);
            previous = event.getProgress().getBytesUploaded();
        }
        JobEvent finished = events.stream().filter(e -> e.getKind() == JobEventKind.FINISHED).findFirst().orElseThrow();
        assertThat(finished.getProgress().getFilesUploaded()).as("files in the snapshot's content").isEqualTo(files);
        assertThat(finished.getProgress().getBytesUploaded()).as("bytes in the snapshot's content").isEqualTo(bytes);
        assertThat(done.get("filesUploaded").asLong()).isEqualTo(files);
        assertThat(done.get("bytesUploaded").asLong()).isEqualTo(bytes);
    }

    @Test
    void tasksResentToAFrozenNodeAreAnnouncedAsTaskRetryEvents() throws Exception {
        String label = "retried";
        api().post("/api/debug-points/backup-pauses", Map.of("state", "PENDING", "labelPrefix", label));
        long jobId = submit(label);
        JavaService frozen = cluster.nodes().get(0);
        long backendId = backendOf(frozen);
        signal("STOP", frozen);
        try {
            api().delete("/api/debug-points/backup-pauses");
            JobEvent retry = Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                    .until(() -> events(jobId).stream().filter(e -> e.getKind() == JobEventKind.TASK_RETRY)
                            .findFirst(), java.util.Optional::isPresent).orElseThrow();
            assertThat(retry.getMessage()).startsWith("re-sent ").contains("MAKE_SNAPSHOT", "on backend " + backendId,
                    "attempt 2", "no result");
        } finally {
            signal("CONT", frozen);
        }
        JsonNode done = BackupJobs.awaitDone(this::api, jobId);
        assertThat(done.get("state").asText()).as(done.toString()).isEqualTo("FINISHED");
    }

    @Test
    void resultsPublishedWhileTheJobServiceIsDownAreAppliedByTheNextOneNotDropped() throws Exception {
        String label = "resumed";
        // Held in UPLOADING (the pause lets its tasks run), so the kill finds uploads running on the nodes.
        api().post("/api/debug-points/backup-pauses", Map.of("state", "UPLOADING", "labelPrefix", label));
        long jobId = submit(label);
        Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100)).until(() -> {
            JsonNode job = api().get("/api/backups/" + jobId);
            return job.get("state").asText().equals("UPLOADING") && !job.get("unfinishedTasks").asText().equals("[]");
        });
        java.util.Set<Long> sent = uploadTasks(jobId).stream().flatMap(b -> b.getTasks().stream())
                .map(AgentTask::getSignature).collect(java.util.stream.Collectors.toSet());
        cluster.killJobService();
        // The nodes finish the uploads and the agents publish their results while no job-service runs.
        Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                .until(() -> finishedUploads(jobId).containsAll(sent));

        cluster.startJobService();

        JsonNode done = BackupJobs.awaitDone(this::api, jobId);
        assertThat(done.get("state").asText()).as(done.toString()).isEqualTo("FINISHED");
        List<String> dropped = Files.readAllLines(cluster.jobService().logFile()).stream()
                .filter(line -> line.contains("dropping") && line.contains("for job " + jobId)).toList();
        assertThat(dropped).as("results of the resumed job dropped by the restarted job-service").isEmpty();
        assertThat(uploadTasks(jobId).stream().flatMap(b -> b.getTasks().stream())
                .map(AgentTask::getSignature).toList())
                .as("no upload re-sent: every result that waited on task-results was applied")
                .containsExactlyInAnyOrderElementsOf(sent);
    }

    /** Signatures of the job's UPLOAD tasks whose finish report is on task-results. */
    private java.util.Set<Long> finishedUploads(long jobId) {
        java.util.Set<Long> finished = new java.util.HashSet<>();
        TopicFollower.<TaskResult>replay(clients, clients.catalogue().name(SnapbusTopic.TASK_RESULTS),
                Duration.ofSeconds(60), (key, result) -> {
                    if (result != null && result.getJobId() == jobId && result.getTaskType() == TaskType.UPLOAD
                            && result.getEvent() instanceof TaskFinished) {
                        finished.add(result.getSignature());
                    }
                });
        return finished;
    }

    /** Cancels what a test left running, so the next one may back up the same tables. */
    @org.junit.jupiter.api.AfterEach
    void cancelUnfinishedJobs() {
        api().delete("/api/debug-points/backup-pauses");
        BackupJobs.cancelUnfinished(api(), QuickstartFlow.DB);
    }

    private long backendOf(JavaService node) {
        for (JsonNode backend : api().get("/api/backends")) {
            if (backend.get("bePort").asInt() == node.port()) {
                return backend.get("id").asLong();
            }
        }
        throw new AssertionError("no backend on port " + node.port());
    }

    private static void signal(String signal, JavaService service) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(service.pid())).inheritIO().start();
        assertThat(kill.waitFor()).as("kill -%s %s", signal, service.pid()).isZero();
    }

    private void setMaxMessageBytes(String topic, String value) throws Exception {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        AlterConfigOp op = value == null
                ? new AlterConfigOp(new ConfigEntry(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, ""), AlterConfigOp.OpType.DELETE)
                : new AlterConfigOp(new ConfigEntry(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, value),
                        AlterConfigOp.OpType.SET);
        clients.admin().incrementalAlterConfigs(Map.of(resource, List.of(op))).all().get();
        // KRaft applies a config change asynchronously: wait until the broker describes the new value.
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
            ConfigEntry entry = clients.admin().describeConfigs(List.of(resource)).all().get().get(resource)
                    .get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
            return value == null ? entry.source() != ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG
                    : value.equals(entry.value());
        });
    }

    private List<AgentTaskBatch> uploadTasks(long jobId) {
        List<AgentTaskBatch> batches = new ArrayList<>();
        TopicFollower.<AgentTaskBatch>replay(clients, clients.catalogue().name(SnapbusTopic.AGENT_TASKS),
                Duration.ofSeconds(60), (key, batch) -> {
                    if (batch != null && batch.getJobId() == jobId && batch.getTaskType() == TaskType.UPLOAD) {
                        batches.add(batch);
                    }
                });
        return batches;
    }

    /** The job's events in their order. */
    private List<JobEvent> events(long jobId) {
        List<JobEvent> events = new ArrayList<>();
        TopicFollower.<JobEvent>replay(clients, clients.catalogue().name(SnapbusTopic.JOB_EVENTS),
                Duration.ofSeconds(60), (key, event) -> {
                    if (event != null && event.getJobId() == jobId) {
                        events.add(event);
                    }
                });
        events.sort(Comparator.comparingLong(JobEvent::getSeq));
        return events;
    }

    private JobServiceClient api() {
        return new JobServiceClient(cluster.jobServiceUrl());
    }

    private long submit(String label) {
        return api().post("/api/databases/" + QuickstartFlow.DB + "/backups", Map.of("label", label, "repository",
                REPOSITORY, "tables", List.of(Map.of("name", "orders"), Map.of("name", "customers")),
                "timeoutSeconds", 3600)).get("jobId").asLong();
    }
}
