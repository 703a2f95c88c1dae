package io.snapbus.agent;

import io.snapbus.avro.AgentTask;
import io.snapbus.avro.AgentTaskBatch;
import io.snapbus.avro.BackendDef;
import io.snapbus.avro.CatalogRecord;
import io.snapbus.avro.Column;
import io.snapbus.avro.CreateTabletRequest;
import io.snapbus.avro.TabletRef;
import io.snapbus.avro.TaskFinished;
import io.snapbus.avro.TaskResult;
import io.snapbus.avro.TaskType;
import io.snapbus.kafka.KafkaClients;
import io.snapbus.kafka.SnapbusKafkaProperties;
import io.snapbus.kafka.SnapbusTopic;
import io.snapbus.local.LocalStack;
import io.snapbus.node.StorageNode;
import io.snapbus.node.StorageNodeConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.core.KafkaTemplate;

import static org.awaitility.Awaitility.await;

/** Test data builders and drivers: agents as Spring contexts, real storage nodes, a task-results reader. */
final class AgentTestKit implements AutoCloseable {
    static final int SCHEMA_HASH = 368169781;
    static final List<Column> COLUMNS = List.of(
            Column.newBuilder().setName("id").setType("BIGINT").setIsKey(true).setNullable(false).build(),
            Column.newBuilder().setName("city").setType("VARCHAR(32)").build(),
            Column.newBuilder().setName("amount").setType("DECIMAL(18,2)").build());

    final LocalStack stack;
    final SnapbusKafkaProperties kafka;
    final KafkaClients clients;
    final KafkaTemplate<String, SpecificRecord> template;
    final String groupId = "agents-" + UUID.randomUUID();
    final List<TaskResult> results = new CopyOnWriteArrayList<>();
    private final List<AutoCloseable> owned = new ArrayList<>();
    private volatile boolean reading = true;
    private KafkaConsumer<String, TaskResult> resultConsumer;
    private Thread resultReader;

    AgentTestKit(LocalStack stack, String prefix) {
        this.stack = stack;
        this.kafka = SnapbusKafkaProperties.local(stack.bootstrapServers(), stack.registryUrl())
                .withTopicPrefix(prefix);
        this.clients = new KafkaClients(kafka);
        this.template = clients.template();
    }

    /** Starts an agent as the service runs (Spring Boot), in this kit's consumer group. */
    ConfigurableApplicationContext startAgent(String id, String... extraProperties) {
        ConfigurableApplicationContext context = BackendAgentApplication.builder()
                .properties(extraProperties)
                .properties(
                        "snapbus.kafka.bootstrap-servers=" + stack.bootstrapServers(),
                        "snapbus.kafka.registry.url=" + stack.registryUrl(),
                        "snapbus.kafka.topic-prefix=" + kafka.topicPrefix(),
                        "snapbus.agent.id=" + id,
                        "snapbus.agent.group-id=" + groupId,
                        "snapbus.agent.heartbeat-interval=500ms",
                        "spring.main.banner-mode=off")
                .run();
        owned.add(context);
        return context;
    }

    static BackendAgent agentOf(ConfigurableApplicationContext context) {
        return context.getBean(BackendAgent.class);
    }

    StorageNode startNode(Path dir) {
        return startNode(dir, 0);
    }

    /** A node on a free port; {@code uploadBytesPerSecond > 0} caps its upload rate (to keep an upload running). */
    StorageNode startNode(Path dir, long uploadBytesPerSecond) {
        StorageNode node = StorageNode.start(StorageNodeConfig.defaults(dir).toBuilder().bePort(0)
                .reportTaskInterval(Duration.ofSeconds(2)).finishReportMaxBackoff(Duration.ofSeconds(1))
                .uploadMaxBytesPerSecond(uploadBytesPerSecond).build());
        owned.add(node);
        return node;
    }

    void addBackend(long backendId, StorageNode node) throws Exception {
        addBackend(backendId, node.endpoint().host(), node.endpoint().port());
    }

    void addBackend(long backendId, String host, int port) throws Exception {
        String key = "backend/" + backendId;
        CatalogRecord record = CatalogRecord.newBuilder().setKey(key).setSeq(System.nanoTime())
                .setEntry(BackendDef.newBuilder().setId(backendId).setHost(host).setBePort(port).build()).build();
        template.send(clients.catalogue().name(SnapbusTopic.CATALOG), key, record).get(30, TimeUnit.SECONDS);
    }

    void send(AgentTaskBatch batch) throws Exception {
        template.send(clients.catalogue().name(SnapbusTopic.AGENT_TASKS), Long.toString(batch.getBackendId()), batch)
                .get(30, TimeUnit.SECONDS);
    }

    /** Sends a record and returns where it was written. */
    org.apache.kafka.clients.producer.RecordMetadata sendRecord(SnapbusTopic topic, String key, SpecificRecord value)
            throws Exception {
        return template.send(clients.catalogue().name(topic), key, value).get(30, TimeUnit.SECONDS)
                .getRecordMetadata();
    }

