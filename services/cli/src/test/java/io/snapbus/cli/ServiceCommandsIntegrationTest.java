package io.snapbus.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.snapbus.local.LocalStack;
import io.snapbus.local.LocalStackConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code snapbus restart|stop|start SERVICE} on a running cluster, through {@link SnapbusCli#run} as the command
 * runs it: the new process is in the pid file, {@code status} shows it, it serves on its old port and
 * {@code down} stops it. One cluster serves both tests (a start costs more than both); {@code down} comes last.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ServiceCommandsIntegrationTest {
    @TempDir
    static Path dataDir;
    private LocalCluster cluster;

    @BeforeAll
    void startCluster() {
        cluster = LocalCluster.start(LocalStackConfig.builder().dataDir(dataDir).build(), 1, 1);
    }

    @AfterAll
    void stopEverything() {
        if (cluster != null) {
            cluster.close();
        }
        LocalStack.stopFromPidFiles(dataDir);
    }

    @Test
    @Order(2)
    void aRestartedJobServiceKeepsItsPortIsTrackedByItsPidFileAndStopsWithDown() throws Exception {
        JobServiceClient api = new JobServiceClient(cluster.jobServiceUrl());
        api.post("/api/databases", Map.of("name", "kept"));
        long before = cluster.jobService().pid();
        String data = dataDir.toString();

        Result restart = run("restart", "job-service", "--data", data);

        assertThat(restart.exit()).as(restart.err()).isZero();
        long after = pidInPidFile("job-service");
        assertThat(after).isNotEqualTo(before);
        assertThat(restart.out()).contains("restarted job-service: pid " + after + ", port "
                + cluster.jobService().port());
        assertThat(ProcessHandle.of(before).filter(ProcessHandle::isAlive)).as("the old job-service").isEmpty();
        assertThat(LocalStack.running(dataDir).pids()).containsEntry("job-service", after);
        assertThat(run("status", "--data", data).out()).containsPattern("job-service +pid " + after + " +port "
                + cluster.jobService().port());
        JsonNode databases = api.get("/api/databases");
        assertThat(databases.toString()).as("the catalog, replayed by the restarted job-service").contains("kept");

        List<Long> everything = new ArrayList<>(LocalStack.running(dataDir).pids().values());
        Result down = run("down", "--data", data);
        assertThat(down.out()).contains("job-service (pid " + after + ")");
        assertThat(everything).allSatisfy(pid -> assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive))
                .as("process %d after down", pid).isEmpty());
        assertThat(run("status", "--data", data).out()).contains("nothing runs");
    }

    @Test
    @Order(1)
    void stopAndStartRefuseWhatWouldChangeNothingAndNameTheServices() throws Exception {
        String data = dataDir.toString();
        long agent = pidInPidFile("agent-1");

        Result running = run("start", "agent-1", "--data", data);
        assertThat(running.exit()).isEqualTo(SnapbusCli.FAILED);
        assertThat(running.err()).contains("agent-1 is already running", "pid " + agent);

        Result unknown = run("restart", "agent-7", "--data", data);
        assertThat(unknown.exit()).isEqualTo(SnapbusCli.FAILED);
        assertThat(unknown.err()).contains("unknown service 'agent-7'",
                "agent-1, job-service, kafka, node-1, registry");

        Result stopped = run("stop", "agent-1", "--data", data);
        assertThat(stopped.exit()).as(stopped.err()).isZero();
        assertThat(stopped.out()).contains("stopped agent-1 (pid " + agent + ")");
        assertThat(ProcessHandle.of(agent).filter(ProcessHandle::isAlive)).isEmpty();
        assertThat(LocalStack.running(dataDir).pids()).doesNotContainKey("agent-1");

        Result again = run("stop", "agent-1", "--data", data);
        assertThat(again.exit()).isEqualTo(SnapbusCli.FAILED);
        assertThat(again.err()).contains("agent-1 is not running");

        Result started = run("start", "agent-1", "--data", data);
        assertThat(started.exit()).as(started.err()).isZero();
        assertThat(LocalStack.running(dataDir).pids()).containsEntry("agent-1", pidInPidFile("agent-1"));

        Result noStack = run("restart", "job-service", "--data", dataDir.resolve("elsewhere").toString());
        assertThat(noStack.exit()).isEqualTo(SnapbusCli.FAILED);
        assertThat(noStack.err()).contains("no stack in");
    }

    private long pidInPidFile(String component) throws Exception {
        Properties pid = new Properties();
        try (var in = Files.newBufferedReader(dataDir.resolve("run").resolve(component + ".pid"))) {
            pid.load(in);
        }
        return Long.parseLong(pid.getProperty("pid"));
    }

    private record Result(int exit, String out, String err) {}

    private static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = SnapbusCli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
