package io.snapbus.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real stack: three processes that serve, compact, keep their data across a restart, and leave nothing behind. */
class LocalStackIntegrationTest {

    private static final String SCHEMA_JSON = "{\"type\":\"record\",\"name\":\"Ping\",\"namespace\":\"io.snapbus.test\","
            + "\"fields\":[{\"name\":\"id\",\"type\":\"long\"}]}";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dataDir;

    @Test
    void startsKafkaRegistryAndS3ThatServeAndCompactAndLeavesNoProcessAfterStop() throws Exception {
        List<ProcessHandle> processes = new ArrayList<>();
        try (LocalStack stack = LocalStack.start(LocalStackConfig.builder().dataDir(dataDir).s3Enabled(true).build())) {
            stack.components().forEach(c -> processes.add(ProcessHandle.of(c.pid()).orElseThrow()));
            processes.addAll(processes.stream().flatMap(ProcessHandle::descendants).toList());
            assertThat(stack.components()).extracting(LocalComponent::name).containsExactly("kafka", "registry", "s3");

            createTopic(stack, "pings");
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(clientProps(stack), new StringSerializer(), new StringSerializer())) {
                producer.send(new ProducerRecord<>("pings", "k1", "hello")).get(30, TimeUnit.SECONDS);
            }
            assertThat(consumeOne(stack, "pings")).isEqualTo("k1=hello");

            assertCompactionRuns(stack);

            int id = registerSchema(stack, "pings-value");
            HttpResponse<String> byId = get(stack.registryConfluentUrl() + "/schemas/ids/" + id);
            assertThat(byId.statusCode()).isEqualTo(200);
            assertThat(byId.body()).contains("Ping").contains("io.snapbus.test");

            S3Endpoint s3 = stack.s3().orElseThrow();
            assertThat(s3.region()).isEqualTo("us-east-1");
            assertThat(s3.toString()).doesNotContain(s3.secretKey());
            HttpResponse<String> unsigned = get(s3.endpoint() + "/");
            assertThat(unsigned.statusCode()).isEqualTo(403);
            assertThat(unsigned.body()).contains("<Error>").contains("AccessDenied");
        }
        assertThat(processes).noneMatch(ProcessHandle::isAlive);
        assertThat(StackProcesses.alive(dataDir)).isEmpty();
        assertThat(dataDir.resolve("run")).isEmptyDirectory();
        assertThat(dataDir.resolve("logs/kafka.log")).content().contains("Kafka Server started");
    }

    @Test
    void aRestartOnTheSameDataFolderKeepsTopicsClusterIdAndSchemas() throws Exception {
        LocalStackConfig config = LocalStackConfig.defaults(dataDir);
        String clusterId;
        int schemaId;
        try (LocalStack first = LocalStack.start(config)) {
            clusterId = first.kafka().clusterId();
            createTopic(first, "survives-restart");
            schemaId = registerSchema(first, "survives-restart-value");
        }
        assertThat(StackProcesses.alive(dataDir)).isEmpty();

        try (LocalStack second = LocalStack.start(config)) {
            assertThat(second.kafka().clusterId()).isEqualTo(clusterId);
            try (Admin admin = Admin.create(clientProps(second))) {
                assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).contains("survives-restart");
            }
            HttpResponse<String> byId = get(second.registryConfluentUrl() + "/schemas/ids/" + schemaId);
            assertThat(byId.statusCode()).isEqualTo(200);
            assertThat(byId.body()).contains("Ping");
            assertThat(get(second.registryConfluentUrl() + "/subjects").body()).contains("survives-restart-value");
        }
        assertThat(StackProcesses.alive(dataDir)).isEmpty();
    }

    /** The broker's cleaner is on and checks every second: a compacted topic with small segments really shrinks. */
    private static void assertCompactionRuns(LocalStack stack) throws Exception {
        String topic = "compacted";
        try (Admin admin = Admin.create(clientProps(stack))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1).configs(Map.of("cleanup.policy", "compact",
                    "segment.ms", "100", "min.cleanable.dirty.ratio", "0.01", "delete.retention.ms", "100")))).all().get(30, TimeUnit.SECONDS);
        }
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(clientProps(stack), new StringSerializer(), new StringSerializer())) {
            // A segment rolls once a record's timestamp is segment.ms past the segment's first one: records stamped
            // a second apart (in the past) each start a segment, with no waiting for the clock.
            long stamp = System.currentTimeMillis() - 60_000;
            for (int i = 1; i <= 20; i++) {
                stamp += 1000;
                producer.send(new ProducerRecord<>(topic, null, stamp, "job-1", "state-" + i)).get(30, TimeUnit.SECONDS);
            }
        }
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> assertThat(readAll(stack, topic)).hasSizeLessThan(5).endsWith("state-20"));
    }

    private static List<String> readAll(LocalStack stack, String topic) {
        Properties props = clientProps(stack);
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            List<String> values = new ArrayList<>();
            while (consumer.position(partition) < end) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> values.add(r.value()));
            }
            return values;
        }
    }

    static Properties clientProps(LocalStack stack) {
        Properties props = new Properties();
        props.put("bootstrap.servers", stack.bootstrapServers());
        return props;
    }

    static void createTopic(LocalStack stack, String topic) throws Exception {
        try (Admin admin = Admin.create(clientProps(stack))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
    }

    private static String consumeOne(LocalStack stack, String topic) {
        Properties props = clientProps(stack);
        props.put("group.id", "test-" + topic);
        props.put("auto.offset.reset", "earliest");
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(Set.of(topic));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    return record.key() + "=" + record.value();
                }
            }
        }
        throw new AssertionError("no record on " + topic + " within 30 s");
    }

    static int registerSchema(LocalStack stack, String subject) throws Exception {
        String body = "{\"schema\":" + quote(SCHEMA_JSON) + "}";
        HttpRequest request = HttpRequest.newBuilder(URI.create(stack.registryConfluentUrl() + "/subjects/" + subject + "/versions"))
                .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        Matcher id = Pattern.compile("\"id\"\\s*:\\s*(\\d+)").matcher(response.body());
        assertThat(id.find()).as(response.body()).isTrue();
        return Integer.parseInt(id.group(1));
    }

    static HttpResponse<String> get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String quote(String json) {
        return "\"" + json.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
