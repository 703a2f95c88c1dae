package io.snapbus.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.snapbus.kafka.KafkaClients;
import io.snapbus.kafka.SnapbusKafkaProperties;
import io.snapbus.kafka.SpringKafkaProperties;
import io.snapbus.local.LocalStackConfig;
import io.snapbus.repository.RepositoryLayout;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A backup through a broker that speaks only SASL_SSL to clients (SCRAM-SHA-512 over TLS): the job-service and the
 * agent are configured with the standard spring.kafka.* settings, their passwords given by reference (a config tree
 * of secret files), and no password shows in a log, a launch record or a topic.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecuredKafkaBackupIntegrationTest {
    private static final String REPOSITORY = "secured_repo";
    private static final String LABEL = "secured";

    @TempDir
    static Path dir;
    private LocalCluster cluster;
    private KafkaClients clients;

    @BeforeAll
    void startClusterWithSaslSslBroker() {
        cluster = LocalCluster.start(LocalStackConfig.builder().dataDir(dir.resolve("stack"))
                .kafkaSecurity(LocalStackConfig.KafkaSecurity.SASL_SSL)
                .startupTimeout(Duration.ofSeconds(180)).build(), 3, 1);
        clients = new KafkaClients(SnapbusKafkaProperties.local(cluster.stack().bootstrapServers(),
                cluster.stack().registryUrl()), SpringKafkaProperties.passThrough(
                cluster.stack().kafkaClientConfigs()));
    }

    @AfterAll
    void stopCluster() {
        if (clients != null) {
            clients.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aBackupRunsThroughSaslSslWithEveryPasswordGivenByReferenceAndNeverWrittenOut() throws Exception {
        QuickstartFlow flow = new QuickstartFlow(new JobServiceClient(cluster.jobServiceUrl()),
                new PrintStream(new ByteArrayOutputStream()));
        flow.prepare(cluster.nodes(), 500);
        Path repository = dir.resolve("repo");
        flow.createRepository(REPOSITORY, repository);

        JsonNode backup = flow.backup(REPOSITORY, LABEL);

        assertThat(backup.get("state").asText()).as(backup.toString()).isEqualTo("FINISHED");
        assertThat(BackupRepositoryCheck.verify(jobInfo(repository), repository, REPOSITORY, LABEL, nodeDataDirs(), 1))
                .isEqualTo(24);
        assertThat(TopicContents.read(clients, "snapbus.backup-jobs")).as("job state, read over SCRAM + TLS")
                .isNotEmpty();
        Map<String, String> secrets = secrets();
        assertThat(secrets.values()).allSatisfy(secret -> assertThat(secret).hasSizeGreaterThan(10));
        for (Path file : filesUnder(dir.resolve("stack/logs"), dir.resolve("stack/run"))) {
            String text = Files.readString(file);
            secrets.forEach((name, secret) -> assertThat(text).as("%s in %s", name, file).doesNotContain(secret));
        }
        for (String topic : List.of("snapbus.backup-jobs", "snapbus.job-events", "snapbus.catalog")) {
            for (String secret : secrets.values()) {
                assertThat(TopicContents.contains(clients, topic, secret)).as("a password in " + topic).isFalse();
            }
        }
    }

    @Test
    void theBrokerRefusesAClientThatDoesNotAuthenticate() {
        try (Admin plaintext = Admin.create(Map.of("bootstrap.servers", cluster.stack().bootstrapServers(),
                "request.timeout.ms", "3000", "default.api.timeout.ms", "5000"))) {
            assertThatThrownBy(() -> plaintext.describeCluster().nodes().get(10, TimeUnit.SECONDS))
                    .isInstanceOfAny(ExecutionException.class, java.util.concurrent.TimeoutException.class);
        }
    }

    /** The passwords of the SCRAM user and of the stores, as the stack keeps them in its config tree. */
    private Map<String, String> secrets() throws Exception {
        Map<String, String> secrets = new HashMap<>();
        try (Stream<Path> files = Files.list(dir.resolve("stack/secrets"))) {
            for (Path file : files.toList()) {
                secrets.put(file.getFileName().toString(), Files.readString(file).strip());
            }
        }
        assertThat(secrets).containsKeys("local-kafka-password", "local-tls-password");
        return secrets;
    }

    private static List<Path> filesUnder(Path... folders) throws Exception {
        List<Path> all = new java.util.ArrayList<>();
        for (Path folder : folders) {
            try (Stream<Path> files = Files.walk(folder)) {
                files.filter(Files::isRegularFile).forEach(all::add);
            }
        }
        assertThat(all).isNotEmpty();
        return all;
    }

    private JsonNode jobInfo(Path repository) throws Exception {
        Path snapshotDir = repository.resolve(RepositoryLayout.snapshotDir(REPOSITORY, LABEL));
        try (Stream<Path> files = Files.list(snapshotDir)) {
            Path info = files.filter(p -> p.getFileName().toString().startsWith(RepositoryLayout.PREFIX_JOB_INFO))
                    .findFirst().orElseThrow();
            return new ObjectMapper().readTree(Files.readString(info));
        }
    }

    private Map<Long, Path> nodeDataDirs() {
        Map<Long, Path> dirs = new HashMap<>();
        for (JsonNode backend : new JobServiceClient(cluster.jobServiceUrl()).get("/api/backends")) {
            for (int i = 0; i < cluster.nodes().size(); i++) {
                if (cluster.nodes().get(i).port() == backend.get("bePort").asInt()) {
                    dirs.put(backend.get("id").asLong(), cluster.nodeRoot(i + 1).resolve("data"));
                }
            }
        }
        return dirs;
    }
}
