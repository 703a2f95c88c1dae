package io.snapbus.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.snapbus.local.LocalStackConfig;
import io.snapbus.local.S3Endpoint;
import io.snapbus.repository.RepositoryLayout;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A backup to an S3 repository (s3proxy) through the whole stack, with credentials given only by reference; then
 * the secret is searched for everywhere it must never appear: service logs, every topic, REST answers, job info.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class S3BackupEndToEndIntegrationTest {
    private static final String SECRET = "snapbus-e2e-Secret-0xC0FFEE";
    private static final String OWN_LOGS = "(node|agent)-\\d+\\.log|job-service\\.log";

    @TempDir
    static Path dir;
    private LocalCluster cluster;
    private QuickstartFlow flow;
    private S3Endpoint s3;

    @BeforeAll
    void startCluster() throws Exception {
        Path credentials = Files.writeString(dir.resolve("credentials.properties"),
                "local_s3.access_key=e2e-access\nlocal_s3.secret_key=" + SECRET + "\n");
        cluster = LocalCluster.start(LocalStackConfig.builder().dataDir(dir.resolve("stack")).s3Enabled(true)
                .s3Credentials("e2e-access", SECRET).build(), 3, 1,
                Map.of("snapbus.node.credentials_file", credentials.toString()),
                Map.of("snapbus.jobs.credentials-file", credentials.toString()));
        s3 = cluster.stack().s3().orElseThrow();
        flow = new QuickstartFlow(new JobServiceClient(cluster.jobServiceUrl()),
                new PrintStream(new ByteArrayOutputStream()));
        flow.prepare(cluster.nodes(), 3000);
    }

    @AfterAll
    void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aBackupToS3FinishesWithEveryFileStoredAndTheSecretAppearsNowhere() throws Exception {
        try (S3Client client = S3Client.builder().endpointOverride(s3.endpoint()).region(Region.of(s3.region()))
                .forcePathStyle(true).credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(s3.accessKey(), s3.secretKey()))).build()) {
            client.createBucket(b -> b.bucket("backups"));
            JobServiceClient api = new JobServiceClient(cluster.jobServiceUrl());
            List<String> answers = new ArrayList<>();
            answers.add(api.post("/api/repositories", Map.of("name", "s3_repo", "location", "s3://backups/doris",
                    "properties", Map.of("s3.endpoint", s3.endpoint().toString(), "s3.region", s3.region(),
                            "s3.path_style", "true"), "credentialRef", "local_s3")).toString());

            JsonNode job = flow.backup("s3_repo", "s3_snap");

            assertThat(job.get("state").asText()).as(job.toString()).isEqualTo("FINISHED");
            List<String> keys = client.listObjectsV2Paginator(b -> b.bucket("backups").prefix("doris/")).contents()
                    .stream().map(S3Object::key).toList();
            String snapshotDir = "doris/" + RepositoryLayout.snapshotDir("s3_repo", "s3_snap");
            assertThat(keys).anyMatch(k -> k.startsWith(snapshotDir + "/__meta."))
                    .anyMatch(k -> k.startsWith(snapshotDir + "/__info_"));
            long tabletFiles = keys.stream().filter(k -> k.contains("/__ss_content/")).count();
            assertThat(tabletFiles).as("2 files per tablet, 24 tablets").isEqualTo(48);
            String info = keys.stream().filter(k -> k.startsWith(snapshotDir + "/__info_")).findFirst()
                    .map(k -> client.getObjectAsBytes(b -> b.bucket("backups").key(k)).asUtf8String()).orElseThrow();

            answers.add(api.get("/api/repositories").toString());
            answers.add(api.get("/api/databases/" + QuickstartFlow.DB + "/backups").toString());
            answers.add(api.get("/api/repositories/s3_repo/snapshots").toString());
            assertThat(answers).noneMatch(a -> a.contains(SECRET));
            assertThat(info).doesNotContain(SECRET);
            assertThat(serviceLogs()).as("service logs").noneMatch(line -> line.contains(SECRET));
            assertThat(topicsContaining(SECRET)).as("topics holding the secret").isEmpty();
        }
    }

    private List<String> serviceLogs() throws Exception {
        List<String> lines = new ArrayList<>();
        try (Stream<Path> logs = Files.list(cluster.stack().dataDir().resolve("logs"))) {
            // snapbus's own services; the S3 server is the one place that must know the secret.
            for (Path log : logs.filter(p -> p.getFileName().toString().matches(OWN_LOGS)).toList()) {
                lines.addAll(Files.readAllLines(log, StandardCharsets.ISO_8859_1));
            }
        }
        assertThat(lines).as("the services logged something").isNotEmpty();
        return lines;
    }

    /** Every snapbus topic read from the beginning, raw: which of them carry the bytes of {@code needle}. */
    private List<String> topicsContaining(String needle) throws Exception {
        List<String> topics;
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", cluster.stack().bootstrapServers()))) {
            topics = admin.listTopics().names().get().stream().filter(t -> t.startsWith("snapbus.")).toList();
        }
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.stack().bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "secret-scan-" + System.nanoTime());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<String> found = new ArrayList<>();
        byte[] bytes = needle.getBytes(StandardCharsets.UTF_8);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(topics);
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            int records = 0;
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(300))) {
                    records++;
                    if (record.value() != null && indexOf(record.value(), bytes) >= 0) {
                        found.add(record.topic());
                    }
                }
            }
            assertThat(records).as("records scanned").isGreaterThan(50);
        }
        return found;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
