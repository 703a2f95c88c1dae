package io.snapbus.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LaunchRecordTest {
    @TempDir
    Path dataDir;

    private LaunchRecord record(String component, Optional<LaunchRecord.Owner> owner,
            LaunchRecord.Readiness readiness) {
        return new LaunchRecord(component,
                List.of("java", "-Dserver.port=0", "io.snapbus.local.OwnerWatch", "42", "Main", "a b"),
                Map.of("CLASSPATH", "/owner.jar:/x.jar"), owner, List.of("java", "-Dserver.port=0", "Main", "a b"),
                Map.of("CLASSPATH", "/x.jar"), dataDir.resolve("tmp"), readiness);
    }

    @Test
    void aWrittenRecordReadsBackAsWrittenForEveryKindOfReadiness() {
        StackLayout layout = new StackLayout(dataDir);
        LaunchRecord.Owner owner = new LaunchRecord.Owner(42, Instant.parse("2026-12-06T04:00:00Z"));
        List<LaunchRecord> records = List.of(
                record("kafka", Optional.empty(), new LaunchRecord.Readiness.Kafka(9092)),
                record("kafka-2", Optional.empty(), new LaunchRecord.Readiness.Kafka(9093, 19093)),
                record("registry", Optional.of(owner),
                        new LaunchRecord.Readiness.Http(URI.create("http://127.0.0.1:8081/apis"), 200)),
                record("job-service", Optional.empty(),
                        new LaunchRecord.Readiness.PortFile(dataDir.resolve("run/job-service.port"), 8080)));
        records.forEach(r -> r.write(layout));

        Map<String, LaunchRecord> read = LaunchRecord.readAll(layout);

        assertThat(read).containsOnlyKeys("kafka", "kafka-2", "registry", "job-service");
        records.forEach(r -> assertThat(read.get(r.component())).isEqualTo(r));
    }

    @Test
    void theDetachedCommandRunsWhenTheOwnerIsGoneAndTheOwnedOneWhileItLives() {
        ProcessHandle self = ProcessHandle.current();
        LaunchRecord.Owner alive = new LaunchRecord.Owner(self.pid(), self.info().startInstant().orElseThrow());
        LaunchRecord.Owner recycledPid = new LaunchRecord.Owner(self.pid(), Instant.EPOCH);

        LaunchRecord owned = record("node-1", Optional.of(alive), new LaunchRecord.Readiness.Kafka(1));
        LaunchRecord orphan = record("node-1", Optional.of(recycledPid), new LaunchRecord.Readiness.Kafka(1));

        assertThat(owned.commandNow()).contains("io.snapbus.local.OwnerWatch");
        assertThat(owned.environmentNow()).containsEntry("CLASSPATH", "/owner.jar:/x.jar");
        assertThat(orphan.commandNow()).doesNotContain("io.snapbus.local.OwnerWatch");
        assertThat(orphan.environmentNow()).containsEntry("CLASSPATH", "/x.jar");
    }

    @Test
    void aPortPickedAtTheFirstStartIsPinnedInBothCommandLines() {
        LaunchRecord pinned = record("job-service", Optional.empty(), new LaunchRecord.Readiness.Kafka(1))
                .withSystemProperty("server.port", "41234");

        assertThat(pinned.command()).contains("-Dserver.port=41234").doesNotContain("-Dserver.port=0");
        assertThat(pinned.detachedCommand()).contains("-Dserver.port=41234").doesNotContain("-Dserver.port=0");
    }

    @Test
    void stoppingTheStackForgetsEveryRecord() {
        StackLayout layout = new StackLayout(dataDir);
        record("kafka", Optional.empty(), new LaunchRecord.Readiness.Kafka(9092)).write(layout);

        LaunchRecord.deleteAll(layout);

        assertThat(LaunchRecord.readAll(layout)).isEmpty();
    }
}
