package io.snapbus.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.snapbus.local.LocalStack;
import io.snapbus.testing.SnapbusInfra;
import io.snapbus.testing.SnapbusInfraExtension;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.io.JsonEncoder;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.core.KafkaTemplate;

@SnapbusInfra
class AvroThroughBrokerAndRegistryIntegrationTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    private final LocalStack stack;
    private KafkaClients clients;

    AvroThroughBrokerAndRegistryIntegrationTest(LocalStack stack) {
        this.stack = stack;
    }

    @BeforeEach
    void provisionIsolatedTopics() {
        clients = KafkaTestSupport.provisionedWithSchemas(stack, "avro");
    }

    @AfterEach
    void closeClients() {
        clients.close();
    }

    @Test
    void everyRecordTypeTravelsThroughTheBrokerAndComesBackEqual() throws Exception {
        List<SampleRecords.Sample> samples = SampleRecords.all();
        send(samples);

        Set<String> topics = samples.stream().map(s -> clients.catalogue().name(s.topic())).collect(Collectors.toSet());
        List<SpecificRecord> received = new ArrayList<>();
        try (Consumer<String, SpecificRecord> consumer = clients.<SpecificRecord>consumerFactory(
                SnapbusInfraExtension.uniqueName("avro-reader")).createConsumer()) {
            consumer.subscribe(topics);
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (received.size() < samples.size() && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> received.add(r.value()));
            }
        }

        assertThat(received).containsExactlyInAnyOrderElementsOf(
                samples.stream().map(SampleRecords.Sample::value).toList());
    }

    @Test
    void aPlainClientDecodesEveryRecordWithTheSchemaItFetchesByIdFromTheConfluentApi() throws Exception {
        List<SampleRecords.Sample> samples = SampleRecords.all();
        send(samples);
        HttpClient http = HttpClient.newHttpClient();
        ObjectMapper json = new ObjectMapper();

        for (SnapbusTopic topic : SnapbusTopic.values()) {
            String name = clients.catalogue().name(topic);
            List<SampleRecords.Sample> expected = samples.stream().filter(s -> s.topic() == topic).toList();
            List<ConsumerRecord<String, byte[]>> raw = KafkaTestSupport.readRaw(stack.bootstrapServers(), name, WAIT,
                    records -> records.size() >= expected.size());
            assertThat(raw).as("records on %s", name).hasSize(expected.size());

            for (int i = 0; i < raw.size(); i++) {
                ByteBuffer wire = ByteBuffer.wrap(raw.get(i).value());
                assertThat(wire.get()).as("Confluent magic byte").isEqualTo((byte) 0);
                int schemaId = wire.getInt();

                HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                        URI.create(stack.registryConfluentUrl() + "/schemas/ids/" + schemaId)).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).isEqualTo(200);
                Schema writerSchema = new Schema.Parser().parse(json.readTree(response.body()).get("schema").asText());
                assertThat(writerSchema.getFullName()).isEqualTo(topic.valueType().getName());

                byte[] payload = new byte[wire.remaining()];
                wire.get(payload);
                GenericRecord decoded = new GenericDatumReader<GenericRecord>(writerSchema)
                        .read(null, DecoderFactory.get().binaryDecoder(payload, null));
                SpecificRecord original = expected.get(i).value();
                assertThat(payload).isEqualTo(encode(original));
                assertThat(json.readTree(asJson(decoded, writerSchema)))
                        .isEqualTo(json.readTree(asJson(original, original.getSchema())));
            }
        }
    }

    @Test
    void registersEveryValueSubjectWithBackwardCompatibility() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        ObjectMapper json = new ObjectMapper();
        for (SnapbusTopic topic : SnapbusTopic.values()) {
            String subject = SchemaRegistryAdmin.valueSubject(clients.catalogue().name(topic));
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                    URI.create(stack.registryConfluentUrl() + "/config/" + subject)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(subject).isEqualTo(200);
            JsonNode config = json.readTree(response.body());
            assertThat(config.path("compatibilityLevel").asText(config.path("compatibility").asText()))
                    .as(subject).isEqualTo("BACKWARD");
        }
    }

    @Test
    void servicesSettingASubjectsCompatibilityAtTheSameMomentAllSucceed() throws Exception {
        String subject = SnapbusInfraExtension.uniqueName("concurrent-config") + "-value";
        int services = 6;
        ExecutorService starts = Executors.newFixedThreadPool(services);
        try {
            CountDownLatch together = new CountDownLatch(1);
            List<Future<?>> puts = new ArrayList<>();
            for (int i = 0; i < services; i++) {
                puts.add(starts.submit(() -> {
                    together.await();
                    new SchemaRegistryAdmin(stack.registryConfluentUrl().toString()).setCompatibility(subject,
                            SchemaRegistryAdmin.DEFAULT_COMPATIBILITY);
                    return null;
                }));
            }
            together.countDown();
            for (Future<?> put : puts) {
                put.get(60, TimeUnit.SECONDS);
            }
        } finally {
            starts.shutdownNow();
        }

        assertThat(new SchemaRegistryAdmin(stack.registryConfluentUrl().toString()).compatibility(subject))
                .isEqualTo("BACKWARD");
    }

    private void send(List<SampleRecords.Sample> samples) throws Exception {
        KafkaTemplate<String, SpecificRecord> template = clients.template();
        for (SampleRecords.Sample sample : samples) {
            // Everything to partition 0, so each topic reads back in send order.
            template.send(new ProducerRecord<>(clients.catalogue().name(sample.topic()), 0, sample.key(),
                    sample.value())).get();
        }
    }

    /** Avro's own JSON rendering of a record, compared as a tree so map order does not matter. */
    private static String asJson(Object record, Schema schema) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        JsonEncoder encoder = EncoderFactory.get().jsonEncoder(schema, out);
        DatumWriter<Object> writer = record instanceof SpecificRecord ? new SpecificDatumWriter<>(schema)
                : new GenericDatumWriter<>(schema);
        writer.write(record, encoder);
        encoder.flush();
        return out.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    private static byte[] encode(SpecificRecord record) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new SpecificDatumWriter<SpecificRecord>(record.getSchema()).write(record, encoder);
        encoder.flush();
        return out.toByteArray();
    }
}
