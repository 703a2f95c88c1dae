package io.snapbus.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Stopping exactly what was started: by its owner, by another JVM through pid files, or when the owner dies. */
class StopIntegrationTest {

    @TempDir
    Path dataDir;

    @Test
    void aStackLeftRunningByAnExitedJvmIsStoppedFromItsPidFilesByAnother() throws Exception {
        Process owner = startOwnerJvm(false);
        assertThat(owner.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(owner.exitValue()).isZero();
        long s3Pid = PidFile.read(dataDir.resolve("run/s3.pid")).orElseThrow().pid();
        assertThat(ProcessHandle.of(s3Pid)).hasValueSatisfying(p -> assertThat(p.isAlive()).isTrue());

        LocalComponentException inUse = catchThrowableOfType(LocalComponentException.class,
                () -> S3Server.start(LocalStackConfig.defaults(dataDir)));
        assertThat(inUse.getMessage()).startsWith("s3: the data folder is in use by a running s3 (pid " + s3Pid + ",");

        List<String> stopped = LocalStack.stopFromPidFiles(dataDir);

        assertThat(stopped).containsExactly("s3 (pid " + s3Pid + ")");
        assertThat(ProcessHandle.of(s3Pid).filter(ProcessHandle::isAlive)).isEmpty();
        assertThat(dataDir.resolve("run/s3.pid")).doesNotExist();
        assertThat(LocalStack.stopFromPidFiles(dataDir)).isEmpty();
    }

    @Test
    void aComponentEndsByItselfWhenItsOwnerJvmIsKilled() throws Exception {
        Process owner = startOwnerJvm(true);
        long s3Pid = PidFile.read(dataDir.resolve("run/s3.pid")).orElseThrow().pid();
        ProcessHandle s3 = ProcessHandle.of(s3Pid).orElseThrow();

        owner.destroyForcibly();

        s3.onExit().get(30, TimeUnit.SECONDS);
        assertThat(StackProcesses.alive(dataDir)).isEmpty();
    }

    @Test
    void aPidFileNeverStopsAProcessWhoseCommandLineLacksTheDataFolderMarker() throws Exception {
        Process stranger = new ProcessBuilder("sleep", "60").start();
        try {
            StackLayout layout = new StackLayout(dataDir);
            PidFile.write(layout.pidFile("kafka"), "kafka", stranger.toHandle(), layout.marker());

            assertThat(LocalStack.stopFromPidFiles(dataDir)).isEmpty();

            assertThat(stranger.isAlive()).isTrue();
            assertThat(layout.pidFile("kafka")).doesNotExist();
        } finally {
            stranger.destroyForcibly();
        }
    }

    /** Another JVM that starts an S3 server in {@link #dataDir} and then either exits or waits to be killed. */
    private Process startOwnerJvm(boolean stopWithOwner) throws Exception {
        Process owner = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), OwnerJvm.class.getName(), dataDir.toString(), Boolean.toString(stopWithOwner))
                .redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(owner.getInputStream(), StandardCharsets.UTF_8));
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        StringBuilder seen = new StringBuilder();
        String line;
        while (System.nanoTime() < deadline && (line = out.readLine()) != null) {
            seen.append(line).append('\n');
            if (line.startsWith("READY")) {
                Thread drain = new Thread(() -> {
                    try {
                        out.transferTo(java.io.Writer.nullWriter());
                    } catch (java.io.IOException ignored) {
                        // the owner is gone
                    }
                });
                drain.setDaemon(true);
                drain.start();
                return owner;
            }
        }
        owner.destroyForcibly();
        throw new AssertionError("the owner JVM did not start its S3 server:\n" + seen);
    }

    /** The other JVM. */
    public static final class OwnerJvm {
        public static void main(String[] args) throws Exception {
            LocalStackConfig config = LocalStackConfig.builder().dataDir(Path.of(args[0])).stopWithOwner(Boolean.parseBoolean(args[1])).build();
            S3Server s3 = S3Server.start(config);
            System.out.println("READY " + s3.pid());
            System.out.flush();
            if (!config.stopWithOwner()) {
                return;
            }
            Thread.sleep(Long.MAX_VALUE);
        }
    }
}
