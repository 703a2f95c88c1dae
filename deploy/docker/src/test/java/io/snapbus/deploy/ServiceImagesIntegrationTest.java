package io.snapbus.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

/**
 * Each image on its own, started as a deployment starts it (host network, ports by environment variables) and
 * waited for until its HEALTHCHECK says healthy. The broker and the registry stay up for the class: the job-service
 * and the agent need both.
 */
@ExtendWith(RequiresDocker.class)
class ServiceImagesIntegrationTest {
    private static final Duration HEALTHY_WITHIN = Duration.ofMinutes(6);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static GenericContainer<?> kafka;
    private static GenericContainer<?> registry;
    private static int kafkaPort;
    private static int registryPort;

    @BeforeAll
    static void startBrokerAndRegistry() {
        ContainerTests.requireDocker();
        int[] ports = ContainerTests.freePorts(4);
        kafkaPort = ports[0];
        registryPort = ports[2];
        kafka = container("kafka", Map.of("SNAPBUS_KAFKA_PORT", Integer.toString(kafkaPort),
                "SNAPBUS_KAFKA_CONTROLLER_PORT", Integer.toString(ports[1])));
        registry = container("registry", Map.of("SNAPBUS_REGISTRY_PORT", Integer.toString(registryPort),
                "SNAPBUS_REGISTRY_MANAGEMENT_PORT", Integer.toString(ports[3])));
        kafka.start();
        registry.start();
    }

    @AfterAll
    static void stopBrokerAndRegistry() {
        if (registry != null) {
            registry.stop();
        }
        if (kafka != null) {
            kafka.stop();
        }
    }

    @Test
    void kafkaImageServesAKraftClusterOfOneBroker() throws Exception {
        assertThat(healthOf(kafka)).isEqualTo("healthy");
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + kafkaPort);
        try (Admin admin = Admin.create(props)) {
            assertThat(admin.describeCluster().nodes().get(30, TimeUnit.SECONDS)).hasSize(1);
        }
    }

    @Test
    void registryImageServesTheConfluentApi() throws Exception {
        assertThat(healthOf(registry)).isEqualTo("healthy");
        assertThat(get("http://127.0.0.1:" + registryPort + "/apis/ccompat/v7/subjects").statusCode()).isEqualTo(200);
    }

    @Test
    void s3ImageAnswersS3RefusingAnUnsignedRequest() throws Exception {
        int port = ContainerTests.freePorts(1)[0];
        try (GenericContainer<?> s3 = container("s3", Map.of("SNAPBUS_S3_PORT", Integer.toString(port)))) {
            s3.start();
            assertThat(healthOf(s3)).isEqualTo("healthy");
            assertThat(get("http://127.0.0.1:" + port + "/").statusCode()).isEqualTo(403);
        }
    }

    @Test
    void storageNodeImageServesItsBackendPortAndIsReadyOnItsMetricsPort() throws Exception {
        int[] ports = ContainerTests.freePorts(2);
        try (GenericContainer<?> node = container("storage-node", Map.of("SNAPBUS_NODE_BE_PORT",
                Integer.toString(ports[0]), "SNAPBUS_NODE_METRICS_PORT", Integer.toString(ports[1])))) {
            node.start();
            assertThat(healthOf(node)).isEqualTo("healthy");
            assertThat(node.getLogs()).contains(Integer.toString(ports[0]));
            assertReady("http://127.0.0.1:" + ports[1] + "/health/readiness");
        }
    }

    @Test
    void jobServiceImageServesItsRestApiOnTheBroker() throws Exception {
        int port = ContainerTests.freePorts(1)[0];
        try (GenericContainer<?> jobService = container("job-service", Map.of("SERVER_PORT", Integer.toString(port),
                "SNAPBUS_KAFKA_BOOTSTRAPSERVERS", "127.0.0.1:" + kafkaPort,
                "SNAPBUS_KAFKA_REGISTRY_URL", "http://127.0.0.1:" + registryPort))) {
            jobService.start();
            assertThat(healthOf(jobService)).isEqualTo("healthy");
            HttpResponse<String> backends = get("http://127.0.0.1:" + port + "/api/backends");
            assertThat(backends.statusCode()).isEqualTo(200);
            assertThat(backends.body()).startsWith("[");
            assertReady("http://127.0.0.1:" + port + "/actuator/health/readiness");
        }
    }

    @Test
    void backendAgentImageIsReadyOnceItOwnsAgentTasksPartitions() throws Exception {
        int[] ports = ContainerTests.freePorts(2);
        try (GenericContainer<?> agent = container("backend-agent", Map.of("SNAPBUS_AGENT_ID", "agent-it",
                "SNAPBUS_AGENT_FRONTENDPORT", Integer.toString(ports[0]),
                "SNAPBUS_AGENT_MANAGEMENT_PORT", Integer.toString(ports[1]),
                "SNAPBUS_KAFKA_BOOTSTRAPSERVERS", "127.0.0.1:" + kafkaPort,
                "SNAPBUS_KAFKA_REGISTRY_URL", "http://127.0.0.1:" + registryPort))) {
            agent.start();
            assertThat(healthOf(agent)).isEqualTo("healthy");
            String readiness = assertReady("http://127.0.0.1:" + ports[1] + "/actuator/health/readiness");
            assertThat(readiness).contains("\"agentTasks\"", "agent-it");
        }
    }

    /** GET {@code url} answers 200 with status UP; returns the body. */
    private static String assertReady(String url) throws Exception {
        HttpResponse<String> readiness = get(url);
        assertThat(readiness.statusCode()).as(url).isEqualTo(200);
        assertThat(readiness.body()).as(url).contains("\"status\":\"UP\"");
        return readiness.body();
    }

    private static GenericContainer<?> container(String target, Map<String, String> env) {
        return new GenericContainer<>(DockerImageName.parse(ContainerTests.image(target)))
                .withNetworkMode("host")
                .withEnv(env)
                .waitingFor(Wait.forHealthcheck().withStartupTimeout(HEALTHY_WITHIN));
    }

    private static String healthOf(GenericContainer<?> container) {
        return container.getCurrentContainerInfo().getState().getHealth().getStatus();
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
