package io.snapbus.jobs.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snapbus.avro.AgentTask;
import io.snapbus.avro.AgentTaskBatch;
import io.snapbus.avro.DownloadRequest;
import io.snapbus.avro.RepositoryRef;
import io.snapbus.avro.StorageType;
import io.snapbus.avro.LoadWriteRequest;
import io.snapbus.avro.PublishVersionRequest;
import io.snapbus.avro.RowFormat;
import io.snapbus.avro.TaskFinished;
import io.snapbus.avro.TaskResult;
import io.snapbus.avro.TaskStatus;
import io.snapbus.avro.TaskType;
import io.snapbus.kafka.SnapbusKafkaProperties;
import io.snapbus.contract.TaskSignatures;
import io.snapbus.kafka.TopicCatalogue;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.Partitioner;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.mock.MockProducerFactory;

class TaskGatewayTest {
    /** The template closes its producer after each send, so every send gets a fresh mock; their histories add up. */
    private final List<MockProducer<String, SpecificRecord>> producers = new ArrayList<>();
    private final TaskGateway gateway = new TaskGateway(new KafkaTemplate<>(new MockProducerFactory<>(() -> {
        MockProducer<String, SpecificRecord> producer = new MockProducer<>(true, (Partitioner) null, new StringSerializer(),
                (topic, value) -> new byte[0]);
        producers.add(producer);
        return producer;
    })), new TopicCatalogue(SnapbusKafkaProperties.local("unused:9092", "http://unused")));

    private List<org.apache.kafka.clients.producer.ProducerRecord<String, SpecificRecord>> history() {
        return producers.stream().flatMap(p -> p.history().stream()).toList();
    }

    @Test
    void publishesBatchesKeyedByBackendAndSplitsLargeOnes() {
        List<AgentTask> tasks = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            tasks.add(new AgentTask(TaskSignatures.of(7, i), null, new LoadWriteRequest(1L, RowFormat.NDJSON,
                    ByteBuffer.wrap(new byte[300 * 1024]), 1L)));
        }
        gateway.send(batch(7, 10003, TaskType.LOAD_WRITE, tasks));

        assertThat(history()).hasSizeGreaterThanOrEqualTo(2);
        assertThat(history()).allSatisfy(record -> {
            assertThat(record.topic()).isEqualTo("snapbus.agent-tasks");
            assertThat(record.key()).isEqualTo("10003");
            long bytes = ((AgentTaskBatch) record.value()).getTasks().stream()
                    .mapToLong(t -> ((LoadWriteRequest) t.getRequest()).getRows().remaining()).sum();
            assertThat(bytes).isLessThanOrEqualTo(TaskGateway.MAX_BATCH_BYTES);
        });
        assertThat(history().stream().mapToInt(r -> ((AgentTaskBatch) r.value()).getTasks().size()).sum())
                .isEqualTo(5);
    }

    /** A restore's DOWNLOAD batch of 10 000 tablets was one 3.2 MB record, which the producer refused. */
    @Test
    void splitsDownloadBatchesByTheirPathsSoEveryRecordFitsTheBrokersLimit() throws Exception {
        RepositoryRef repository = new RepositoryRef(1L, "repo", StorageType.FILESYSTEM, "file:///data/backups",
                Map.of(), null, false, 0L);
        List<AgentTask> tasks = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            Map<String, String> srcDest = new LinkedHashMap<>();
            List<Long> tablets = new ArrayList<>();
            for (int t = 0; t < 10; t++) {
                long tablet = 100_000L + i * 10L + t;
                srcDest.put("file:///data/backups/__palo_repository_repo/__ss_scale/__ss_content/__db_10/__tbl_11/"
                        + "__part_12/__idx_13/__" + tablet, "/data/node-1/snapshot/20261206123848." + i + ".86400/"
                        + (tablet + 500_000) + "/1234567890");
                tablets.add(tablet + 500_000);
            }
            tasks.add(new AgentTask(TaskSignatures.of(7, i), null, new DownloadRequest(srcDest, repository, tablets)));
        }
        gateway.send(batch(7, 10001, TaskType.DOWNLOAD, tasks));

        assertThat(history()).hasSizeGreaterThanOrEqualTo(3);
        for (var record : history()) {
            assertThat(avroBytes((AgentTaskBatch) record.value())).isLessThan(1024 * 1024);
        }
        assertThat(history().stream().mapToInt(r -> ((AgentTaskBatch) r.value()).getTasks().size()).sum())
                .isEqualTo(1_000);
    }

    private static int avroBytes(AgentTaskBatch batch) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new SpecificDatumWriter<>(AgentTaskBatch.class).write(batch, encoder);
        encoder.flush();
        return out.size();
    }

    @Test
    void completesWhenEveryTaskFinishedAndIgnoresOtherJobsAndProgress() throws Exception {
        List<AgentTask> tasks = List.of(publishTask(9, 0), publishTask(9, 1));
        CompletableFuture<Map<Long, TaskFinished>> done = gateway.sendAndAwait(9,
                List.of(batch(9, 1, TaskType.PUBLISH_VERSION, tasks)), Duration.ofSeconds(5));

        gateway.deliver(result(8, TaskSignatures.of(8, 0)));
        gateway.deliver(result(9, TaskSignatures.of(9, 0)));
        assertThat(done).isNotDone();
        gateway.deliver(result(9, TaskSignatures.of(9, 1)));

        assertThat(done.get(1, TimeUnit.SECONDS)).containsOnlyKeys(TaskSignatures.of(9, 0), TaskSignatures.of(9, 1));
    }

    @Test
    void failsOnTimeoutNamingTheMissingTasks() {
        CompletableFuture<Map<Long, TaskFinished>> done = gateway.sendAndAwait(11, List.of(batch(11, 5,
                TaskType.PUBLISH_VERSION, List.of(publishTask(11, 0), publishTask(11, 1)))), Duration.ofMillis(200));
        gateway.deliver(result(11, TaskSignatures.of(11, 0)));

        assertThatThrownBy(() -> done.get(5, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(TaskTimeoutException.class)
                .hasMessageContaining("1 task(s) of job 11")
                .hasMessageContaining(Long.toString(TaskSignatures.of(11, 1)))
                .hasMessageContaining("backend 5");
    }

    @Test
    void deliversToRegisteredListenersUntilClosed() {
        List<Long> seen = new ArrayList<>();
        TaskGateway.Registration registration = gateway.register(3, r -> seen.add(r.getSignature()));
        gateway.deliver(result(3, 1));
        registration.close();
        gateway.deliver(result(3, 2));
        assertThat(seen).containsExactly(1L);
    }

    private static AgentTask publishTask(long job, long seq) {
        return new AgentTask(TaskSignatures.of(job, seq), null, new PublishVersionRequest(1L, 2L));
    }

    private static AgentTaskBatch batch(long job, long backend, TaskType type, List<AgentTask> tasks) {
        return new AgentTaskBatch(job + "-b", job, backend, type, 1, 0L, 0L, tasks);
    }

    private static TaskResult result(long job, long signature) {
        return new TaskResult(job, 1L, "agent", signature, TaskType.PUBLISH_VERSION, 0L,
                TaskFinished.newBuilder().setStatus(new TaskStatus(0, "OK", List.of())).build());
    }
}
