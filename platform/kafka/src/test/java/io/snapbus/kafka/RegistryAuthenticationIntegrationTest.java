package io.snapbus.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.snapbus.local.LocalStack;
import io.snapbus.testing.SnapbusInfra;
import io.snapbus.testing.SnapbusInfraExtension;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The registry behind a gate that wants HTTP basic authentication (as a registry with its own auth does): with
 * {@code snapbus.kafka.registry.username/password}, the schema registration and the serdes get through and a record
 * makes the round trip; without them the registry refuses.
 */
@SnapbusInfra
class RegistryAuthenticationIntegrationTest {
    private static final String USER = "reader";
    private static final String PASSWORD = "registry-pw-4711";

    private final LocalStack stack;
    private HttpServer gate;
    private final List<String> admitted = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final AtomicInteger refused = new AtomicInteger();

    RegistryAuthenticationIntegrationTest(LocalStack stack) {
        this.stack = stack;
    }

    @BeforeEach
    void startGateInFrontOfTheRegistry() throws IOException {
        String expected = "Basic " + Base64.getEncoder().encodeToString((USER + ":" + PASSWORD)
                .getBytes(StandardCharsets.UTF_8));
        HttpClient upstream = HttpClient.newHttpClient();
        gate = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        gate.createContext("/", exchange -> {
            try (exchange) {
                if (!expected.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                    refused.incrementAndGet();
                    exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"registry\"");
                    exchange.sendResponseHeaders(401, -1);
                    return;
                }
                admitted.add(exchange.getRequestURI().getPath());
                forward(upstream, exchange);
            }
        });
        gate.start();
    }

    @AfterEach
    void stopGate() {
        gate.stop(0);
    }

    private void forward(HttpClient upstream, HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(stack.registryUrl()
                        + exchange.getRequestURI().toString()))
                .method(exchange.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        for (String header : List.of("Content-Type", "Accept")) {
            String value = exchange.getRequestHeaders().getFirst(header);
            if (value != null) {
                request.header(header, value);
            }
        }
        try {
            HttpResponse<byte[]> response = upstream.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            response.headers().firstValue("Content-Type")
                    .ifPresent(type -> exchange.getResponseHeaders().add("Content-Type", type));
            exchange.sendResponseHeaders(response.statusCode(), response.body().length == 0 ? -1
                    : response.body().length);
            exchange.getResponseBody().write(response.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            exchange.sendResponseHeaders(502, -1);
        }
    }

    private SnapbusKafkaProperties properties(String username, String password) {
        String gateUrl = "http://127.0.0.1:" + gate.getAddress().getPort();
        return KafkaTestSupport.isolated(stack, "regauth").withRegistry(new SnapbusKafkaProperties.Registry(gateUrl,
                null, SnapbusKafkaProperties.SerdeFlavor.APICURIO, username, password));
    }

    @Test
    void registersSchemasAndCarriesRecordsThroughARegistryThatWantsBasicAuthentication() throws Exception {
        SnapbusKafkaProperties properties = properties(USER, PASSWORD);
        try (KafkaClients clients = new KafkaClients(properties)) {
            KafkaTestSupport.provision(clients);
            SchemaRegistryAdmin.of(properties.registry()).registerAll(clients.catalogue());
            SampleRecords.Sample sample = SampleRecords.all().get(0);
            String topic = clients.catalogue().name(sample.topic());

            clients.template().send(new ProducerRecord<>(topic, 0, sample.key(), sample.value()))
                    .get(60, TimeUnit.SECONDS);

            List<SpecificRecord> received = new ArrayList<>();
            try (Consumer<String, SpecificRecord> consumer = clients.<SpecificRecord>consumerFactory(
                    SnapbusInfraExtension.uniqueName("regauth-reader")).createConsumer()) {
                consumer.subscribe(List.of(topic));
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (received.isEmpty() && System.nanoTime() < deadline) {
                    consumer.poll(Duration.ofMillis(200)).forEach(r -> received.add(r.value()));
                }
            }
            assertThat(received).containsExactly(sample.value());
        }
        assertThat(admitted).as("authenticated calls of the registration (Confluent API) and of the serde (v2 API)")
                .anyMatch(path -> path.startsWith("/apis/ccompat/v7/subjects/"))
                .anyMatch(path -> path.startsWith("/apis/registry/v2/"));
    }

    @Test
    void withoutTheUserTheRegistryRefusesAndNoPasswordIsPrinted() {
        SnapbusKafkaProperties anonymous = properties(null, null);

        assertThatThrownBy(() -> SchemaRegistryAdmin.of(anonymous.registry()).register("x-value",
                SchemaRegistryAdmin.schemaOf(SnapbusTopic.JOB_EVENTS)))
                .hasMessageContaining("answered 401");
        assertThat(refused.get()).isPositive();
        assertThat(properties(USER, PASSWORD).toString()).doesNotContain(PASSWORD);
    }
}
