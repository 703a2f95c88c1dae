package io.snapbus.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.snapbus.local.LocalStackConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A random sequence of loads, full and incremental backups, deletes (also of the snapshot a running backup reuses)
 * and retention runs on a live cluster: after every step each remaining snapshot verifies at level data, and one of
 * them, picked at random, restores to the rows the table had at its backup. The seed is printed; rerun one with
 * {@code -Dsnapbus.sequence.seed=N}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IncrementalSequenceIntegrationTest {
    private static final String DB = QuickstartFlow.DB;
    private static final String TABLE = "ledger";
    private static final String REPOSITORY = "seq_repo";
    private static final String POLICY = "keep_three";
    private static final int STEPS = 12;

    @TempDir
    static Path dir;
    private LocalCluster cluster;
    private QuickstartFlow flow;
    private final List<String> trace = new ArrayList<>();
    /** The remaining snapshots, oldest first, with the table's rows (sorted NDJSON lines) at each one's backup. */
    private final Map<String, List<String>> snapshots = new LinkedHashMap<>();
    private int nextId;
    private int nextLabel = 1;

    @BeforeAll
    void startCluster() {
        cluster = LocalCluster.start(LocalStackConfig.builder().dataDir(dir.resolve("stack"))
                .startupTimeout(Duration.ofSeconds(180)).build(), 1, 1);
        flow = new QuickstartFlow(api(), new PrintStream(new ByteArrayOutputStream()));
        api().post("/api/databases", Map.of("name", DB));
        api().post("/api/backends", Map.of("host", "127.0.0.1", "bePort", cluster.nodes().get(0).port()));
        api().post("/api/databases/" + DB + "/tables", Ledger.table(TABLE, 2, 1));
        flow.createRepository(REPOSITORY, dir.resolve("repo"));
        api().post("/api/v1/retention-policies", Map.of("name", POLICY, "repository", REPOSITORY, "maxCount", 3));
    }

    @AfterAll
    void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void everyRemainingSnapshotVerifiesAndRestoresToTheRowsOfItsTime() throws Exception {
        long seed = Long.getLong("snapbus.sequence.seed", System.nanoTime());
        System.out.println("incremental sequence: seed " + seed);
        Random random = new Random(seed);
        load(random, 40);
        backup(random, false);
        for (int step = 0; step < STEPS; step++) {
            int dice = random.nextInt(100);
            if (dice < 25) {
                load(random, 1 + random.nextInt(20));
            } else if (dice < 65) {
                backup(random, dice < 35 && !snapshots.isEmpty());
            } else if (dice < 80 && !snapshots.isEmpty()) {
                List<String> labels = new ArrayList<>(snapshots.keySet());
                delete(labels.get(random.nextInt(labels.size())));
            } else {
                JsonNode run = api().post("/api/v1/retention-policies/" + POLICY + "/run", Map.of());
                run.get("deleted").forEach(label -> snapshots.remove(label.asText()));
                trace.add("retention deleted " + run.get("deleted"));
            }
            check(random);
        }
        System.out.println("incremental sequence: " + trace);
    }

    private void load(Random random, int rows) {
        StringBuilder ndjson = new StringBuilder();
        for (int i = 0; i < rows; i++) {
            ndjson.append(Ledger.row(nextId++, "2026-0" + (1 + random.nextInt(2)) + "-1" + random.nextInt(10)));
        }
        api().postRows("/api/databases/" + DB + "/tables/" + TABLE + "/loads", "application/x-ndjson",
                ndjson.toString().getBytes(StandardCharsets.UTF_8));
        trace.add("load " + rows);
    }

    /**
     * A backup, full one time in four, counted toward the policy half the time; {@code deleteNewest}: the newest
     * snapshot, the one it reuses files from, is deleted while it runs.
     */
    private void backup(Random random, boolean deleteNewest) throws InterruptedException {
        String label = "s" + nextLabel++;
        boolean full = random.nextInt(4) == 0;
        Map<String, Object> body = new LinkedHashMap<>(Map.of("label", label, "repository", REPOSITORY,
                "tables", List.of(Map.of("name", TABLE)), "timeoutSeconds", 3600));
        if (full) {
            body.put("type", "full");
        }
        if (random.nextBoolean()) {
            body.put("retentionPolicy", POLICY);
        }
        List<String> rows = rows(TABLE);
        long jobId = api().post("/api/databases/" + DB + "/backups", body).get("jobId").asLong();
        String deleted = "";
        if (deleteNewest) {
            List<String> labels = new ArrayList<>(snapshots.keySet());
            deleted = labels.get(labels.size() - 1);
            delete(deleted);
        }
        JsonNode job = flow.awaitBackup(jobId, label);
        assertThat(job.get("state").asText()).as("%s: %s", trace, job).isEqualTo("FINISHED");
        snapshots.put(label, rows);
        trace.add((full ? "full " : "incremental ") + label + (body.containsKey("retentionPolicy") ? " (policy)" : "")
                + (deleteNewest ? ", " + deleted + " deleted meanwhile" : ""));
    }

    private void delete(String label) {
        JsonNode deleted = api().delete("/api/v1/repositories/" + REPOSITORY + "/snapshots/" + label);
        assertThat(deleted.get("label").asText()).isEqualTo(label);
        snapshots.remove(label);
        trace.add("delete " + label);
    }

    /** Each remaining snapshot verifies at level data; one of them restores to the rows of its time. */
    private void check(Random random) throws InterruptedException {
        List<String> listed = new ArrayList<>();
        api().get("/api/v1/repositories/" + REPOSITORY + "/snapshots?limit=100").get("items")
                .forEach(s -> listed.add(s.get("label").asText()));
        assertThat(listed).as("%s", trace).containsExactlyInAnyOrderElementsOf(snapshots.keySet());
        for (String label : snapshots.keySet()) {
            JsonNode report = flow.verify(REPOSITORY, label, "data");
            assertThat(report.get("state").asText()).as("verification of %s after %s: %s", label, trace, report)
                    .isEqualTo("PASSED");
        }
        if (snapshots.isEmpty()) {
            return;
        }
        List<String> labels = new ArrayList<>(snapshots.keySet());
        String label = labels.get(random.nextInt(labels.size()));
        JsonNode restore = flow.awaitRestore(flow.startRestore(REPOSITORY, label,
                List.of(Map.of("name", TABLE, "partitions", List.of(), "alias", "restored")),
                Map.of("replication_num", "1")));
        assertThat(restore.get("state").asText()).as("restore of %s after %s: %s", label, trace, restore)
                .isEqualTo("FINISHED");
        assertThat(rows("restored")).as("rows of %s after %s", label, trace)
                .containsExactlyElementsOf(snapshots.get(label));
        api().delete("/api/databases/" + DB + "/tables/restored?force=true");
    }

    private List<String> rows(String table) {
        String body = api().getText("/api/databases/" + DB + "/tables/" + table + "/rows");
        return Arrays.stream(body.split("\n")).filter(l -> !l.isBlank()).sorted().toList();
    }

    private JobServiceClient api() {
        return new JobServiceClient(cluster.jobServiceUrl());
    }
}
