package io.snapbus.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.apicurio.registry.resolver.DefaultSchemaResolver;
import io.apicurio.registry.serde.SerdeConfig;
import io.apicurio.registry.serde.avro.AvroKafkaSerializer;
import io.snapbus.avro.JobEvent;
import io.snapbus.avro.TaskResult;
import io.snapbus.local.LocalStack;
import io.snapbus.testing.SnapbusInfra;
import io.snapbus.testing.SnapbusInfraExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.GenericRecordBuilder;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Apicurio serializer with {@link CachingSchemaResolver}, against the harness's real broker and registry. */
@SnapbusInfra
class CachingSchemaResolverIntegrationTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int RECORDS = 500;

    private final LocalStack stack;
    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();
    private KafkaClients clients;

    CachingSchemaResolverIntegrationTest(LocalStack stack) {
        this.stack = stack;
    }

    @BeforeEach
    void provisionIsolatedTopics() {
        clients = KafkaTestSupport.provisionedWithSchemas(stack, "schema-cache");
    }

    @AfterEach
    void closeClients() {
        clients.close();
    }

    @Test
    void looksTheSchemaUpOnceAndWritesTheBytesOfApicuriosOwnResolver() throws Exception {
        String topic = clients.catalogue().name(SnapbusTopic.TASK_RESULTS);
        List<TaskResult> values = taskResults(RECORDS);

        try (Serializer<Object> cached = clients.serdes().newSerializer();
                Serializer<Object> plain = defaultResolverSerializer()) {
            List<byte[]> written = values.stream().map(v -> cached.serialize(topic, v)).toList();

            assertThat(resolver(cached).delegations()).as("records handed to the default resolver").isEqualTo(1);
            int registryId = registeredId(SchemaRegistryAdmin.valueSubject(topic), "latest");
            for (int i = 0; i < values.size(); i++) {
                assertThat(idOf(written.get(i))).isEqualTo(registryId);
                assertThat(written.get(i)).isEqualTo(plain.serialize(topic, values.get(i)));
            }
            assertThatTheBrokerGivesBack(topic, written, values);
        }
    }

    @Test
    void keepsOneLookupPerTopicAndSchemaWhenTwoTopicsInterleave() throws Exception {
        String results = clients.catalogue().name(SnapbusTopic.TASK_RESULTS);
        String events = clients.catalogue().name(SnapbusTopic.JOB_EVENTS);
        List<TaskResult> resultValues = taskResults(RECORDS);
        List<JobEvent> eventValues = jobEvents(RECORDS);

        try (Serializer<Object> cached = clients.serdes().newSerializer();
                Serializer<Object> plain = defaultResolverSerializer()) {
            List<byte[]> resultBytes = new ArrayList<>();
            List<byte[]> eventBytes = new ArrayList<>();
            for (int i = 0; i < RECORDS; i++) {
                resultBytes.add(cached.serialize(results, resultValues.get(i)));
                eventBytes.add(cached.serialize(events, eventValues.get(i)));
            }

            assertThat(resolver(cached).delegations()).isEqualTo(2);
            int resultId = registeredId(SchemaRegistryAdmin.valueSubject(results), "latest");
            int eventId = registeredId(SchemaRegistryAdmin.valueSubject(events), "latest");
            assertThat(resultId).isNotEqualTo(eventId);
            for (int i = 0; i < RECORDS; i++) {
                assertThat(idOf(resultBytes.get(i))).isEqualTo(resultId);
                assertThat(idOf(eventBytes.get(i))).isEqualTo(eventId);
                assertThat(resultBytes.get(i)).isEqualTo(plain.serialize(results, resultValues.get(i)));
                assertThat(eventBytes.get(i)).isEqualTo(plain.serialize(events, eventValues.get(i)));
            }
            assertThatTheBrokerGivesBack(results, resultBytes, resultValues);
            assertThatTheBrokerGivesBack(events, eventBytes, eventValues);
        }
    }

    @Test
    void givesEachGenericSchemaOfATopicItsOwnId() throws Exception {
        String topic = SnapbusInfraExtension.uniqueName("generic-readings");
        Schema first = SchemaBuilder.record("Reading").namespace("io.snapbus.test").fields()
                .requiredLong("id").endRecord();
        Schema second = SchemaBuilder.record("Reading").namespace("io.snapbus.test").fields()
                .requiredLong("id").name("note").type().stringType().stringDefault("").endRecord();
        Schema firstAgain = new Schema.Parser().parse(first.toString());

        try (Serializer<Object> cached = clients.serdes().newSerializer();
                Serializer<Object> plain = defaultResolverSerializer()) {
            List<GenericRecord> values = new ArrayList<>();
            List<byte[]> written = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                GenericRecord value = i % 2 == 0 ? reading(first, i) : reading(second, i);
                values.add(value);
                written.add(cached.serialize(topic, value));
            }
            assertThat(resolver(cached).delegations()).isEqualTo(2);

            String subject = SchemaRegistryAdmin.valueSubject(topic);
            int firstId = registeredId(subject, "1");
            int secondId = registeredId(subject, "2");
            assertThat(firstId).isNotEqualTo(secondId);
            for (int i = 0; i < values.size(); i++) {
                assertThat(idOf(written.get(i))).isEqualTo(i % 2 == 0 ? firstId : secondId);
                assertThat(written.get(i)).isEqualTo(plain.serialize(topic, values.get(i)));
            }

            // An equal schema that is another object is looked up once more, and gets the same id.
            byte[] again = cached.serialize(topic, reading(firstAgain, 1000));
            assertThat(resolver(cached).delegations()).isEqualTo(3);
            assertThat(idOf(again)).isEqualTo(firstId);
        }
    }

    @Test
    void producerThreadsSharingOneSerializerLookTheSchemaUpOnce() throws Exception {
        String topic = clients.catalogue().name(SnapbusTopic.TASK_RESULTS);
        int registryId = registeredId(SchemaRegistryAdmin.valueSubject(topic), "latest");
        int threads = 8;
        ExecutorService producers = Executors.newFixedThreadPool(threads);
        try (Serializer<Object> shared = clients.serdes().newSerializer()) {
            CountDownLatch together = new CountDownLatch(1);
            List<Future<List<byte[]>>> batches = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                batches.add(producers.submit(() -> {
                    together.await();
                    return taskResults(200).stream().map(v -> shared.serialize(topic, v)).toList();
                }));
            }
            together.countDown();
            for (Future<List<byte[]>> batch : batches) {
                assertThat(batch.get(60, TimeUnit.SECONDS)).allSatisfy(
                        bytes -> assertThat(idOf(bytes)).isEqualTo(registryId));
            }
            assertThat(resolver(shared).delegations()).isEqualTo(1);
        } finally {
            producers.shutdownNow();
        }
    }

    /** Not an assertion: records/s of a typical per-tablet record, Apicurio's resolver against the caching one. */
    @Test
    void printsSerializationThroughputWithAndWithoutTheCache() throws Exception {
        String topic = clients.catalogue().name(SnapbusTopic.TASK_RESULTS);
        TaskResult typical = SampleRecords.snapshotFinished();
        try (Serializer<Object> cached = clients.serdes().newSerializer();
                Serializer<Object> plain = defaultResolverSerializer()) {
            double before = recordsPerSecond(plain, topic, typical);
            double after = recordsPerSecond(cached, topic, typical);
            long toStringNanos = nanosPerSchemaToString(typical.getSchema());
            System.out.printf("serialization of %s (%d bytes): Apicurio's resolver %.0f records/s, caching resolver "
                    + "%.0f records/s (x%.1f); Schema.toString alone %d us%n", typical.getSchema().getName(),
                    cached.serialize(topic, typical).length, before, after, after / before, toStringNanos / 1000);
        }
    }

    private void assertThatTheBrokerGivesBack(String topic, List<byte[]> written, List<?> values) throws Exception {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()), new StringSerializer(),
                new ByteArraySerializer())) {
            for (byte[] bytes : written) {
                producer.send(new ProducerRecord<>(topic, 0, null, bytes));
            }
            producer.flush();
        }
        List<ConsumerRecord<String, byte[]>> read = KafkaTestSupport.readRaw(stack.bootstrapServers(), topic, WAIT,
                records -> records.size() >= written.size());
        assertThat(read).extracting(ConsumerRecord::value).containsExactlyElementsOf(written);
        try (Deserializer<Object> reader = clients.serdes().newDeserializer()) {
            assertThat(read).extracting(r -> reader.deserialize(topic, r.value())).containsExactlyElementsOf(values);
        }
    }

    /** Apicurio's serializer as configured for snapbus, but with its own default resolver. */
    private Serializer<Object> defaultResolverSerializer() {
        Map<String, Object> configs = new HashMap<>(clients.serdes().configs());
        configs.remove(SerdeConfig.SCHEMA_RESOLVER);
        AvroKafkaSerializer<Object> serializer = new AvroKafkaSerializer<>();
        serializer.configure(configs, false);
        assertThat(serializer.getSchemaResolver()).isExactlyInstanceOf(DefaultSchemaResolver.class);
        return serializer;
    }

    private static CachingSchemaResolver<?> resolver(Serializer<Object> serializer) {
        return (CachingSchemaResolver<?>) ((AvroKafkaSerializer<Object>) serializer).getSchemaResolver();
    }

    private int registeredId(String subject, String version) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(
                stack.registryConfluentUrl() + "/subjects/" + subject + "/versions/" + version)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("%s version %s", subject, version).isEqualTo(200);
        return json.readTree(response.body()).get("id").asInt();
    }

    /** The 4-byte schema id of the Confluent wire format, after the magic byte. */
    private static int idOf(byte[] wire) {
        ByteBuffer buffer = ByteBuffer.wrap(wire);
        assertThat(buffer.get()).as("magic byte").isEqualTo((byte) 0);
        return buffer.getInt();
    }

    private static List<TaskResult> taskResults(int count) {
        return IntStream.range(0, count)
                .mapToObj(i -> TaskResult.newBuilder(SampleRecords.snapshotFinished()).setSignature(i).build())
                .toList();
    }

    private static List<JobEvent> jobEvents(int count) {
        return IntStream.range(0, count)
                .mapToObj(i -> JobEvent.newBuilder(SampleRecords.jobEvent()).setSeq(i).build()).toList();
    }

    private static GenericData.Record reading(Schema schema, long id) {
        GenericRecordBuilder builder = new GenericRecordBuilder(schema).set("id", id);
        if (schema.getField("note") != null) {
            builder.set("note", "reading " + id);
        }
        return builder.build();
    }

    private static double recordsPerSecond(Serializer<Object> serializer, String topic, Object value) {
        serializeFor(serializer, topic, value, Duration.ofSeconds(1));
        Duration measured = Duration.ofSeconds(3);
        return serializeFor(serializer, topic, value, measured) / (measured.toNanos() / 1e9);
    }

    private static long serializeFor(Serializer<Object> serializer, String topic, Object value, Duration time) {
        long end = System.nanoTime() + time.toNanos();
        long count = 0;
        while (System.nanoTime() < end) {
            serializer.serialize(topic, value);
            count++;
        }
        return count;
    }

    private static long nanosPerSchemaToString(Schema schema) {
        int rounds = 2_000;
        long start = System.nanoTime();
        int length = 0;
        for (int i = 0; i < rounds; i++) {
            length += schema.toString().length();
        }
        return length == 0 ? 0 : (System.nanoTime() - start) / rounds;
    }
}
