package io.snapbus.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.snapbus.avro.TaskType;
import io.snapbus.kafka.KafkaClients;
import io.snapbus.kafka.SnapbusKafkaProperties;
import io.snapbus.local.JavaService;
import io.snapbus.local.LocalStackConfig;
import io.snapbus.repository.Md5;
import io.snapbus.repository.RepositoryLayout;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Recovery by replay, state by state: a backup is paused in a state (a debug point of the job-service), the
 * job-service is killed with SIGKILL right there, and the new one must end the job exactly like an uninterrupted run:
 * the same repository content, and the storage nodes executed the same snapshot and upload tasks, none twice. Then an
 * agent is killed with uploads in flight. Tasks run are counted from the nodes' finish reports on task-results.
 * Each test backs up under its own label; the clean run of {@code @BeforeAll} is what they all compare with, and a
 * test that killed an agent leaves the other one, which serves every backend.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BackupRecoveryIntegrationTest {
    private static final String REPOSITORY = "recovery";
    private static final List<TaskType> COUNTED = List.of(TaskType.MAKE_SNAPSHOT, TaskType.UPLOAD);

    @TempDir
    static Path dir;
    private LocalCluster cluster;
    private QuickstartFlow flow;
    private Run clean;
    private KafkaClients clients;
    private final ObjectMapper json = new ObjectMapper();

    /** What a finished backup left behind. */
    private record Run(Map<String, String> content, JsonNode jobInfo, Map<String, Integer> executedTasks) {}

    @BeforeAll
    void startClusterAndRunACleanBackup() throws Exception {
        cluster = LocalCluster.start(LocalStackConfig.builder().dataDir(dir.resolve("stack"))
                        .startupTimeout(Duration.ofSeconds(180)).build(), 3, 2,
                Map.of(), Map.of("snapbus.backup.debug-points-enabled", "true",
                        "snapbus.backup.task-retry-initial-backoff", "3s"));
        clients = new KafkaClients(SnapbusKafkaProperties.local(cluster.stack().bootstrapServers(),
                cluster.stack().registryUrl()));
        flow = new QuickstartFlow(api(), new PrintStream(new ByteArrayOutputStream()));
        flow.prepare(cluster.nodes(), 3000);
        flow.createRepository(REPOSITORY, dir.resolve("repo"));
        JsonNode job = flow.backup(REPOSITORY, "clean");
        assertThat(job.get("state").asText()).as(job.toString()).isEqualTo("FINISHED");
        clean = run("clean", job.get("jobId").asLong());
        assertThat(clean.content()).as("repository files of the clean run").isNotEmpty();
        assertThat(clean.executedTasks().get("MAKE_SNAPSHOT")).as("one snapshot per tablet").isEqualTo(24);
    }

    /** Lets a failed test leave no pause and no running job behind for the next one. */
    @AfterEach
    void releasePausesAndCancelUnfinishedJobs() {
        api().delete("/api/debug-points/backup-pauses");
        BackupJobs.cancelUnfinished(api(), QuickstartFlow.DB);
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

    @ParameterizedTest(name = "killed in {0}")
    @ValueSource(strings = {"PENDING", "SNAPSHOTING", "UPLOAD_SNAPSHOT", "UPLOADING", "SAVE_META", "UPLOAD_INFO",
            "FINISHED"})
    void aJobServiceKilledInAStateResumesAndEndsLikeAnUninterruptedRun(String state) throws Exception {
        String label = "killed_in_" + state.toLowerCase();
        if (!state.equals("FINISHED")) {
            api().post("/api/debug-points/backup-pauses", Map.of("state", state, "labelPrefix", label));
        }
        long jobId = submit(label);
        // A state SHOW BACKUP shows is persisted; with no task awaited, nothing is in flight at the kill.
        BackupJobs.awaitSettledIn(this::api, jobId, state);

        cluster.killAndRestartJobService();

        JsonNode job = BackupJobs.awaitDone(this::api, jobId);
        assertThat(job.get("state").asText()).as(job.toString()).isEqualTo("FINISHED");
        Run resumed = run(label, jobId);
        assertThat(resumed.content()).as("repository byte for byte").isEqualTo(clean.content());
        assertThat(resumed.jobInfo()).as("job info apart from label, time and snapshot paths")
                .isEqualTo(clean.jobInfo());
        assertThat(resumed.executedTasks()).as("tasks the nodes executed: no snapshot or upload done twice")
                .isEqualTo(clean.executedTasks());
    }

    @Test
    void aJobFinishesWhenAnAgentIsKilledWithItsUploadsInFlight() throws Exception {
        String label = "agent_killed";
        api().post("/api/debug-points/backup-pauses", Map.of("state", "UPLOAD_SNAPSHOT", "labelPrefix", label));
        long jobId = submit(label);
        BackupJobs.awaitJob(this::api, jobId, Duration.ofSeconds(120),
                job -> job.get("state").asText().equals("UPLOAD_SNAPSHOT"));
        JavaService killed = cluster.agents().get(0);

        cluster.killAgent(1);
        api().delete("/api/debug-points/backup-pauses");

        assertThat(killed.isAlive()).isFalse();
        JsonNode job = BackupJobs.awaitDone(this::api, jobId);
        assertThat(job.get("state").asText()).as(job.toString()).isEqualTo("FINISHED");
        Run run = run(label, jobId);
        assertThat(run.content()).as("repository byte for byte").isEqualTo(clean.content());
        assertThat(run.executedTasks()).as("re-delivered tasks are not run again").isEqualTo(clean.executedTasks());
    }

    private JobServiceClient api() {
        return new JobServiceClient(cluster.jobServiceUrl());
    }

    private long submit(String label) {
        return api().post("/api/databases/" + QuickstartFlow.DB + "/backups", Map.of("label", label, "repository",
                REPOSITORY, "tables", List.of(Map.of("name", "orders"), Map.of("name", "customers")),
                "timeoutSeconds", 3600)).get("jobId").asLong();
    }

    private Run run(String label, long jobId) throws Exception {
        Path snapshotDir = dir.resolve("repo").resolve(RepositoryLayout.snapshotDir(REPOSITORY, label));
        Map<String, String> content = new TreeMap<>();
        JsonNode info = null;
        try (Stream<Path> files = Files.walk(snapshotDir)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String relative = snapshotDir.relativize(file).toString();
                if (relative.startsWith(RepositoryLayout.PREFIX_JOB_INFO)) {
                    info = json.readTree(Files.readString(file));
                } else {
                    content.put(relative, Md5.of(file));
                }
            }
        }
        assertThat(info).as("job info of %s", label).isNotNull();
        // What differs between two backups of the same data: the label, its time and the nodes' snapshot dirs.
        ((ObjectNode) info).remove(List.of("name", "backup_time", "tablet_snapshot_path_map"));
        return new Run(content, info, executedTasks(jobId));
    }

    /** Tasks of the job the storage nodes ran, by type, from their finish reports; fails if one ran twice. */
    private Map<String, Integer> executedTasks(long jobId) {
        return NodeTaskReports.of(clients, jobId).runsOf(COUNTED);
    }
}
