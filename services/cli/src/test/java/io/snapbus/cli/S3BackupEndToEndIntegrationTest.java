package io.snapbus.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.snapbus.avro.CatalogRecord;
import io.snapbus.avro.RepositoryDef;
import io.snapbus.avro.RepositoryRef;
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
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
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
 * Backups to an S3 repository (s3proxy) through the whole stack, with credentials given only by reference: one that
 * finishes, one whose nodes hold a wrong secret (cancelled after bounded retries), one rescued by ALTER REPOSITORY
 * to rotated credentials. Each time the secrets are searched for everywhere they must never appear: service logs,
 * every topic, REST answers, job info. Each test has its own repository and label; a test that restarts the
 * job-service with other settings restores them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class S3BackupEndToEndIntegrationTest {
    private static final String SECRET = "snapbus-e2e-Secret-0xC0FFEE";
    /** What the nodes' credentials file holds for the refs {@code denied} and {@code old}: a secret S3 refuses. */
    private static final String WRONG_SECRET = "snapbus-e2e-Wrong-0xBADBAD";
    private static final String OWN_LOGS = "(node|agent)-\\d+\\.log|job-service\\.log";
    /** Attempts per task the job-service gets at start: a refused upload cancels the job after these. */
    private static final String TASK_ATTEMPTS = "4";

    @TempDir
    static Path dir;
    private LocalCluster cluster;
    private QuickstartFlow flow;
    private S3Endpoint s3;
    private S3Client client;
    private JobServiceClient api;

    @BeforeAll
    void startCluster() throws Exception {
        // The job-service has the right secret for every ref (creating a repository writes or reads its info file
        // with it); the nodes have a wrong one for `denied` and `old`, so their uploads are refused.
        Path jobCredentials = credentials("job-service", Map.of("local_s3", SECRET, "denied", SECRET, "old", SECRET,
                "new", SECRET));
        Path nodeCredentials = credentials("nodes", Map.of("local_s3", SECRET, "denied", WRONG_SECRET,
                "old", WRONG_SECRET, "new", SECRET));
        // Short task retries, so a refused upload cancels the job in seconds (2, 4, 8 s between the 4 sends).
        cluster = LocalCluster.start(LocalStackConfig.builder().dataDir(dir.resolve("stack")).s3Enabled(true)
                .s3Credentials("e2e-access", SECRET).build(), 3, 1,
                Map.of("snapbus.node.credentials_file", nodeCredentials.toString()),
                Map.of("snapbus.jobs.credentials-file", jobCredentials.toString(),
                        "snapbus.backup.task-retry-initial-backoff", "2s",
                        "snapbus.backup.task-retry-max-backoff", "8s",
                        "snapbus.backup.max-task-attempts", TASK_ATTEMPTS));
        s3 = cluster.stack().s3().orElseThrow();
        api = new JobServiceClient(cluster.jobServiceUrl());
        flow = new QuickstartFlow(api, new PrintStream(new ByteArrayOutputStream()));
        flow.prepare(cluster.nodes(), 3000);
        client = S3Client.builder().endpointOverride(s3.endpoint()).region(Region.of(s3.region()))
                .forcePathStyle(true).credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(s3.accessKey(), s3.secretKey()))).build();
        client.createBucket(b -> b.bucket("backups"));
    }

    /** A failed test leaves no running job to block the next backup of the same tables. */
    @AfterEach
    void cancelUnfinishedJobs() {
        BackupJobs.cancelUnfinished(api, QuickstartFlow.DB);
    }

    @AfterAll
    void stopCluster() {
        if (client != null) {
            client.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aBackupToS3FinishesWithEveryFileStoredAndTheSecretAppearsNowhere() throws Exception {
        List<String> answers = new ArrayList<>();
        answers.add(createS3Repository("s3_repo", "local_s3").toString());

        JsonNode job = BackupJobs.awaitDone(() -> api, flow.startBackup("s3_repo", "s3_snap"));

        assertThat(job.get("state").asText()).as(job.toString()).isEqualTo("FINISHED");
        String info = assertBackupStored("s3_repo", "s3_snap");
        answers.add(api.get("/api/repositories/s3_repo/snapshots").toString());
        assertSecretsAppearNowhere(answers, info);
    }

    @Test
    void cancelsNamingAccessDeniedWhenTheNodesSecretIsWrong() throws Exception {
        List<String> answers = new ArrayList<>();
        answers.add(createS3Repository("denied_repo", "denied").toString());

        JsonNode job = BackupJobs.awaitDone(() -> api, flow.startBackup("denied_repo", "denied_snap"));

        answers.add(job.toString());
        assertThat(job.get("state").asText()).as(job.toString()).isEqualTo("CANCELLED");
        String backends = api.get("/api/backends").toString();
        String status = job.get("status").asText();
        assertThat(status).containsPattern("UPLOAD task \\d+ on backend \\d+ failed 4 times, last error: "
                + "NOT_AUTHORIZED: .*denied.*403");
        assertThat(backends).contains("\"id\":" + status.replaceAll(".* on backend (\\d+) .*", "$1"));
        assertThat(client.listMultipartUploads(b -> b.bucket("backups")).uploads()).as("open multipart uploads")
                .isEmpty();
        assertThat(keys("doris/" + RepositoryLayout.snapshotDir("denied_repo", "denied_snap"))).as("stored")
                .isEmpty();
        assertSecretsAppearNowhere(answers);
    }

    @Test
    void finishesAfterTheRepositoryIsAlteredToRotatedCredentials() throws Exception {
        List<String> answers = new ArrayList<>();
        answers.add(createS3Repository("rotated_repo", "old").toString());
        long jobId = flow.startBackup("rotated_repo", "rotated_snap");
        answers.add(awaitRefusedUpload(jobId).toString());

        answers.add(api.patch("/api/repositories/rotated_repo", Map.of("credentialRef", "new")).toString());
        JsonNode job = BackupJobs.awaitDone(() -> api, jobId);

        assertThat(job.get("state").asText()).as(job.toString()).isEqualTo("FINISHED");
        String info = assertBackupStored("rotated_repo", "rotated_snap");
        JsonNode repositories = api.get("/api/repositories");
        answers.add(repositories.toString());
        assertThat(repositories.findValues("ref")).filteredOn(r -> r.get("name").asText().equals("rotated_repo"))
                .singleElement().satisfies(r -> {
                    assertThat(r.get("credentialRef").asText()).isEqualTo("new");
                    assertThat(r.get("revision").asLong()).isEqualTo(1);
                });
        assertThat(serviceLogs()).anyMatch(line -> line.contains("backup job " + jobId)
                && line.contains("repository rotated_repo altered from revision 0 to 1"));
        assertSecretsAppearNowhere(answers, info);
    }

    @Test
    void aJobServiceRestartedAfterAnAlterationItsJobMissedTakesTheCatalogsRevision() throws Exception {
        List<String> answers = new ArrayList<>();
        answers.add(createS3Repository("missed_repo", "old").toString());
        long jobId = flow.startBackup("missed_repo", "missed_snap");
        answers.add(awaitRefusedUpload(jobId).toString());

        // As if the job-service died between committing ALTER REPOSITORY to the catalog and persisting its jobs:
        // the catalog topic holds revision 1 (credentials `new`), the job's own record still revision 0 (`old`).
        alterInTheCatalogTopicOnly("missed_repo", "new");
        // The restarted job-service hears task results only once the task-results group let the killed member's
        // session (45 s) expire; meanwhile the job re-sends its tasks, each send an attempt: allow plenty.
        JsonNode job;
        try {
            restartJobService("20");
            job = BackupJobs.awaitDone(() -> api, jobId);
        } finally {
            // The other tests count on the job-service's own number of attempts.
            restartJobService(TASK_ATTEMPTS);
        }

        assertThat(job.get("state").asText()).as(job.toString()).isEqualTo("FINISHED");
        String info = assertBackupStored("missed_repo", "missed_snap");
        assertThat(serviceLogs()).anyMatch(line -> line.contains("backup job " + jobId)
                && line.contains("repository missed_repo altered from revision 0 to 1"));
        assertSecretsAppearNowhere(answers, info);
    }

    /** SHOW BACKUP of the job once an upload was refused (NOT_AUTHORIZED); the job is still uploading then. */
    private JsonNode awaitRefusedUpload(long jobId) {
        JsonNode row = BackupJobs.awaitJob(() -> api, jobId, BackupJobs.DONE_WITHIN,
                job -> job.get("taskErrMsg").asText().contains("NOT_AUTHORIZED") || BackupJobs.isDone(job));
        assertThat(row.get("state").asText()).as(row.toString()).isEqualTo("UPLOADING");
        return row;
    }

    /** SIGKILL to the job-service, then a new one allowing {@code attempts} sends per task; the clients follow it. */
    private void restartJobService(String attempts) {
        cluster.killAndRestartJobService(Map.of("snapbus.backup.max-task-attempts", attempts));
        api = new JobServiceClient(cluster.jobServiceUrl());
        flow = new QuickstartFlow(api, new PrintStream(new ByteArrayOutputStream()));
    }

    /**
     * Writes the repository's next revision straight to the catalog topic, as the job-service's catalog would, but
     * without the job-service (which reads the topic only when it starts) learning of it.
     */
    private void alterInTheCatalogTopicOnly(String repository, String credentialRef) throws Exception {
        String topic = "snapbus.catalog";
        String key = "repository/" + repository;
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.stack().bootstrapServers());
        byte[] current = null;
        long lastSeq = 0;
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(300))) {
                    if (record.value() != null) {
                        lastSeq = Math.max(lastSeq, catalogRecord(record.value()).getSeq());
                    }
                    if (key.equals(record.key()) && record.value() != null) {
                        current = record.value();
                    }
                }
            }
        }
        assertThat(current).as("the catalog record of " + repository).isNotNull();
        CatalogRecord record = catalogRecord(current);
        RepositoryDef def = (RepositoryDef) record.getEntry();
        record.setEntry(new RepositoryDef(RepositoryRef.newBuilder(def.getRef()).setCredentialRef(credentialRef)
                .setRevision(def.getRef().getRevision() + 1).build(), def.getCreatedAtMs()));
        record.setSeq(lastSeq + 1);
        ByteArrayOutputStream altered = new ByteArrayOutputStream();
        altered.write(current, 0, 5); // magic byte and schema id: the schema is the same
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(altered, null);
        new SpecificDatumWriter<>(CatalogRecord.class).write(record, encoder);
        encoder.flush();
        Properties producerProps = new Properties();
        producerProps.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.stack().bootstrapServers());
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerProps, new StringSerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, key, altered.toByteArray())).get();
        }
    }

    /** Confluent wire format: magic byte and schema id (of CatalogRecord's schema), then Avro binary. */
    private static CatalogRecord catalogRecord(byte[] wire) throws java.io.IOException {
        return new SpecificDatumReader<>(CatalogRecord.class).read(null,
                DecoderFactory.get().binaryDecoder(wire, 5, wire.length - 5, null));
    }

    private JsonNode createS3Repository(String name, String credentialRef) {
        return api.post("/api/repositories", Map.of("name", name, "location", "s3://backups/doris",
                "properties", Map.of("s3.endpoint", s3.endpoint().toString(), "s3.region", s3.region(),
                        "s3.path_style", "true"), "credentialRef", credentialRef));
    }

    /** The snapshot's meta file, job info and both files of each of the 24 tablets are in the bucket: the job info. */
    private String assertBackupStored(String repository, String label) {
        String snapshotDir = "doris/" + RepositoryLayout.snapshotDir(repository, label);
        List<String> keys = keys(snapshotDir + "/");
        assertThat(keys).anyMatch(k -> k.startsWith(snapshotDir + "/__meta."))
                .anyMatch(k -> k.startsWith(snapshotDir + "/__info_"));
        long tabletFiles = keys.stream().filter(k -> k.contains("/__ss_content/")).count();
        assertThat(tabletFiles).as("2 files per tablet, 24 tablets").isEqualTo(48);
        return keys.stream().filter(k -> k.startsWith(snapshotDir + "/__info_")).findFirst()
                .map(k -> client.getObjectAsBytes(b -> b.bucket("backups").key(k)).asUtf8String()).orElseThrow();
    }

    private List<String> keys(String prefix) {
        return client.listObjectsV2Paginator(b -> b.bucket("backups").prefix(prefix)).contents().stream()
                .map(S3Object::key).toList();
    }

    /** Neither secret (right or wrong) in these REST answers and files, the repository list, SHOW BACKUP, logs, topics. */
    private void assertSecretsAppearNowhere(List<String> answers, String... files) throws Exception {
        List<String> all = new ArrayList<>(answers);
        all.add(api.get("/api/repositories").toString());
        all.add(api.get("/api/databases/" + QuickstartFlow.DB + "/backups").toString());
        all.addAll(List.of(files));
        for (String secret : List.of(SECRET, WRONG_SECRET)) {
            assertThat(all).as("REST answers and files").noneMatch(a -> a.contains(secret));
            assertThat(serviceLogs()).as("service logs").noneMatch(line -> line.contains(secret));
        }
        assertThat(topicsContaining(SECRET, WRONG_SECRET)).as("topics holding a secret").isEmpty();
    }

    private Path credentials(String owner, Map<String, String> secrets) throws Exception {
        StringBuilder text = new StringBuilder();
        secrets.forEach((ref, secret) -> text.append(ref).append(".access_key=e2e-access\n").append(ref)
                .append(".secret_key=").append(secret).append("\n"));
        return Files.writeString(dir.resolve(owner + "-credentials.properties"), text);
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

    /**
     * Every snapbus topic read from the beginning up to the end offsets it has now, raw: which of them carry the
     * bytes of any of {@code needles}. Reading to the end (not for a while) is what makes "none" mean something.
     */
    private List<String> topicsContaining(String... needles) throws Exception {
        List<String> topics;
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", cluster.stack().bootstrapServers()))) {
            topics = admin.listTopics().names().get().stream().filter(t -> t.startsWith("snapbus.")).toList();
        }
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.stack().bootstrapServers());
        List<String> found = new ArrayList<>();
        List<byte[]> patterns = Stream.of(needles).map(n -> n.getBytes(StandardCharsets.UTF_8)).toList();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : topics) {
                consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            int records = 0;
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                assertThat(System.nanoTime()).as("read every topic to its end within 60 s").isLessThan(deadline);
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(300))) {
                    records++;
                    if (record.value() != null && patterns.stream().anyMatch(p -> indexOf(record.value(), p) >= 0)) {
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
