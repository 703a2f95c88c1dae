package io.snapbus.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import io.snapbus.deploy.ContainerTests;
import io.snapbus.deploy.RequiresDocker;
import io.snapbus.rows.ContentChecksum;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.ComposeContainer;

/**
 * The root docker-compose.yml brought up as a user brings it up (every service healthy, in its start order), then
 * the README's round trip through it with the snapbus command's own code: {@code snapbus demo} (tables, rows, a
 * backup), {@code snapbus restore} of both tables under new names, {@code snapbus verify --level data}; the restored
 * tables' rows and checksums must equal the originals'.
 */
@ExtendWith(RequiresDocker.class)
class ComposeStackIntegrationTest {
    private static final List<String> SERVICES = List.of("kafka-1", "kafka-2", "kafka-3", "registry", "s3",
            "node-1", "node-2", "node-3", "job-service", "agent-1", "agent-2");
    private static final long HEALTHY_WITHIN_NANOS = TimeUnit.MINUTES.toNanos(10);

    /** Compose project names of this run start with it (Testcontainers appends a random suffix). */
    private static final String IDENTIFIER = "snapbusit" + Long.toString(System.nanoTime() % 1_000_000, 36);

    private static ComposeContainer stack;
    private static final Map<String, String> ports = new LinkedHashMap<>();

    @BeforeAll
    static void upToHealthy() throws InterruptedException {
        ContainerTests.requireDocker();
        String[] names = {"SNAPBUS_KAFKA_PORT_1", "SNAPBUS_KAFKA_PORT_2", "SNAPBUS_KAFKA_PORT_3",
            "SNAPBUS_KAFKA_CONTROLLER_PORT_1", "SNAPBUS_KAFKA_CONTROLLER_PORT_2", "SNAPBUS_KAFKA_CONTROLLER_PORT_3",
            "SNAPBUS_REGISTRY_PORT", "SNAPBUS_REGISTRY_MANAGEMENT_PORT", "SNAPBUS_S3_PORT", "SNAPBUS_JOB_SERVICE_PORT",
            "SNAPBUS_AGENT_PORT_1", "SNAPBUS_AGENT_PORT_2", "SNAPBUS_AGENT_MANAGEMENT_PORT_1",
            "SNAPBUS_AGENT_MANAGEMENT_PORT_2", "SNAPBUS_NODE_PORT_1", "SNAPBUS_NODE_PORT_2", "SNAPBUS_NODE_PORT_3",
            "SNAPBUS_NODE_METRICS_PORT_1", "SNAPBUS_NODE_METRICS_PORT_2", "SNAPBUS_NODE_METRICS_PORT_3"};
        int[] free = ContainerTests.freePorts(names.length);
        for (int i = 0; i < names.length; i++) {
            ports.put(names[i], Integer.toString(free[i]));
        }
        ContainerTests.image("job-service"); // builds every image first, so the stack's start is all up counts
        // The File constructor runs the local compose binary; images are built already and never pulled.
        stack = new ComposeContainer(IDENTIFIER, ContainerTests.composeFile())
                .withPull(false)
                .withRemoveVolumes(true)
                .withEnv(ContainerTests.composeEnvironment(ports));
        stack.start();
        awaitAllHealthy();
    }

    @AfterAll
    static void down() {
        if (stack != null) {
            stack.stop();
        }
    }

    @Test
    void backsUpAndRestoresThroughTheStackWithEqualChecksums() throws Exception {
        String url = "http://127.0.0.1:" + ports.get("SNAPBUS_JOB_SERVICE_PORT");
        List<String> demo = new ArrayList<>(List.of("demo", "--url", url, "--location",
                "file:///var/lib/snapbus-repository", "--label", "compose_it"));
        for (int n = 1; n <= 3; n++) {
            demo.addAll(List.of("--backend", "127.0.0.1:" + ports.get("SNAPBUS_NODE_PORT_" + n)));
        }
        assertThat(snapbus(demo)).contains("backed up [orders, customers] to repository local_repo");
        assertThat(snapbus(List.of("restore", "start", "demo", "compose_it", "--server", url, "--repo",
                "local_repo", "--on", "orders=orders_restored", "--on", "customers=customers_restored", "--wait")))
                .contains("FINISHED");
        assertThat(snapbus(List.of("snapshot", "verify", "local_repo", "compose_it", "--server", url, "--level",
                "data", "--wait"))).contains("PASSED");

        JobServiceClient api = new JobServiceClient(URI.create(url));
        for (String table : List.of("orders", "customers")) {
            ContentChecksum original = TableChecksums.readBack(api, QuickstartFlow.DB, table);
            ContentChecksum restored = TableChecksums.readBack(api, QuickstartFlow.DB, table + "_restored");
            System.out.printf("compose round trip: %s rows %d checksum %d, %s_restored rows %d checksum %d%n",
                    table, original.rows(), original.checksum(), table, restored.rows(), restored.checksum());
            assertThat(original.rows()).isPositive();
            assertThat(restored).isEqualTo(original);
        }
    }

    @Test
    void stateTopicsAreReplicatedThreeTimesWithTwoInSync() throws Exception {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + ports.get("SNAPBUS_KAFKA_PORT_1"));
        try (Admin admin = Admin.create(props)) {
            List<String> topics = List.of("snapbus.backup-jobs", "snapbus.restore-jobs", "snapbus.catalog");
            Map<String, TopicDescription> described = admin.describeTopics(topics).allTopicNames()
                    .get(30, TimeUnit.SECONDS);
            described.values().forEach(topic -> topic.partitions().forEach(partition ->
                    assertThat(partition.replicas()).as(topic.name()).hasSize(3)));
            for (String topic : topics) {
                ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
                Config config = admin.describeConfigs(List.of(resource)).all().get(30, TimeUnit.SECONDS)
                        .get(resource);
                assertThat(config.get("min.insync.replicas").value()).as(topic).isEqualTo("2");
            }
        }
    }

    /** The CLI as a user runs it; returns what it printed, failing with it when the exit code is not 0. */
    private static String snapbus(List<String> args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = SnapbusCli.run(args.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        String printed = out.toString(StandardCharsets.UTF_8).replace('\r', '\n');
        System.out.println("snapbus " + String.join(" ", args) + " -> exit " + exit + "\n" + printed + err);
        assertThat(exit).as("snapbus %s: %s%s", args.get(0), printed, err).isZero();
        return printed;
    }

    /** Waits until every service's container reports healthy (compose's own start order applies meanwhile). */
    private static void awaitAllHealthy() throws InterruptedException {
        DockerClient docker = DockerClientFactory.instance().client();
        long deadline = System.nanoTime() + HEALTHY_WITHIN_NANOS;
        Map<String, String> health = Map.of();
        while (System.nanoTime() < deadline) {
            health = new LinkedHashMap<>();
            for (Container c : docker.listContainersCmd().withShowAll(true)
                    .withLabelFilter(Map.of("io.snapbus.stack", "true")).exec()) {
                if (!c.getLabels().getOrDefault("com.docker.compose.project", "").startsWith(IDENTIFIER)) {
                    continue;
                }
                String status = docker.inspectContainerCmd(c.getId()).exec().getState().getHealth() == null ? "none"
                        : docker.inspectContainerCmd(c.getId()).exec().getState().getHealth().getStatus();
                health.put(c.getLabels().get("com.docker.compose.service"), status);
            }
            if (health.keySet().containsAll(SERVICES) && health.values().stream().allMatch("healthy"::equals)) {
                return;
            }
            Thread.sleep(2_000);
        }
        throw new AssertionError("the compose stack did not become healthy: " + health);
    }
}
