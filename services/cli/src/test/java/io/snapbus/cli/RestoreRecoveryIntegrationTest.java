package io.snapbus.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.snapbus.kafka.KafkaClients;
import io.snapbus.kafka.SnapbusKafkaProperties;
import io.snapbus.local.LocalStackConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * RESTORE survives its coordinator and its nodes dying, on the local cluster (broker, registry, 3 storage nodes,
 * job-service, an agent as processes). A restore is held in a state by a debug point, the job-service is killed with
 * SIGKILL right there, and the new one finishes it like an uninterrupted run: every row of the backup, every replica
 * checked against the backup's checksums, and no local tablet downloaded by two DOWNLOAD runs (counted from the nodes'
 * finish reports on task-results). Then a storage node is killed while an existing partition is being overwritten,
 * in DOWNLOADING and in the middle of a MOVE: the restore finishes, and every read of the live partition meanwhile is
 * either entirely the old partition or entirely the backup's. Downloads are capped per node so DOWNLOADING lasts a
 * few seconds, long enough to kill in it with some downloads reported and some not. The restore's task window is
 * smaller than the restores, so each state sends its tasks ten replicas at a time.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RestoreRecoveryIntegrationTest {
    private static final String DB = QuickstartFlow.DB;
    private static final String REPOSITORY = "restore_recovery";
    private static final String LABEL = "nightly";
    /** 3 partitions of 4 buckets, 3 replicas each: 12 local tablets per node. */
    private static final int ORDERS_REPLICAS = 36;
    /** The storage node the node tests kill; with 3 replicas on 3 nodes it holds a replica of every tablet. */
    private static final int KILLED_NODE = 2;
    private static final Duration DONE_WITHIN = Duration.ofSeconds(180);

    @TempDir
    static Path dir;
    private LocalCluster cluster;
    private KafkaClients clients;
    /** Table to its rows at the backup, each a sorted line of NDJSON. */
    private final Map<String, List<String>> backedUp = new HashMap<>();
    /** Set while a storage node runs with a MOVE debug point, so a failed test leaves no stuck node behind. */
    private boolean nodePaused;

    @BeforeAll
    void startClusterAndBackUp() throws Exception {
        cluster = LocalCluster.start(LocalStackConfig.builder().dataDir(dir.resolve("stack"))
                        .startupTimeout(Duration.ofSeconds(180)).build(), 3, 1,
                // Two tablets per DOWNLOAD and a bandwidth cap: DOWNLOADING reports replicas a few at a time.
                Map.of("snapbus.node.download_max_bytes_per_second", "24000"),
                Map.of("snapbus.backup.debug-points-enabled", "true",
                        "snapbus.restore.task-retry-initial-backoff", "2s",
                        "snapbus.restore.download-batch-size", "2",
                        // Fewer replicas awaited at once than the restores have: every state sends in windows, and
                        // a killed job-service's successor goes on with the rest of the window it was in.
                        "snapbus.restore.task-window", "10"));
        clients = new KafkaClients(SnapbusKafkaProperties.local(cluster.stack().bootstrapServers(),
                cluster.stack().registryUrl()));
        QuickstartFlow flow = flow();
        flow.prepare(cluster.nodes(), 2000);
        flow.createRepository(REPOSITORY, dir.resolve("repo"));
        JsonNode backup = flow.backup(REPOSITORY, LABEL);
        assertThat(backup.get("state").asText()).as(backup.toString()).isEqualTo("FINISHED");
        backedUp.put("orders", rows("orders", ""));
        assertThat(backedUp.get("orders")).hasSize(2000);
    }

    /** A failed test leaves no pause, no running restore and no node stuck in a debug point behind. */
    @AfterEach
    void releasePausesAndCancelRunningRestores() {
        if (nodePaused) {
            cluster.killAndRestartNode(KILLED_NODE);
            nodePaused = false;
        }
        api().delete("/api/debug-points/restore-pauses");
        try {
            api().post("/api/databases/" + DB + "/restores/cancel", Map.of());
        } catch (IllegalStateException none) {
            // no restore was running
        }
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

    @ParameterizedTest(name = "killed in {0}")
    @ValueSource(strings = {"PENDING", "CREATING", "SNAPSHOTING", "DOWNLOAD", "DOWNLOADING", "COMMIT", "COMMITTING"})
    void aJobServiceKilledInAStateResumesAndRestoresEveryRowDownloadingNoTabletTwice(String state) throws Exception {
        String alias = "orders_" + state.toLowerCase();
        pause(state, false);
        long jobId = flow().startRestore(REPOSITORY, LABEL, List.of(table("orders", List.of(), alias)), Map.of());
        JsonNode held = awaitJob(jobId, Duration.ofSeconds(120), heldIn(state));

        cluster.killJobService();
        long killedAt = System.currentTimeMillis();
        cluster.startJobService();
        api().delete("/api/debug-points/restore-pauses"); // the new job-service holds nothing; this says so

        JsonNode job = awaitJob(jobId, DONE_WITHIN, RestoreRecoveryIntegrationTest::isDone);
        assertThat(job.get("state").asText()).as(job.toString()).isEqualTo("FINISHED");
        assertThat(job.get("status").asText()).isEqualTo("[OK, msg: ]");
        assertThat(job.get("replicas").asInt()).isEqualTo(ORDERS_REPLICAS);
        assertThat(job.get("replicasChecked").asInt()).as("replicas checked against the backup's checksums")
                .isEqualTo(ORDERS_REPLICAS);
        assertThat(rows(alias, "")).containsExactlyElementsOf(backedUp.get("orders"));
        NodeTaskReports reports = NodeTaskReports.of(clients, jobId);
        Map<String, Integer> runs = reports.downloadRunsPerLocalTablet();
        assertThat(runs).as("local tablets downloaded into").hasSize(ORDERS_REPLICAS);
        assertThat(runs).as("DOWNLOAD runs that named each local tablet complete: none twice")
                .allSatisfy((tablet, count) -> assertThat(count).as(tablet).isEqualTo(1));
        if (state.equals("DOWNLOADING")) {
            // The kill came with some downloads reported and some still running or unsent; the new job-service
            // took the reports published while none ran, and sent only what was left.
            Set<String> before = reports.downloadedBefore(killedAt);
            System.out.printf("killed in DOWNLOADING: SHOW RESTORE had %d of %d replicas downloaded, %d reported "
                    + "by the kill%n", held.get("replicasDownloaded").asInt(), ORDERS_REPLICAS, before.size());
            assertThat(before).as("local tablets downloaded before the kill").isNotEmpty()
                    .hasSizeLessThan(ORDERS_REPLICAS);
        }
        api().delete("/api/databases/" + DB + "/tables/" + alias + "?force=true");
    }

    /**
     * When the job is there to be killed: in the state with every task of it answered (a state SHOW RESTORE shows is
     * persisted), except DOWNLOADING, killed once the first downloads are in and others are not, and COMMITTING,
     * held at CHECKING with every replica checked (the last step before the swap).
     */
    private static Predicate<JsonNode> heldIn(String state) {
        return job -> {
            if (!job.get("state").asText().equals(state)) {
                return false;
            }
            return switch (state) {
                case "DOWNLOADING" -> job.get("replicasDownloaded").asInt() > 0;
                case "COMMITTING" -> job.get("commitStep").asText().equals("CHECKING")
                        && job.get("replicasChecked").asInt() == job.get("replicas").asInt();
                default -> job.get("unfinishedTasks").asText().equals("[]");
            };
        };
    }

    @Test
    void aNodeKilledWhileDownloadingIntoAnOverwrittenPartitionLeavesItWholeAndTheRestoreFinishes() throws Exception {
        Map<String, List<String>> before = loadLateRowsIntoOrders(71_000);
        pause("DOWNLOADING", false);
        PartitionWatch watch = PartitionWatch.start(this, "p202602", before.get("p202602"), february());
        try {
            long jobId = flow().startRestore(REPOSITORY, LABEL, List.of(table("orders", List.of("p202602"), null)),
                    Map.of());
            awaitJob(jobId, Duration.ofSeconds(120), job -> job.get("state").asText().equals("DOWNLOADING")
                    && job.get("replicasDownloaded").asInt() > 0);

            cluster.killAndRestartNode(KILLED_NODE);
            long killedAt = System.currentTimeMillis();

            assertThat(rows("orders", "?partition=p202602")).as("p202602 while held after the node came back")
                    .containsExactlyElementsOf(before.get("p202602"));
            api().delete("/api/debug-points/restore-pauses");
            JsonNode job = awaitJob(jobId, DONE_WITHIN, RestoreRecoveryIntegrationTest::isDone);
            assertFinishedWithFebruaryOverwritten(job, before);
            long backend = backendOf(KILLED_NODE);
            Set<String> downloadedBefore = NodeTaskReports.of(clients, jobId).downloadedBefore(killedAt);
            System.out.printf("node %d killed in DOWNLOADING with %d of its 4 local tablets downloaded%n", KILLED_NODE,
                    downloadedBefore.stream().filter(t -> t.startsWith(backend + "/")).count());
        } finally {
            watch.stop();
        }
        watch.assertEachReadWasOneWholePartition();
    }

    @Test
    void aNodeKilledInTheMiddleOfAMoveLeavesTheOverwrittenPartitionWholeAndTheRestoreFinishes() throws Exception {
        Map<String, List<String>> before = loadLateRowsIntoOrders(72_000);
        // COMMITTING is entered with its MOVE tasks unsent; the node comes back with a debug point that stops its
        // first MOVE for good after the tablet's old dir was retired and before the new one is in place.
        pause("COMMITTING", true);
        PartitionWatch watch = PartitionWatch.start(this, "p202602", before.get("p202602"), february());
        try {
            long jobId = flow().startRestore(REPOSITORY, LABEL, List.of(table("orders", List.of("p202602"), null)),
                    Map.of());
            awaitJob(jobId, Duration.ofSeconds(120), job -> job.get("state").asText().equals("COMMITTING")
                    && job.get("commitStep").asText().equals("MOVING"));
            cluster.killAndRestartNode(KILLED_NODE, Map.of("snapbus.node.debug_pause_move_at", "LIVE_RETIRED"));
            nodePaused = true;
            api().delete("/api/debug-points/restore-pauses");
            Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .until(() -> moveMarkers(KILLED_NODE), markers -> !markers.isEmpty());
            JsonNode moving = api().get("/api/restores/" + jobId);
            assertThat(moving.get("state").asText() + "/" + moving.get("commitStep").asText()).as(moving.toString())
                    .isEqualTo("COMMITTING/MOVING");
            assertThat(rows("orders", "?partition=p202602")).as("p202602 with a MOVE stopped half-way")
                    .containsExactlyElementsOf(before.get("p202602"));

            cluster.killAndRestartNode(KILLED_NODE);
            nodePaused = false;

            JsonNode job = awaitJob(jobId, DONE_WITHIN, RestoreRecoveryIntegrationTest::isDone);
            assertFinishedWithFebruaryOverwritten(job, before);
        } finally {
            watch.stop();
        }
        watch.assertEachReadWasOneWholePartition();
    }

    private void assertFinishedWithFebruaryOverwritten(JsonNode job, Map<String, List<String>> before) {
        assertThat(job.get("state").asText()).as(job.toString()).isEqualTo("FINISHED");
        assertThat(job.get("replicas").asInt()).isEqualTo(12);
        assertThat(job.get("replicasChecked").asInt()).isEqualTo(12);
        assertThat(rows("orders", "?partition=p202602")).containsExactlyElementsOf(february());
        for (String untouched : List.of("p202601", "p202603")) {
            assertThat(rows("orders", "?partition=" + untouched)).as("%s keeps what was loaded since", untouched)
                    .containsExactlyElementsOf(before.get(untouched));
        }
    }

    // ---- helpers ----

    private JobServiceClient api() {
        return new JobServiceClient(cluster.jobServiceUrl());
    }

    /** The quickstart flow against the current job-service (a restarted one listens on another port). */
    private QuickstartFlow flow() {
        return new QuickstartFlow(api(), new PrintStream(new ByteArrayOutputStream()));
    }

    private void pause(String state, boolean beforeTasks) {
        api().post("/api/debug-points/restore-pauses", Map.of("state", state, "labelPrefix", LABEL,
                "beforeTasks", beforeTasks));
    }

    /**
     * The restore's row once {@code condition} holds, failing at once if it ended otherwise; answers that fail
     * meanwhile (a restarting service) are retried.
     */
    private JsonNode awaitJob(long jobId, Duration atMost, Predicate<JsonNode> condition) {
        JsonNode job = Awaitility.await().atMost(atMost).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .until(() -> api().get("/api/restores/" + jobId), j -> condition.test(j) || isDone(j));
        assertThat(condition.test(job)).as("restore ended before it was awaited: %s", job).isTrue();
        return job;
    }

    private static boolean isDone(JsonNode job) {
        return job.get("state").asText().equals("FINISHED") || job.get("state").asText().equals("CANCELLED");
    }

    List<String> rows(String table, String query) {
        String body = api().getText("/api/databases/" + DB + "/tables/" + table + "/rows" + query);
        return Arrays.stream(body.split("\n")).filter(l -> !l.isBlank()).sorted().toList();
    }

    private List<String> february() {
        return backedUp.get("orders").stream().filter(r -> r.contains("\"day\":\"2026-02-")).toList();
    }

    /** Loads a row into each month of orders after the backup; returns each partition's rows then. */
    private Map<String, List<String>> loadLateRowsIntoOrders(int firstId) {
        StringBuilder late = new StringBuilder();
        for (int month = 1; month <= 3; month++) {
            late.append(String.format("{\"order_id\":%d,\"day\":\"2026-%02d-07\",\"customer_id\":2,\"amount\":"
                    + "\"2.00\",\"note\":\"loaded after the backup\"}%n", firstId + month, month));
        }
        api().postRows("/api/databases/" + DB + "/tables/orders/loads", "application/x-ndjson",
                late.toString().getBytes(StandardCharsets.UTF_8));
        Map<String, List<String>> partitions = new TreeMap<>();
        for (String partition : List.of("p202601", "p202602", "p202603")) {
            partitions.put(partition, rows("orders", "?partition=" + partition));
        }
        assertThat(partitions.get("p202602")).as("p202602 differs from the backup's").isNotEqualTo(february());
        return partitions;
    }

    private static Map<String, Object> table(String name, List<String> partitions, String alias) {
        Map<String, Object> table = new HashMap<>(Map.of("name", name, "partitions", partitions));
        if (alias != null) {
            table.put("alias", alias);
        }
        return table;
    }

    private long backendOf(int node) {
        int port = cluster.nodes().get(node - 1).port();
        for (JsonNode backend : api().get("/api/backends")) {
            if (backend.get("bePort").asInt() == port) {
                return backend.get("id").asLong();
            }
        }
        throw new AssertionError("no backend on port " + port);
    }

    /** The MOVE debug point's markers ({@code restore/paused-at-<STEP>}) under the node's storage root. */
    private List<Path> moveMarkers(int node) throws Exception {
        try (Stream<Path> files = Files.walk(cluster.nodeRoot(node))) {
            return files.filter(f -> f.getFileName().toString().startsWith("paused-at-")).toList();
        }
    }

    /**
     * Reads one partition of orders over and over while a restore overwrites it, and keeps what each read saw: the
     * partition as it was, the backup's, or anything else (a half-overwritten partition), in order.
     */
    private static final class PartitionWatch {
        private final RestoreRecoveryIntegrationTest test;
        private final String partition;
        private final List<String> before;
        private final List<String> backup;
        private final List<String> seen = new ArrayList<>();
        private final List<String> failures = new ArrayList<>();
        private volatile boolean watching = true;
        private final Thread reader;

        private PartitionWatch(RestoreRecoveryIntegrationTest test, String partition, List<String> before,
                List<String> backup) {
            this.test = test;
            this.partition = partition;
            this.before = before;
            this.backup = backup;
            this.reader = new Thread(this::watch, "partition-watch");
        }

        static PartitionWatch start(RestoreRecoveryIntegrationTest test, String partition, List<String> before,
                List<String> backup) {
            PartitionWatch watch = new PartitionWatch(test, partition, before, backup);
            watch.reader.start();
            return watch;
        }

        private void watch() {
            while (watching) {
                try {
                    List<String> rows = test.rows("orders", "?partition=" + partition);
                    String kind = rows.equals(before) ? "before" : rows.equals(backup) ? "backup"
                            : "other (" + rows.size() + " rows)";
                    synchronized (this) {
                        if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(kind)) {
                            seen.add(kind);
                        }
                    }
                } catch (RuntimeException e) {
                    synchronized (this) {
                        failures.add(e.getMessage());
                    }
                }
                try {
                    Thread.sleep(50); // leaves the busy machine some room between reads; nothing is asserted on it
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        void stop() throws InterruptedException {
            watching = false;
            reader.join();
        }

        synchronized void assertEachReadWasOneWholePartition() {
            System.out.printf("reads of %s during the restore: %s; %d failed%s%n", partition, seen, failures.size(),
                    failures.isEmpty() ? "" : ", first: " + failures.get(0));
            assertThat(seen).as("what the reads of %s saw, in order", partition)
                    .containsExactly("before", "backup");
            assertThat(failures).as("failed reads of %s", partition).isEmpty();
        }
    }
}
