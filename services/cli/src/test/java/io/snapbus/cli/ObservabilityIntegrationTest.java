package io.snapbus.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.snapbus.local.LocalStack;
import io.snapbus.local.LocalStackConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
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
 * Health and metrics of a running stack (docs/observability.md): after a backup, the job-service's Prometheus scrape
 * counts exactly the job's own tablets, files and bytes, the agent's and the nodes' scrapes count their share, every
 * service is ready; a restarted job-service says DOWN on readiness (and 503 on its API) while it replays, UP after.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ObservabilityIntegrationTest {
    @TempDir
    static Path dir;
    private LocalCluster cluster;
    private QuickstartFlow flow;
    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    @BeforeAll
    void startCluster() {
        cluster = LocalCluster.start(LocalStackConfig.builder().dataDir(dir.resolve("stack"))
                .startupTimeout(Duration.ofSeconds(180)).build(), 3, 1);
        flow = new QuickstartFlow(new JobServiceClient(cluster.jobServiceUrl()),
                new PrintStream(new ByteArrayOutputStream()));
        flow.prepare(cluster.nodes(), 2000);
    }

    @AfterAll
    void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void theScrapesAfterABackupCountTheJobsOwnTabletsFilesAndBytes() throws Exception {
        flow.createRepository("repo_m", dir.resolve("repo-m"));
        JsonNode job = flow.backup("repo_m", "metered");
        assertThat(job.get("state").asText()).as(job.toString()).isEqualTo("FINISHED");
        long jobId = job.get("jobId").asLong();
        JsonNode shown = new JobServiceClient(cluster.jobServiceUrl()).get("/api/backups/" + jobId);
        long tablets = shown.get("tabletsUploaded").asLong();
        long files = shown.get("filesUploaded").asLong();
        long bytes = shown.get("bytesUploaded").asLong();
        assertThat(tablets).isPositive();
        assertThat(files).isPositive();
        assertThat(bytes).isPositive();

        PrometheusScrape jobs = PrometheusScrape.of(cluster.metricsUrl("job-service"));
        Map<String, String> uploads = Map.of("type", "backup", "direction", "upload");
        assertThat(jobs.sum("snapbus_tablets_moved_total", uploads)).isEqualTo(tablets);
        assertThat(jobs.sum("snapbus_files_moved_total", uploads)).isEqualTo(files);
        assertThat(jobs.sum("snapbus_bytes_moved_total", uploads)).isEqualTo(bytes);
        assertThat(jobs.sum("snapbus_jobs", Map.of("type", "backup", "state", "FINISHED"))).isEqualTo(1);
        assertThat(jobs.sum("snapbus_jobs", Map.of("type", "backup", "state", "UPLOADING"))).isZero();
        assertThat(jobs.sum("snapbus_tasks_sent_total", Map.of("type", "backup", "kind", "MAKE_SNAPSHOT")))
                .isEqualTo(shown.get("tablets").asLong());
        assertThat(jobs.sum("snapbus_tasks_sent_total", Map.of("type", "backup", "kind", "UPLOAD"))).isPositive();
        assertThat(jobs.sum("snapbus_task_latency_seconds_count", Map.of("type", "backup", "kind", "UPLOAD",
                "outcome", "ok"))).isPositive();
        assertThat(jobs.sum("snapbus_persist_latency_seconds_count", Map.of("type", "backup", "outcome", "ok")))
                .isPositive();
        assertThat(jobs.has("kafka_consumer_fetch_manager_records_lag_max")).as("consumer lag of task-results")
                .isTrue();

        PrometheusScrape agent = PrometheusScrape.of(cluster.metricsUrl("agent-1"));
        assertThat(agent.sum("snapbus_agent_tasks_taken_total", Map.of("kind", "UPLOAD"))).isPositive();
        assertThat(agent.sum("snapbus_agent_tasks_submitted_total", Map.of("kind", "MAKE_SNAPSHOT", "outcome", "ok")))
                .isEqualTo(shown.get("tablets").asLong());
        assertThat(agent.sum("snapbus_agent_reports_published_total", Map.of("event", "finished"))).isPositive();
        assertThat(agent.sum("snapbus_agent_thrift_call_seconds_count", Map.of("method", "submit_tasks")))
                .isPositive();

        double nodeFiles = 0;
        double nodeTablets = 0;
        for (int node = 1; node <= 3; node++) {
            PrometheusScrape scrape = PrometheusScrape.of(cluster.metricsUrl("node-" + node));
            nodeFiles += scrape.sum("snapbus_node_files_moved_total", Map.of("direction", "upload"));
            nodeTablets += scrape.sum("snapbus_node_tablets_moved_total", Map.of("direction", "upload"));
            assertThat(scrape.sum("snapbus_node_tasks_run_total", Map.of("type", "MAKE_SNAPSHOT", "outcome", "ok")))
                    .isPositive();
        }
        assertThat(nodeFiles).as("files the nodes uploaded").isEqualTo(files);
        assertThat(nodeTablets).as("tablets the nodes uploaded").isEqualTo(tablets);

        String log = Files.readString(dir.resolve("stack").resolve("logs").resolve("job-service.log"));
        assertThat(log).as("log lines of the job name it").contains("[job " + jobId + " metered]");
    }

    @Test
    @Order(2)
    void everyServiceIsLiveAndReady() throws Exception {
        for (String service : new String[] {"job-service", "agent-1", "node-1", "node-2", "node-3"}) {
            HttpResponse<String> ready = get(cluster.readinessUrl(service));
            assertThat(ready.statusCode()).as(service + ": " + ready.body()).isEqualTo(200);
            assertThat(json.readTree(ready.body()).get("status").asText()).isEqualTo("UP");
            URI liveness = cluster.readinessUrl(service).resolve("liveness");
            assertThat(get(liveness).statusCode()).as(service + " liveness").isEqualTo(200);
        }
        Properties endpoints = LocalStack.running(dir.resolve("stack")).endpoints();
        assertThat(endpoints.getProperty("agent-1.metrics.url")).isEqualTo(cluster.metricsUrl("agent-1").toString());
        assertThat(endpoints.getProperty("node-2.readiness.url"))
                .isEqualTo(cluster.readinessUrl("node-2").toString());
    }

    @Test
    @Order(3)
    void aRestartedJobServiceIsNotReadyWhileItReplaysAndReadyAfter() throws Exception {
        Path hold = Files.createFile(dir.resolve("replay-hold"));
        int port = LocalStack.freePort();
        URI readiness = URI.create("http://127.0.0.1:" + port + "/actuator/health/readiness");
        CompletableFuture<Void> restarted = CompletableFuture.runAsync(() -> cluster.killAndRestartJobService(Map.of(
                "server.port", Integer.toString(port), "snapbus.jobs.debug.replay-hold-file", hold.toString())));
        try {
            // The server listens before the catalog is replayed; the hold stops start-up right after it.
            JsonNode down = Awaitility.await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(100))
                    .ignoreExceptions().until(() -> answer(readiness), a -> a.isPresent() && a.get()
                            .path("components").path("replay").path("details").path("catalog").asText()
                            .equals("replayed")).get();
            assertThat(down.get("status").asText()).as(down.toString()).isEqualTo("DOWN");
            JsonNode replay = down.get("components").get("replay");
            assertThat(replay.get("status").asText()).isEqualTo("DOWN");
            assertThat(replay.get("details").get("backupJobs").asText()).isEqualTo("replaying");
            HttpResponse<String> api = get(URI.create("http://127.0.0.1:" + port + "/api/backups/1"));
            assertThat(api.statusCode()).as(api.body()).isEqualTo(503);
            assertThat(api.body()).contains("not ready");
            assertThat(restarted).as("the launcher still waits for readiness").isNotDone();
        } finally {
            Files.delete(hold);
        }
        restarted.join();
        HttpResponse<String> up = get(readiness);
        assertThat(up.statusCode()).as(up.body()).isEqualTo(200);
        JsonNode upBody = json.readTree(up.body());
        assertThat(upBody.get("status").asText()).isEqualTo("UP");
        assertThat(upBody.get("components").get("replay").get("details").get("backupJobs").asText())
                .isEqualTo("resumed");
        JsonNode backups = new JobServiceClient(cluster.jobServiceUrl()).get("/api/databases/" + QuickstartFlow.DB
                + "/backups");
        assertThat(backups.toString()).as("the replayed job").contains("metered");
    }

    /** The readiness answer once the server answers at all (empty while it does not listen yet). */
    private Optional<JsonNode> answer(URI url) throws Exception {
        HttpResponse<String> response = get(url);
        return Optional.of(json.readTree(response.body()));
    }

    private HttpResponse<String> get(URI url) throws Exception {
        return http.send(HttpRequest.newBuilder(url).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
