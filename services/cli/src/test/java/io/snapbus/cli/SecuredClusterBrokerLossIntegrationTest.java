package io.snapbus.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.snapbus.kafka.KafkaClients;
import io.snapbus.kafka.SnapbusKafkaProperties;
import io.snapbus.kafka.SpringKafkaProperties;
import io.snapbus.local.KafkaBroker;
import io.snapbus.local.LocalStack;
import io.snapbus.local.LocalStackConfig;
import io.snapbus.local.StackServices;
import io.snapbus.repository.RepositoryLayout;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole local cluster on three KRaft brokers that speak only SASL_SSL to clients (SCRAM-SHA-512 over TLS), the
 * job-service and the agent configured with the standard spring.kafka.* settings and their passwords given by
 * reference (a config tree of secret files). Snapbus's topics have three replicas and need two in sync, so a broker
 * killed with SIGKILL in the middle of a backup, and another in the middle of a restore, costs no record of
 * backup-jobs, restore-jobs or the catalog; both jobs finish with the repository and the restored data intact; and no
 * password shows in a log, a launch record or a topic. One cluster for both, to keep CI's time.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecuredClusterBrokerLossIntegrationTest {
    private static final String DB = QuickstartFlow.DB;
    private static final String REPOSITORY = "broker_loss_repo";
    private static final String LABEL = "broker_loss";
    private static final List<String> STATE_TOPICS = List.of("snapbus.backup-jobs", "snapbus.restore-jobs",
            "snapbus.catalog");

    @TempDir
    static Path dir;
    private LocalCluster cluster;
    private KafkaClients clients;

    @BeforeAll
    void startClusterOnThreeBrokers() {
        cluster = LocalCluster.start(LocalStackConfig.builder().dataDir(dir.resolve("stack")).kafkaBrokers(3)
                        .kafkaSecurity(LocalStackConfig.KafkaSecurity.SASL_SSL)
                        .startupTimeout(Duration.ofSeconds(180)).build(), 3, 1,
                Map.of(), Map.of("snapbus.backup.debug-points-enabled", "true",
                        "snapbus.backup.task-retry-initial-backoff", "3s",
                        "snapbus.restore.task-retry-initial-backoff", "3s"));
        clients = new KafkaClients(SnapbusKafkaProperties.local(cluster.stack().bootstrapServers(),
                cluster.stack().registryUrl()).withReplicationFactor((short) 3),
                SpringKafkaProperties.passThrough(cluster.stack().kafkaClientConfigs()));
    }

    @AfterAll
    void stopCluster() {
        if (clients != null) {
            clients.close();
        }
        if (cluster != null) {
            cluster.close();
            // A broker started again through its launch record is the stack's by its pid file only.
            LocalStack.stopFromPidFiles(dir.resolve("stack"));
        }
    }

    @Test
    void aBackupAndARestoreOverSaslSslFinishLosingNoStateRecordWhenABrokerIsKilledInTheMiddleOfEach()
            throws Exception {
        assertStateTopicsReplicatedThreeTimesNeedingTwoInSync();
        QuickstartFlow flow = new QuickstartFlow(api(), new PrintStream(new ByteArrayOutputStream()));
        flow.prepare(cluster.nodes(), 1000);
        Path repository = dir.resolve("repo");
        flow.createRepository(REPOSITORY, repository);

        // Backup, held in UPLOADING with its uploads done so far persisted; a broker dies; the job goes on.
        api().post("/api/debug-points/backup-pauses", Map.of("state", "UPLOADING", "labelPrefix", LABEL));
        long backupId = api().post("/api/databases/" + DB + "/backups", Map.of("label", LABEL, "repository",
                REPOSITORY, "tables", List.of(Map.of("name", "orders"), Map.of("name", "customers")),
                "timeoutSeconds", 3600)).get("jobId").asLong();
        BackupJobs.awaitSettledIn(this::api, backupId, "UPLOADING");
        Set<String> beforeBackupKill = stateRecords();
        int firstVictim = leaderOf("snapbus.backup-jobs");

        cluster.killBroker(firstVictim);
        api().delete("/api/debug-points/backup-pauses");

        assertThat(cluster.stack().brokers().get(firstVictim - 1).isAlive()).isFalse();
        JsonNode backup = BackupJobs.awaitDone(this::api, backupId);
        assertThat(backup.get("state").asText()).as(backup.toString()).isEqualTo("FINISHED");
        assertThat(stateRecords()).as("every state record read before the kill").containsAll(beforeBackupKill);
        JsonNode info = jobInfo(repository);
        assertThat(BackupRepositoryCheck.verify(info, repository, REPOSITORY, LABEL, nodeDataDirs(), 1))
                .as("2 tables x 3 partitions x 4 buckets, each checked file by file").isEqualTo(24);

        // The killed broker comes back and catches up; then another one dies in the middle of a restore.
        StackServices.in(dir.resolve("stack")).start(KafkaBroker.nameOf(firstVictim));
        awaitFullyReplicated();
        api().post("/api/debug-points/restore-pauses", Map.of("state", "DOWNLOADING", "labelPrefix", LABEL,
                "beforeTasks", false));
        long restoreId = flow.startRestore(REPOSITORY, LABEL, List.of(Map.of("name", "orders", "alias",
                "orders_restored")), Map.of());
        Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
                .until(() -> api().get("/api/restores/" + restoreId), job -> job.get("state").asText()
                        .equals("DOWNLOADING") && job.get("replicasDownloaded").asInt() > 0);
        Set<String> beforeRestoreKill = stateRecords();
        int secondVictim = leaderOf("snapbus.restore-jobs");
        if (secondVictim == firstVictim) {
            secondVictim = firstVictim % 3 + 1;
        }

        cluster.killBroker(secondVictim);
        api().delete("/api/debug-points/restore-pauses");

        JsonNode restore = Awaitility.await().atMost(BackupJobs.DONE_WITHIN).pollInterval(Duration.ofMillis(300))
                .ignoreExceptions().until(() -> api().get("/api/restores/" + restoreId), BackupJobs::isDone);
        assertThat(restore.get("state").asText()).as(restore.toString()).isEqualTo("FINISHED");
        assertThat(restore.get("replicasChecked").asInt()).isEqualTo(restore.get("replicas").asInt());
        assertThat(stateRecords()).as("every state record read before the second kill").containsAll(beforeRestoreKill);
        var atBackup = TableChecksums.recorded(info);
        assertThat(TableChecksums.readBack(api(), DB, "orders_restored")).isEqualTo(atBackup.get("orders"));
        assertThat(TableChecksums.readBack(api(), DB, "orders")).isEqualTo(atBackup.get("orders"));
        assertNoPasswordWrittenOut();
    }

    @Test
    void theBrokersRefuseAClientThatDoesNotAuthenticate() {
        try (Admin plaintext = Admin.create(Map.of("bootstrap.servers", cluster.stack().bootstrapServers(),
                "request.timeout.ms", "3000", "default.api.timeout.ms", "5000"))) {
            assertThatThrownBy(() -> plaintext.describeCluster().nodes().get(10, TimeUnit.SECONDS))
                    .isInstanceOfAny(ExecutionException.class, TimeoutException.class);
        }
    }

    /** The SCRAM and store passwords are in no log, no launch record (command lines) and no topic. */
    private void assertNoPasswordWrittenOut() throws Exception {
        Map<String, String> secrets = new HashMap<>();
        try (Stream<Path> files = Files.list(dir.resolve("stack/secrets"))) {
            for (Path file : files.toList()) {
                secrets.put(file.getFileName().toString(), Files.readString(file).strip());
            }
        }
        assertThat(secrets).containsKeys("local-kafka-password", "local-tls-password");
        assertThat(secrets.values()).allSatisfy(secret -> assertThat(secret).hasSizeGreaterThan(10));
        List<Path> written = new java.util.ArrayList<>();
        for (Path folder : List.of(dir.resolve("stack/logs"), dir.resolve("stack/run"))) {
            try (Stream<Path> files = Files.walk(folder)) {
                files.filter(Files::isRegularFile).forEach(written::add);
            }
        }
        assertThat(written).isNotEmpty();
        for (Path file : written) {
            String text = Files.readString(file);
            secrets.forEach((name, secret) -> assertThat(text).as("%s in %s", name, file).doesNotContain(secret));
        }
        for (String topic : List.of("snapbus.backup-jobs", "snapbus.restore-jobs", "snapbus.job-events",
                "snapbus.catalog")) {
            for (String secret : secrets.values()) {
                assertThat(TopicContents.contains(clients, topic, secret)).as("a password in " + topic).isFalse();
            }
        }
    }

    private void assertStateTopicsReplicatedThreeTimesNeedingTwoInSync() throws Exception {
        try (Admin admin = clients.admin()) {
            Map<String, TopicDescription> topics = admin.describeTopics(STATE_TOPICS).allTopicNames()
                    .get(60, TimeUnit.SECONDS);
            topics.values().forEach(topic -> assertThat(topic.partitions()).allSatisfy(
                    p -> assertThat(p.replicas()).as(topic.name()).hasSize(3)));
            for (String topic : STATE_TOPICS) {
                ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
                String minIsr = admin.describeConfigs(List.of(resource)).all().get(60, TimeUnit.SECONDS)
                        .get(resource).get("min.insync.replicas").value();
                assertThat(minIsr).as(topic).isEqualTo("2");
            }
        }
    }

    /** The node leading partition 0 of {@code topic}: the broker whose loss moves that leadership. */
    private int leaderOf(String topic) throws Exception {
        try (Admin admin = clients.admin()) {
            return admin.describeTopics(List.of(topic)).allTopicNames().get(60, TimeUnit.SECONDS).get(topic)
                    .partitions().get(0).leader().id();
        }
    }

    /** Waits until every partition of every topic has all its replicas in sync again. */
    private void awaitFullyReplicated() {
        Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .until(() -> {
                    try (Admin admin = clients.admin()) {
                        Set<String> names = admin.listTopics().names().get(30, TimeUnit.SECONDS);
                        return admin.describeTopics(names).allTopicNames().get(30, TimeUnit.SECONDS).values().stream()
                                .flatMap(t -> t.partitions().stream())
                                .allMatch((TopicPartitionInfo p) -> p.isr().size() == p.replicas().size());
                    }
                });
    }

    private Set<String> stateRecords() {
        Set<String> records = new HashSet<>();
        for (String topic : STATE_TOPICS) {
            TopicContents.read(clients, topic).forEach(r -> records.add(topic + " " + r));
        }
        assertThat(records).isNotEmpty();
        return records;
    }

    private JsonNode jobInfo(Path repository) throws Exception {
        Path snapshotDir = repository.resolve(RepositoryLayout.snapshotDir(REPOSITORY, LABEL));
        try (Stream<Path> files = Files.list(snapshotDir)) {
            Path info = files.filter(p -> p.getFileName().toString().startsWith(RepositoryLayout.PREFIX_JOB_INFO))
                    .findFirst().orElseThrow();
            return new ObjectMapper().readTree(Files.readString(info));
        }
    }

    /** Backend id to the data folder of its node. */
    private Map<Long, Path> nodeDataDirs() {
        Map<Long, Path> dirs = new HashMap<>();
        for (JsonNode backend : api().get("/api/backends")) {
            for (int i = 0; i < cluster.nodes().size(); i++) {
                if (cluster.nodes().get(i).port() == backend.get("bePort").asInt()) {
                    dirs.put(backend.get("id").asLong(), cluster.nodeRoot(i + 1).resolve("data"));
                }
            }
        }
        return dirs;
    }

    private JobServiceClient api() {
        return new JobServiceClient(cluster.jobServiceUrl());
    }
}
