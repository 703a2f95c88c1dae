package io.snapbus.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.snapbus.kafka.SnapbusTopic;
import io.snapbus.local.LocalStack;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Collection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StackCommandsIntegrationTest {
    @TempDir
    Path dataDir;

    @AfterEach
    void stopWhateverIsLeft() {
        LocalStack.stopFromPidFiles(dataDir);
    }

    @Test
    void upLeavesTheStackRunningStatusShowsItAndDownStopsEveryProcess() {
        Result up = run("up", "--data", dataDir.toString());
        assertThat(up.exit()).as(up.err()).isZero();
        // Every topic and its dead-letter topic.
        assertThat(up.out()).contains("topics: " + 2 * SnapbusTopic.values().length + " created",
                "snapbus.job-events-value", "bootstrap.servers");

        LocalStack.RunningStack running = LocalStack.running(dataDir);
        assertThat(running.pids()).containsOnlyKeys("kafka", "registry");
        Collection<Long> pids = running.pids().values();

        Result status = run("status", "--data", dataDir.toString());
        assertThat(status.out()).contains("kafka", "registry", running.endpoints().getProperty("bootstrap.servers"));

        Result again = run("up", "--data", dataDir.toString());
        assertThat(again.out()).contains("already running");

        Result down = run("down", "--data", dataDir.toString());
        assertThat(down.out()).contains("stopped", "kafka", "registry");
        assertThat(pids).allSatisfy(pid -> assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive))
                .as("process %d after down", pid).isEmpty());
        assertThat(run("status", "--data", dataDir.toString()).out()).contains("nothing runs");
    }

    @Test
    void aPortInUseIsRefusedWithOneClearMessageAndNothingKeepsRunning() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Result up = run("up", "--data", dataDir.toString(), "--kafka-port", Integer.toString(taken.getLocalPort()));

            assertThat(up.exit()).isEqualTo(SnapbusCli.FAILED);
            assertThat(up.err()).contains("kafka: port " + taken.getLocalPort(), "already in use");
            assertThat(LocalStack.running(dataDir).isRunning()).isFalse();
        }
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