    /** Sends a record to one partition, e.g. a marker behind another record (a reader in order gets it later). */
    void sendRecord(SnapbusTopic topic, int partition, String key, SpecificRecord value) throws Exception {
        template.send(clients.catalogue().name(topic), partition, key, value).get(30, TimeUnit.SECONDS);
    }

    /** Reads task-results from the beginning into {@link #results}. */
    void readResults() {
        var configs = clients.consumerConfigs("unused");
        configs.remove(ConsumerConfig.GROUP_ID_CONFIG);
        resultConsumer = new KafkaConsumer<>(configs);
        String topic = clients.catalogue().name(SnapbusTopic.TASK_RESULTS);
        resultReader = new Thread(() -> {
            try {
                List<TopicPartition> partitions = resultConsumer.partitionsFor(topic).stream()
                        .map(p -> new TopicPartition(topic, p.partition())).toList();
                resultConsumer.assign(partitions);
                resultConsumer.seekToBeginning(partitions);
                while (reading) {
                    for (ConsumerRecord<String, TaskResult> record : resultConsumer.poll(Duration.ofMillis(200))) {
                        if (record.value() != null) {
                            results.add(record.value());
                        }
                    }
                }
            } catch (WakeupException e) {
                // closing
            } finally {
                resultConsumer.close();
            }
        }, "test-results-reader");
        resultReader.setDaemon(true);
        resultReader.start();
    }

    /** Reads a topic from the beginning until the records read so far satisfy {@code done} (at most 30 s). */
    <V> List<ConsumerRecord<String, V>> readUntil(SnapbusTopic topic,
            java.util.function.Predicate<List<ConsumerRecord<String, V>>> done) {
        var configs = clients.consumerConfigs("unused");
        configs.remove(ConsumerConfig.GROUP_ID_CONFIG);
        List<ConsumerRecord<String, V>> read = new ArrayList<>();
        try (KafkaConsumer<String, V> consumer = new KafkaConsumer<>(configs)) {
            String name = clients.catalogue().name(topic);
            List<TopicPartition> partitions = consumer.partitionsFor(name).stream()
                    .map(p -> new TopicPartition(name, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.currentTimeMillis() + 30_000;
            while (!done.test(read)) {
                if (System.currentTimeMillis() > deadline) {
                    throw new AssertionError("not found on " + name + " within 30 s; read " + read.size()
                            + " records");
                }
                consumer.poll(Duration.ofMillis(200)).forEach(read::add);
            }
        }
        return read;
    }

    Optional<TaskResult> finished(long signature) {
        return results.stream().filter(r -> r.getSignature() == signature && r.getEvent() instanceof TaskFinished)
                .findFirst();
    }

    TaskResult awaitFinished(long signature) {
        return await().atMost(Duration.ofSeconds(30)).until(() -> finished(signature), Optional::isPresent)
                .orElseThrow();
    }

    static TaskFinished finishedOf(TaskResult result) {
        return (TaskFinished) result.getEvent();
    }

    static AgentTaskBatch batch(long jobId, long backendId, TaskType type, AgentTask... tasks) {
        return AgentTaskBatch.newBuilder()
                .setBatchId(jobId + "-" + type + "-" + UUID.randomUUID())
                .setJobId(jobId)
                .setBackendId(backendId)
                .setTaskType(type)
                .setCreatedAtMs(System.currentTimeMillis())
                .setTasks(List.of(tasks))
                .build();
    }

    static TabletRef tablet(long tabletId) {
        return TabletRef.newBuilder().setDbId(1001).setTableId(2001).setPartitionId(3001).setIndexId(4001)
                .setTabletId(tabletId).setSchemaHash(SCHEMA_HASH).build();
    }

    static AgentTask task(long signature, long tabletId, Object request) {
        return AgentTask.newBuilder().setSignature(signature).setTablet(tabletId < 0 ? null : tablet(tabletId))
                .setRequest(request).build();
    }

    static CreateTabletRequest createRequest(long tabletId) {
        return CreateTabletRequest.newBuilder().setReplicaId(tabletId * 10).setColumns(COLUMNS).build();
    }

    static String ndjson(int firstId, int rows) {
        StringBuilder out = new StringBuilder();
        for (int i = firstId; i < firstId + rows; i++) {
            out.append("{\"id\":").append(i).append(",\"city\":\"city-").append(i % 7)
                    .append("\",\"amount\":\"").append(i).append(".50\"}\n");
        }
        return out.toString();
    }

    static Map<String, String> map(String key, String value) {
        return Map.of(key, value);
    }

    @Override
    public void close() {
        reading = false;
        if (resultReader != null) {
            try {
                resultReader.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (int i = owned.size() - 1; i >= 0; i--) {
            try {
                owned.get(i).close();
            } catch (Exception e) {
                // keep closing the rest
            }
        }
        clients.close();
    }
}
