package io.snapbus.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.snapbus.local.LocalStackConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * RESTORE end to end as processes (broker, registry, 3 storage nodes, job-service, an agent): one backup of the
 * quickstart tables, restored in each way Doris offers, each time read back row for row and checked by the job
 * against the checksums the backup recorded. Every test leaves the tables as the backup had them, so any order works.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RestoreEndToEndIntegrationTest {
    private static final String DB = QuickstartFlow.DB;
    private static final String REPOSITORY = "restore_repo";
    private static final String LABEL = "nightly";

    @TempDir
    static Path dir;
    private LocalCluster cluster;
    private QuickstartFlow flow;
    /** Table to its rows at the backup, each a sorted line of NDJSON. */
    private final Map<String, List<String>> backedUp = new HashMap<>();

    @BeforeAll
    void startClusterAndBackUp() throws Exception {
        cluster = LocalCluster.start(LocalStackConfig.builder().dataDir(dir.resolve("stack"))
                        .startupTimeout(Duration.ofSeconds(180)).build(), 3, 1,
                Map.of(), Map.of("snapbus.backup.debug-points-enabled", "true",
                        "snapbus.restore.task-retry-initial-backoff", "3s"));
        flow = new QuickstartFlow(api(), new PrintStream(new ByteArrayOutputStream()));
        flow.prepare(cluster.nodes(), 2000);
        flow.createRepository(REPOSITORY, dir.resolve("repo"));
        JsonNode backup = flow.backup(REPOSITORY, LABEL);
        assertThat(backup.get("state").asText()).as(backup.toString()).isEqualTo("FINISHED");
        for (String table : QuickstartFlow.TABLES) {
            backedUp.put(table, rows(table, ""));
        }
        assertThat(backedUp.get("orders")).hasSize(2000);
    }

    @AfterAll
    void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** Lets a failed test leave no pause and no running restore behind for the next one. */
    @AfterEach
    void releasePausesAndCancelRunningRestores() {
        api().delete("/api/debug-points/restore-pauses");
        try {
            api().post("/api/databases/" + DB + "/restores/cancel", Map.of());
        } catch (IllegalStateException none) {
            // no restore was running
        }
    }

    private JobServiceClient api() {
        return new JobServiceClient(cluster.jobServiceUrl());
    }

    private List<String> rows(String table, String query) {
        String body = api().getText("/api/databases/" + DB + "/tables/" + table + "/rows" + query);
        return Arrays.stream(body.split("\n")).filter(l -> !l.isBlank()).sorted().toList();
    }

    private JsonNode restore(List<Map<String, Object>> on, Map<String, String> properties) throws Exception {
        JsonNode job = flow.awaitRestore(flow.startRestore(REPOSITORY, LABEL, on, properties));
        assertThat(job.get("state").asText()).as(job.toString()).isEqualTo("FINISHED");
        return job;
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

    /**
     * An incremental backup (the default) after one more load: the second snapshot holds every file it needs, but
     * only the new rowset and the tablet headers are new bytes; every other rowset file is a hard link to the first
     * snapshot's. Each snapshot restores to the rows of its own time, also once the first one's files are gone.
     */
    @Test
    void anIncrementalBackupStoresOnlyTheNewRowsetAndEachSnapshotRestoresOnItsOwn() throws Exception {
        String table = "ledger";
        api().post("/api/databases/" + DB + "/tables", Ledger.table(table, 4, 3));
        StringBuilder rows = new StringBuilder();
        for (int id = 0; id < 400; id++) {
            rows.append(Ledger.row(id, id % 2 == 0 ? "2026-01-15" : "2026-02-15"));
        }
        loadLedger(rows.toString());
        List<String> monday = rows(table, "");
        backUpLedger("ledger_mon");
        loadLedger(Ledger.row(1000, "2026-02-20"));
        List<String> tuesday = rows(table, "");
        assertThat(tuesday).hasSize(401);
        backUpLedger("ledger_tue");

        Path content = dir.resolve("repo/__palo_repository_" + REPOSITORY + "/__ss_ledger_tue/__ss_content");
        List<Path> files;
        try (var walk = java.nio.file.Files.walk(content)) {
            files = walk.filter(java.nio.file.Files::isRegularFile).toList();
        }
        List<Path> rowsets = files.stream().filter(f -> !f.getFileName().toString().contains(".hdr.")).toList();
        List<Path> linked = new ArrayList<>();
        for (Path rowset : rowsets) {
            if ((Integer) java.nio.file.Files.getAttribute(rowset, "unix:nlink") > 1) {
                linked.add(rowset);
            }
        }
        System.out.printf("incremental backup: %d files, %d rowset files, %d of them shared with ledger_mon%n",
                files.size(), rowsets.size(), linked.size());
        assertThat(files.size() - rowsets.size()).as("a header per tablet, always uploaded").isEqualTo(8);
        assertThat(rowsets.size() - linked.size()).as("rowset files stored anew: the one new load's").isEqualTo(1);
        assertThat(linked).as("rowset files shared with ledger_mon").hasSize(rowsets.size() - 1).isNotEmpty();

        api().delete("/api/databases/" + DB + "/tables/" + table + "?force=true");
        restoreLedger("ledger_mon");
        assertThat(rows(table, "")).containsExactlyElementsOf(monday);

        // A snapshot a running restore reads is not deleted; once that restore ended, it is.
        api().post("/api/debug-points/restore-pauses", Map.of("state", "DOWNLOADING", "labelPrefix", "ledger_mon"));
        long reading = flow.startRestore(REPOSITORY, "ledger_mon", List.of(table("ledger", List.of(), "ledger_copy")),
                Map.of());
        assertThatThrownBy(() -> api().delete("/api/v1/repositories/" + REPOSITORY + "/snapshots/ledger_mon"))
                .hasMessageContaining("Snapshot ledger_mon is being restored by restore job " + reading);
        api().post("/api/restores/" + reading + "/cancel", Map.of());
        api().delete("/api/debug-points/restore-pauses");
        JsonNode deleted = api().delete("/api/v1/repositories/" + REPOSITORY + "/snapshots/ledger_mon");
        assertThat(deleted.get("timestamps")).hasSize(1);
        assertThat(dir.resolve("repo/__palo_repository_" + REPOSITORY + "/__ss_ledger_mon")).doesNotExist();
        api().delete("/api/databases/" + DB + "/tables/" + table + "?force=true");
        restoreLedger("ledger_tue");
        assertThat(rows(table, "")).as("ledger_tue after ledger_mon was deleted").containsExactlyElementsOf(tuesday);
        api().delete("/api/databases/" + DB + "/tables/" + table + "?force=true");
    }

    private void loadLedger(String ndjson) {
        api().postRows("/api/databases/" + DB + "/tables/ledger/loads", "application/x-ndjson",
                ndjson.getBytes(StandardCharsets.UTF_8));
    }

    private void backUpLedger(String label) throws InterruptedException {
        JsonNode started = api().post("/api/databases/" + DB + "/backups", Map.of("label", label,
                "repository", REPOSITORY, "tables", List.of(Map.of("name", "ledger")), "timeoutSeconds", 3600));
        JsonNode job = flow.awaitBackup(started.get("jobId").asLong(), label);
        assertThat(job.get("state").asText()).as(job.toString()).isEqualTo("FINISHED");
    }

    private void restoreLedger(String label) throws InterruptedException {
        JsonNode job = flow.awaitRestore(flow.startRestore(REPOSITORY, label,
                List.of(table("ledger", List.of(), null)), Map.of()));
        assertThat(job.get("state").asText()).as(job.toString()).isEqualTo("FINISHED");
    }

    @Test
    void aDroppedTableComesBackWithEveryRowEachReplicaCheckedAgainstTheBackupsChecksums() throws Exception {
        api().delete("/api/databases/" + DB + "/tables/orders?force=true");

        JsonNode job = restore(List.of(table("orders", List.of(), null)), Map.of());

        assertThat(rows("orders", "")).containsExactlyElementsOf(backedUp.get("orders"));
        int replicas = job.get("replicas").asInt();
        assertThat(replicas).isEqualTo(3 * 4 * 3); // 3 partitions, 4 buckets, 3 replicas
        assertThat(job.get("replicasChecked").asInt()).isEqualTo(replicas);
        assertThat(job.get("replicasDownloaded").asInt()).isEqualTo(replicas);
        assertThat(job.get("status").asText()).isEqualTo("[OK, msg: ]");
        for (String column : List.of("jobId", "label", "timestamp", "dbName", "state", "allowLoad", "replicationNum",
                "replicaAllocation", "reserveReplica", "reserveDynamicPartitionEnable", "restoreObjs", "createTime",
                "metaPreparedTime", "snapshotFinishedTime", "downloadFinishedTime", "finishedTime", "unfinishedTasks",
                "progress", "taskErrMsg", "status", "timeout")) {
            assertThat(job.has(column)).as("SHOW RESTORE column %s in %s", column, job).isTrue();
        }
        assertThat(job.get("restoreObjs").asText()).isEqualTo("ON (`orders`)");
        JsonNode table = api().get("/api/databases/" + DB + "/tables/orders");
        assertThat(table.get("state").asText()).isEqualTo("NORMAL");
        // The restored table takes loads again, at the version after the backup's.
        api().postRows("/api/databases/" + DB + "/tables/orders/loads", "application/x-ndjson",
                ("{\"order_id\":99999,\"day\":\"2026-01-05\",\"customer_id\":1,\"amount\":\"1.00\","
                        + "\"note\":\"after restore\"}\n").getBytes(StandardCharsets.UTF_8));
        assertThat(rows("orders", "")).hasSize(2001);
        restore(List.of(table("orders", List.of("p202601"), null)), Map.of());
        assertThat(rows("orders", "")).containsExactlyElementsOf(backedUp.get("orders"));
    }

    @Test
    void onePartitionUnderAnAliasBecomesANewTableBesideTheLiveOne() throws Exception {
        restore(List.of(table("orders", List.of("p202601"), "orders_jan")), Map.of());

        assertThat(rows("orders_jan", "")).containsExactlyElementsOf(inMonth(backedUp.get("orders"), "01"));
        assertThat(rows("orders", "")).containsExactlyElementsOf(backedUp.get("orders"));
        JsonNode partitions = api().get("/api/databases/" + DB + "/tables/orders_jan").get("partitions");
        assertThat(partitions).hasSize(1);
        api().delete("/api/databases/" + DB + "/tables/orders_jan?force=true");
    }

    @Test
    void anOverwrittenPartitionIsTheBackupsAgainAndTheOthersKeepWhatWasLoadedSince() throws Exception {
        String late = "{\"order_id\":%d,\"day\":\"2026-%s-07\",\"customer_id\":2,\"amount\":\"2.00\","
                + "\"note\":\"loaded after the backup\"}\n";
        api().postRows("/api/databases/" + DB + "/tables/orders/loads", "application/x-ndjson",
                (String.format(late, 70001, "02") + String.format(late, 70002, "03")).getBytes(StandardCharsets.UTF_8));

        restore(List.of(table("orders", List.of("p202602"), null)), Map.of());

        assertThat(rows("orders", "?partition=p202602")).containsExactlyElementsOf(
                inMonth(backedUp.get("orders"), "02"));
        List<String> march = rows("orders", "?partition=p202603");
        assertThat(march).hasSize(inMonth(backedUp.get("orders"), "03").size() + 1);
        assertThat(march).anyMatch(r -> r.contains("70002"));
        restore(List.of(table("orders", List.of("p202603"), null)), Map.of());
        assertThat(rows("orders", "")).containsExactlyElementsOf(backedUp.get("orders"));
    }

    @Test
    void anAtomicRestoreKeepsTheLiveTableLoadableUntilItIsSwappedIn() throws Exception {
        AtomicBoolean loading = new AtomicBoolean(true);
        AtomicInteger loaded = new AtomicInteger();
        List<String> failures = new ArrayList<>();
        Thread loader = new Thread(() -> {
            int id = 900_000;
            while (loading.get()) {
                try {
                    api().postRows("/api/databases/" + DB + "/tables/customers/loads", "application/x-ndjson",
                            ("{\"customer_id\":" + id++ + ",\"day\":\"2026-02-02\",\"name\":\"live\",\"city\":\"Tartu\"}"
                                    + "\n").getBytes(StandardCharsets.UTF_8));
                    loaded.incrementAndGet();
                } catch (RuntimeException e) {
                    failures.add(e.getMessage());
                }
            }
        });
        loader.start();
        JsonNode job;
        try {
            job = restore(List.of(table("customers", List.of(), null)), Map.of("atomic_restore", "true"));
        } finally {
            loading.set(false);
            loader.join();
        }

        // Loads kept going into the live table; only one in flight at the swap may fail, as the table it wrote to
        // was replaced under it.
        assertThat(loaded.get()).isPositive();
        assertThat(failures).as("loads into the live table during the atomic restore").hasSizeLessThanOrEqualTo(1)
                .allSatisfy(f -> assertThat(f).contains("answered 409").contains("during load"));
        assertThat(job.get("replicasChecked").asInt()).isEqualTo(job.get("replicas").asInt());
        // The loader stops only once the job is seen FINISHED: a load that began after the swap wrote into the
        // restored table, by then the live one. Every other row is the backup's, exactly.
        List<String> restored = rows("customers", "");
        assertThat(restored.stream().filter(r -> !r.contains("\"name\":\"live\"")).toList())
                .containsExactlyElementsOf(backedUp.get("customers"));
        assertThat(restored.stream().filter(r -> r.contains("\"name\":\"live\"")).count())
                .isLessThanOrEqualTo(loaded.get());
        JsonNode tables = api().get("/api/databases/" + DB + "/tables");
        assertThat(tables.toString()).doesNotContain("__doris_atomic_restore_prefix__");
    }

    @Test
    void aRestoreCancelledInCommittingLeavesTheTableAsItWas() throws Exception {
        String late = "{\"order_id\":80001,\"day\":\"2026-01-09\",\"customer_id\":3,\"amount\":\"3.00\","
                + "\"note\":\"kept by the cancel\"}\n";
        api().postRows("/api/databases/" + DB + "/tables/orders/loads", "application/x-ndjson",
                late.getBytes(StandardCharsets.UTF_8));
        List<String> before = rows("orders", "");
        api().post("/api/debug-points/restore-pauses", Map.of("state", "COMMITTING", "labelPrefix", LABEL));
        long jobId = flow.startRestore(REPOSITORY, LABEL, List.of(table("orders", List.of("p202601"), null)),
                Map.of());
        // Held before the swap: every replica moved and checked, nothing swapped in.
        JsonNode held = awaitHeldBeforeSwap(jobId);
        assertThat(held.get("replicasMoved").asInt()).isEqualTo(held.get("replicas").asInt());

        api().post("/api/restores/" + jobId + "/cancel", Map.of());
        JsonNode job = flow.awaitRestore(jobId);

        assertThat(job.get("state").asText()).isEqualTo("CANCELLED");
        assertThat(job.get("status").asText()).isEqualTo("[COMMON_ERROR, msg: user cancelled, current state: "
                + "COMMITTING]");
        assertThat(rows("orders", "")).containsExactlyElementsOf(before);
        assertThat(api().get("/api/databases/" + DB + "/tables/orders").get("state").asText()).isEqualTo("NORMAL");
        api().delete("/api/debug-points/restore-pauses");
        restore(List.of(table("orders", List.of("p202601"), null)), Map.of());
        assertThat(rows("orders", "")).containsExactlyElementsOf(backedUp.get("orders"));
    }

    /** The job once it waits at the COMMITTING hold: commit step CHECKING with every replica checked. */
    private JsonNode awaitHeldBeforeSwap(long jobId) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode job = api().get("/api/restores/" + jobId);
            if (job.get("commitStep").asText().equals("CHECKING")
                    && job.get("replicasChecked").asInt() == job.get("replicas").asInt()) {
                return job;
            }
            assertThat(job.get("state").asText()).as(job.toString()).isNotIn("FINISHED", "CANCELLED");
            Thread.sleep(200);
        }
        throw new AssertionError("restore " + jobId + " never waited at the COMMITTING hold");
    }

    @Test
    void refusedRequestsAnswerDorissMessagesAndChangeNothing() {
        List<String> tablesBefore = tableNames();
        String timestamp = flow.backupTimestamp(REPOSITORY, LABEL);
        Map<String, String> ok = Map.of("backup_timestamp", timestamp);
        Map<String, String> wrongTime = Map.of("backup_timestamp", "2020-01-01-00-00-00");

        refused(List.of(), Map.of(), "Missing backup_timestamp property");
        refused(List.of(), wrongTime, "Failed to get info of snapshot 'nightly' because:");
        refused(List.of(table("nothing", List.of(), null)), ok, "Table nothing does not exist in snapshot nightly");
        refused(List.of(table("orders", List.of("p209901"), null)), ok,
                "Partition p209901 of table orders does not exist in snapshot");
        refused(List.of(), Map.of("backup_timestamp", timestamp, "timeout", "60"), "timeout must be at least 10 min");
        refused(List.of(), Map.of("backup_timestamp", timestamp, "force_replace", "maybe"),
                "Invalid boolean property force_replace value: maybe");
        refused(List.of(), Map.of("backup_timestamp", timestamp, "replication_num", "9"),
                "different replication num '3' with partition in repository, which is 9");
        assertThatThrownBy(() -> api().post("/api/databases/" + DB + "/restores", Map.of("label", LABEL,
                "repository", "no_such_repo", "properties", ok)))
                .hasMessageContaining("answered 404: Repository no_such_repo does not exist");

        assertThat(tableNames()).isEqualTo(tablesBefore);
        assertThat(api().get("/api/databases/" + DB + "/restores").toString()).doesNotContain("CREATING");
    }

    private void refused(List<Map<String, Object>> on, Map<String, String> properties, String message) {
        Map<String, Object> body = new HashMap<>(Map.of("label", LABEL, "repository", REPOSITORY, "properties",
                properties));
        if (!on.isEmpty()) {
            body.put("on", on);
        }
        int before = api().get("/api/databases/" + DB + "/restores").size();
        assertThatThrownBy(() -> api().post("/api/databases/" + DB + "/restores", body)).hasMessageContaining(message);
        assertThat(api().get("/api/databases/" + DB + "/restores").size()).as("no job for a refused request")
                .isEqualTo(before);
    }

    private List<String> tableNames() {
        List<String> names = new ArrayList<>();
        api().get("/api/databases/" + DB + "/tables").get("tables").forEach(t -> names.add(t.get("name").asText()
                + ":" + t.get("state").asText("")));
        return names.stream().sorted().collect(Collectors.toList());
    }
}
