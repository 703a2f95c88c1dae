package io.snapbus.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.snapbus.client.ExitCode;
import io.snapbus.local.LocalStackConfig;
import io.snapbus.local.S3Endpoint;
import io.snapbus.repository.RepositoryLayout;
import io.snapbus.rows.ContentChecksum;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
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

/**
 * The restore options RestoreEndToEndIntegrationTest leaves out, on one local cluster (with an S3 server): a partition
 * the live table lost, views and ODBC tables as metadata, a METADATA_ONLY snapshot, a repository damaged on disk, and
 * a round trip through S3. Each restore of data is read back row for row and checked by the job against the checksums
 * the backup recorded; every test leaves the tables as it found them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RestoreMoreIntegrationTest {
    private static final String DB = QuickstartFlow.DB;
    private static final String REPOSITORY = "more_repo";
    private static final String LABEL = "more";
    private static final String VIEW = "big_orders";
    private static final String VIEW_SQL = "SELECT order_id, amount FROM orders WHERE amount > 500";
    private static final String ODBC_TABLE = "remote_orders";
    private static final String RESOURCE = "warehouse_odbc";
    private static final String S3_SECRET = "restore-more-Secret-0xFEED";

    @TempDir
    static Path dir;
    private LocalCluster cluster;
    private QuickstartFlow flow;
    /** Table to its rows at the backup, each a sorted line of NDJSON. */
    private final Map<String, List<String>> backedUp = new HashMap<>();

    @BeforeAll
    void startClusterAndBackUp() throws Exception {
        Path credentials = Files.writeString(dir.resolve("credentials.properties"),
                "local_s3.access_key=more-access\nlocal_s3.secret_key=" + S3_SECRET + "\n");
        // A failed task is sent 3 times (5 s, then 10 s apart) before the job is cancelled naming it.
        cluster = LocalCluster.start(LocalStackConfig.builder().dataDir(dir.resolve("stack")).s3Enabled(true)
                        .s3Credentials("more-access", S3_SECRET).startupTimeout(Duration.ofSeconds(180)).build(), 3, 1,
                Map.of("snapbus.node.credentials_file", credentials.toString()),
                Map.of("snapbus.jobs.credentials-file", credentials.toString(),
                        "snapbus.restore.task-retry-initial-backoff", "5s",
                        "snapbus.restore.max-task-attempts", "3"));
        flow = new QuickstartFlow(api(), new PrintStream(new ByteArrayOutputStream()));
        flow.prepare(cluster.nodes(), 1200);
        List<Map<String, Object>> idColumn = List.of(Map.of("name", "order_id", "type", "BIGINT"),
                Map.of("name", "amount", "type", "DECIMAL(18,2)"));
        api().post("/api/databases/" + DB + "/views", Map.of("name", VIEW, "sql", VIEW_SQL));
        api().post("/api/resources", Map.of("name", RESOURCE, "properties", Map.of("type", "odbc_catalog",
                "host", "127.0.0.1", "port", "3306", "driver", "MySQL ODBC 8.0", "odbc_type", "mysql")));
        api().post("/api/databases/" + DB + "/odbc-tables", Map.of("name", ODBC_TABLE, "resourceName", RESOURCE,
                "remoteDatabase", "shop", "remoteTable", "orders", "columns", idColumn));
        flow.createRepository(REPOSITORY, dir.resolve("repo"));
        JsonNode backup = backup(LABEL, List.of("orders", "customers", VIEW, ODBC_TABLE), "ALL");
        assertThat(backup.get("state").asText()).as(backup.toString()).isEqualTo("FINISHED");
        for (String table : QuickstartFlow.TABLES) {
            backedUp.put(table, rows(table, ""));
        }
        assertThat(backedUp.get("orders")).hasSize(1200);
    }

    @AfterAll
    void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** Lets a failed test leave no running restore behind for the next one. */
    @AfterEach
    void cancelRunningRestores() {
        try {
            api().post("/api/databases/" + DB + "/restores/cancel", Map.of());
        } catch (IllegalStateException none) {
            // no restore was running
        }
    }

    @Test
    void aPartitionTheLiveTableLostComesBackWithTheBackupsRowsAndTheOthersAreNotTouched() throws Exception {
        Map<String, Long> partitionIds = partitionIds("orders");
        api().delete("/api/databases/" + DB + "/tables/orders/partitions/p202603?force=true");
        assertThat(partitionIds("orders")).doesNotContainKey("p202603");

        Cli restore = cli("restore", "start", DB, LABEL, "--repo", REPOSITORY, "--on", "orders:p202603", "--wait");

        assertThat(restore.exit()).as(restore.err()).isEqualTo(SnapbusCli.OK);
        assertThat(restore.out()).contains("Label: " + LABEL, "State: FINISHED", "Status: [OK, msg: ]")
                .containsPattern("RestoreObjs: ON \\(`orders` PARTITIONS \\(p202603\\)\\)");
        JsonNode job = newestRestore();
        assertThat(job.get("replicas").asInt()).isEqualTo(4 * 3); // 4 buckets, 3 replicas
        assertThat(job.get("replicasChecked").asInt()).isEqualTo(job.get("replicas").asInt());
        assertThat(rows("orders", "?partition=p202603")).containsExactlyElementsOf(
                inMonth(backedUp.get("orders"), "03"));
        assertThat(rows("orders", "")).containsExactlyElementsOf(backedUp.get("orders"));
        Map<String, Long> after = partitionIds("orders");
        assertThat(after).containsEntry("p202601", partitionIds.get("p202601"))
                .containsEntry("p202602", partitionIds.get("p202602")).containsKey("p202603");
        assertThat(after.get("p202603")).isNotEqualTo(partitionIds.get("p202603"));
        // SHOW RESTORE lists it; a finished job cannot be cancelled.
        String id = job.get("jobId").asText();
        Cli list = cli("restore", "list", DB);
        assertThat(list.exit()).isEqualTo(SnapbusCli.OK);
        assertThat(list.out()).startsWith("JobId").containsPattern("(?m)^" + id + " +" + LABEL + " .*FINISHED");
        Cli cancel = cli("restore", "cancel", id);
        assertThat(cancel.exit()).isEqualTo(ExitCode.REFUSED);
        assertThat(cancel.err()).contains("(409): ");
    }

    @Test
    void viewsAndOdbcTablesAreRestoredAsMetadataAndAViewWithOtherSqlIsRefused() throws Exception {
        JsonNode before = objects();
        api().delete("/api/databases/" + DB + "/tables/" + VIEW);
        api().delete("/api/databases/" + DB + "/tables/" + ODBC_TABLE);
        assertThat(names(objects().get("views"))).doesNotContain(VIEW);
        assertThat(names(objects().get("odbcTables"))).doesNotContain(ODBC_TABLE);

        JsonNode job = restoreFinished(LABEL, List.of(table(VIEW, List.of(), null), table(ODBC_TABLE, List.of(), null)),
                Map.of());

        assertThat(job.get("replicas").asInt()).isZero();
        JsonNode after = objects();
        assertThat(withoutIds(after.get("views"))).isEqualTo(withoutIds(before.get("views")));
        assertThat(withoutIds(after.get("odbcTables"))).isEqualTo(withoutIds(before.get("odbcTables")));
        assertThat(after.get("views").findValuesAsText("sql")).contains(VIEW_SQL);

        // A view of the same name with other SQL: Doris's message, nothing changes.
        api().delete("/api/databases/" + DB + "/tables/" + VIEW);
        api().post("/api/databases/" + DB + "/views", Map.of("name", VIEW, "sql", "SELECT 1"));
        int jobs = api().get("/api/databases/" + DB + "/restores").size();
        assertThatThrownBy(() -> flow.startRestore(REPOSITORY, LABEL, List.of(table(VIEW, List.of(), null)),
                Map.of())).hasMessageContaining("View " + VIEW + " already exist but with different schema");
        assertThat(api().get("/api/databases/" + DB + "/restores").size()).isEqualTo(jobs);
        assertThat(objects().get("views").findValuesAsText("sql")).containsExactly("SELECT 1");
        // force_replace (honoured with atomic_restore only, as in Doris) takes the backup's view over the live one.
        restoreFinished(LABEL, List.of(table(VIEW, List.of(), null)), Map.of("atomic_restore", "true",
                "force_replace", "true"));
        assertThat(withoutIds(objects().get("views"))).isEqualTo(withoutIds(before.get("views")));
    }

    @Test
    void aMetadataOnlySnapshotRestoresAnEmptyTableWithThePartitionsThatTakesLoads() throws Exception {
        JsonNode backup = backup("more_meta", List.of("orders"), "METADATA_ONLY");
        assertThat(backup.get("state").asText()).as(backup.toString()).isEqualTo("FINISHED");

        JsonNode job = flow.awaitRestore(flow.startRestore(REPOSITORY, "more_meta", List.of(table("orders", List.of(),
                "orders_shape")), Map.of()));

        assertThat(job.get("state").asText()).as(job.toString()).isEqualTo("FINISHED");
        assertThat(job.get("replicasCreated").asInt()).isEqualTo(3 * 4 * 3);
        assertThat(job.get("replicasDownloaded").asInt()).isZero();
        JsonNode table = api().get("/api/databases/" + DB + "/tables/orders_shape");
        assertThat(table.get("state").asText()).isEqualTo("NORMAL");
        assertThat(partitionIds("orders_shape").keySet()).containsExactlyInAnyOrder("p202601", "p202602", "p202603");
        assertThat(rows("orders_shape", "")).isEmpty();
        api().postRows("/api/databases/" + DB + "/tables/orders_shape/loads", "application/x-ndjson",
                ("{\"order_id\":1,\"day\":\"2026-02-03\",\"customer_id\":1,\"amount\":\"1.00\",\"note\":\"first\"}\n")
                        .getBytes(StandardCharsets.UTF_8));
        assertThat(rows("orders_shape", "")).singleElement().satisfies(r -> assertThat(r).contains("\"first\""));
        assertThat(rows("orders", "")).containsExactlyElementsOf(backedUp.get("orders"));
        api().delete("/api/databases/" + DB + "/tables/orders_shape?force=true");
    }

    @Test
    void aRestoreFromADamagedRepositoryIsCancelledNamingTheFileAndChangesNoTable() throws Exception {
        // A full backup: its files are its own. An incremental one would share them with the first snapshot through
        // hard links, and damaging them in place (as a failing disk would) would damage both.
        JsonNode backup = backup("more_damaged", List.of("orders"), "ALL", "full");
        assertThat(backup.get("state").asText()).as(backup.toString()).isEqualTo("FINISHED");
        List<Path> rowsets = rowsetFiles("more_damaged");
        assertThat(rowsets).hasSizeGreaterThanOrEqualTo(3);
        Path flipped = rowsets.get(0);
        Path truncated = rowsets.get(1);
        Path deleted = rowsets.get(2);
        flipByte(flipped);
        Files.write(truncated, new byte[0]);
        Files.delete(deleted);
        // A row loaded after the backup: a restore that swapped anything in would lose it.
        api().postRows("/api/databases/" + DB + "/tables/orders/loads", "application/x-ndjson",
                ("{\"order_id\":60001,\"day\":\"2026-01-08\",\"customer_id\":2,\"amount\":\"2.00\","
                        + "\"note\":\"loaded after the backups\"}\n").getBytes(StandardCharsets.UTF_8));
        List<String> before = rows("orders", "");
        Map<String, Long> partitionIds = partitionIds("orders");

        Cli restore = cli("restore", "start", DB, "more_damaged", "--repo", REPOSITORY, "--on", "orders", "--wait");

        assertThat(restore.exit()).as(restore.out() + restore.err()).isEqualTo(ExitCode.CANCELLED);
        JsonNode job = newestRestore();
        assertThat(job.get("state").asText()).as(job.toString()).isEqualTo("CANCELLED");
        String status = job.get("status").asText();
        System.out.println("damaged repository restore status: " + status);
        assertThat(restore.out()).contains("Status: " + status);
        // Every download ends before the first MOVE, so the flipped or the truncated file ends the job, at its first
        // DOWNLOAD (no re-send fetches other bytes), with Doris's md5 message for it. (A deleted file alone would
        // fail the MOVE of the tablet's snapshot: storage-node's RestoreIntegrationTest.)
        assertThat(status).as(job.toString()).startsWith("[COMMON_ERROR, msg: Repository " + REPOSITORY
                + " holds a damaged file of snapshot more_damaged (its content does not match the md5 in its name);"
                + " nothing was restored. DOWNLOAD task ").contains("invalid md5 of downloaded file: ")
                .containsAnyOf(fileName(flipped), fileName(truncated))
                .endsWith("`snapbus snapshot verify " + REPOSITORY + " more_damaged --wait` names every damaged"
                        + " file]");
        assertThat(restore.out()).as("one attempt").doesNotContain("failed 3 times");
        assertThat(rows("orders", "")).containsExactlyElementsOf(before);
        assertThat(partitionIds("orders")).isEqualTo(partitionIds);
        assertThat(api().get("/api/databases/" + DB + "/tables/orders").get("state").asText()).isEqualTo("NORMAL");
        assertThat(names(objects().get("tables"))).containsExactlyInAnyOrder("orders", "customers");

        // Back as found: the first (intact) snapshot takes the late row out again.
        restoreFinished(LABEL, List.of(table("orders", List.of("p202601"), null)), Map.of());
        assertThat(rows("orders", "")).containsExactlyElementsOf(backedUp.get("orders"));
    }

    @Test
    void aSnapshotInS3IsRestoredWithEveryRowAndTheBackupsChecksums() throws Exception {
        S3Endpoint s3 = cluster.stack().s3().orElseThrow();
        try (S3Client client = S3Client.builder().endpointOverride(s3.endpoint()).region(Region.of(s3.region()))
                .forcePathStyle(true).credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(s3.accessKey(), s3.secretKey()))).build()) {
            client.createBucket(b -> b.bucket("more"));
        }
        api().post("/api/repositories", Map.of("name", "more_s3", "location", "s3://more/doris",
                "properties", Map.of("s3.endpoint", s3.endpoint().toString(), "s3.region", s3.region(),
                        "s3.path_style", "true"), "credentialRef", "local_s3"));
        long backupId = api().post("/api/databases/" + DB + "/backups", Map.of("label", "more_s3_snap",
                "repository", "more_s3", "tables", List.of(Map.of("name", "customers")),
                "timeoutSeconds", 3600)).get("jobId").asLong();
        JsonNode backup = flow.awaitBackup(backupId, "more_s3_snap");
        assertThat(backup.get("state").asText()).as(backup.toString()).isEqualTo("FINISHED");

        long jobId = flow.startRestore("more_s3", "more_s3_snap", List.of(table("customers", List.of(),
                "customers_s3")), Map.of());
        JsonNode job = flow.awaitRestore(jobId);

        assertThat(job.get("state").asText()).as(job.toString()).isEqualTo("FINISHED");
        assertThat(job.get("replicasChecked").asInt()).isEqualTo(3 * 4 * 3);
        assertThat(rows("customers_s3", "")).containsExactlyElementsOf(backedUp.get("customers"));
        ContentChecksum restored = TableChecksums.readBack(api(), DB, "customers_s3");
        assertThat(restored).isEqualTo(TableChecksums.readBack(api(), DB, "customers"));
        assertThat(restored.rows()).isEqualTo(backedUp.get("customers").size());
        api().delete("/api/databases/" + DB + "/tables/customers_s3?force=true");
    }

    private record Cli(int exit, String out, String err) {}

    /** Runs the {@code snapbus} command against this cluster's job-service. */
    private Cli cli(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--server", cluster.jobServiceUrl().toString()));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = SnapbusCli.run(all.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Cli(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** SHOW RESTORE's newest row of the database. */
    private JsonNode newestRestore() {
        JsonNode jobs = api().get("/api/databases/" + DB + "/restores");
        return jobs.get(jobs.size() - 1);
    }

    private JobServiceClient api() {
        return new JobServiceClient(cluster.jobServiceUrl());
    }

    /** Backs up {@code tables} of the database under {@code label} and waits; the final SHOW BACKUP row. */
    private JsonNode backup(String label, List<String> tables, String content) throws InterruptedException {
        return backup(label, tables, content, "incremental");
    }

    private JsonNode backup(String label, List<String> tables, String content, String type)
            throws InterruptedException {
        List<Map<String, Object>> named = new ArrayList<>();
        tables.forEach(t -> named.add(Map.of("name", t)));
        long jobId = api().post("/api/databases/" + DB + "/backups", Map.of("label", label, "repository", REPOSITORY,
                "tables", named, "timeoutSeconds", 3600, "content", content, "type", type)).get("jobId").asLong();
        return flow.awaitBackup(jobId, label);
    }

    private JsonNode restoreFinished(String label, List<Map<String, Object>> on, Map<String, String> properties)
            throws Exception {
        JsonNode job = flow.awaitRestore(flow.startRestore(REPOSITORY, label, on, properties));
        assertThat(job.get("state").asText()).as(job.toString()).isEqualTo("FINISHED");
        assertThat(job.get("replicasChecked").asInt()).isEqualTo(job.get("replicas").asInt());
        return job;
    }

    private List<String> rows(String table, String query) {
        String body = api().getText("/api/databases/" + DB + "/tables/" + table + "/rows" + query);
        return Arrays.stream(body.split("\n")).filter(l -> !l.isBlank()).sorted().toList();
    }

    private Map<String, Long> partitionIds(String table) {
        Map<String, Long> ids = new LinkedHashMap<>();
        api().get("/api/databases/" + DB + "/tables/" + table).get("partitions").forEach(p -> ids.put(
                p.get("name").asText(), p.get("id").asLong()));
        return ids;
    }

    /** {@code {"tables": [...], "views": [...], "odbcTables": [...]}} of the database. */
    private JsonNode objects() {
        return api().get("/api/databases/" + DB + "/tables");
    }

    private static List<String> names(JsonNode objects) {
        List<String> names = new ArrayList<>();
        objects.forEach(o -> names.add(o.get("name").asText()));
        return names;
    }

    /** The objects as text without their ids, which a restore gives anew. */
    private static List<String> withoutIds(JsonNode objects) {
        List<String> out = new ArrayList<>();
        objects.forEach(o -> {
            com.fasterxml.jackson.databind.node.ObjectNode copy = o.deepCopy();
            copy.remove("id");
            out.add(copy.toString());
        });
        return out.stream().sorted().toList();
    }

    private static Map<String, Object> table(String name, List<String> partitions, String alias) {
        Map<String, Object> table = new HashMap<>(Map.of("name", name, "partitions", partitions));
        if (alias != null) {
            table.put("alias", alias);
        }
        return table;
    }

    private static List<String> inMonth(List<String> rows, String month) {
        return rows.stream().filter(r -> r.contains("\"day\":\"2026-" + month + "-")).toList();
    }

    /** The snapshot's rowset files ({@code .dat}) in the repository on disk, one per tablet, sorted. */
    private List<Path> rowsetFiles(String label) throws Exception {
        Path content = dir.resolve("repo").resolve(RepositoryLayout.snapshotDir(REPOSITORY, label));
        Map<Path, Path> oneByTablet = new LinkedHashMap<>();
        try (Stream<Path> files = Files.walk(content)) {
            files.filter(p -> p.getFileName().toString().matches(".*\\.dat\\.[0-9a-f]{32}")).sorted()
                    .forEach(p -> oneByTablet.putIfAbsent(p.getParent(), p));
        }
        return List.copyOf(oneByTablet.values());
    }

    private static void flipByte(Path file) throws Exception {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            long at = raf.length() / 2;
            raf.seek(at);
            int b = raf.read();
            raf.seek(at);
            raf.write(b ^ 0x5A);
        }
    }

    /** The file's name without the md5 suffix the repository gives it. */
    private static String fileName(Path file) {
        String name = file.getFileName().toString();
        return name.substring(0, name.lastIndexOf('.'));
    }
}
