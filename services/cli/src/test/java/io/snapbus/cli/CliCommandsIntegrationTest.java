package io.snapbus.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every job-service operation of the README through the {@code snapbus} command against a live stack (broker,
 * registry, a storage node, job-service, an agent as processes): each command's JSON output and exit code, the
 * refusals (exit 2 for a wrong option, 3 not found, 4 refused), and {@code --watch}: in a terminal (a pseudo-terminal
 * made by {@code script}) one bar redrawn until FINISHED, piped a line per event. The tests build on each other's
 * objects, in order.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CliCommandsIntegrationTest {
    private static final String DB = "shop";
    private static final int ROWS = 3000;

    @TempDir
    static Path dir;
    private LocalCluster cluster;
    private final ObjectMapper json = new ObjectMapper();
    private String server;

    @BeforeAll
    void startCluster() {
        cluster = LocalCluster.startWatchable(dir.resolve("stack"));
        server = cluster.jobServiceUrl().toString();
    }

    @AfterAll
    void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void catalogCommandsCreateLoadAndShowTheDemoData() throws Exception {
        assertThat(ok("db", "create", DB).get("name").asText()).isEqualTo(DB);
        assertThat(names(ok("db", "list"), "name")).contains(DB);
        int port = cluster.nodes().get(0).port();
        JsonNode backend = ok("backend", "add", "127.0.0.1:" + port);
        assertThat(backend.get("bePort").asInt()).isEqualTo(port);
        assertThat(names(ok("backend", "list"), "bePort")).containsExactly(Integer.toString(port));

        JsonNode created = ok("table", "create", DB, "orders", "--column", "id:BIGINT:key", "--column", "day:DATE:key",
                "--column", "amount:INT", "--keys-type", "DUP_KEYS", "--partition-by", "day",
                "--partition", "p202601::2026-02-01", "--partition", "p202602:2026-02-01:2026-03-01",
                "--distributed-by", "id", "--buckets", "4", "--replication-num", "1");
        assertThat(created.get("name").asText()).isEqualTo("orders");
        assertThat(names(ok("table", "list", DB).get("tables"), "name")).contains("orders");

        Path rows = dir.resolve("orders.ndjson");
        Files.writeString(rows, IntStream.range(0, ROWS).mapToObj(i -> String.format(
                "{\"id\": %d, \"day\": \"2026-%02d-%02d\", \"amount\": %d}", i, 1 + i % 2, 1 + i % 28, i * 7))
                .collect(Collectors.joining("\n", "", "\n")));
        assertThat(ok("load", DB, "orders", "--file", rows.toString()).get("rows").asLong()).isEqualTo(ROWS);
        JsonNode shown = ok("table", "show", DB, "orders");
        assertThat(names(shown.get("partitions"), "name")).containsExactly("p202601", "p202602");
        JsonNode firstRows = ok("rows", DB, "orders", "--limit", "5");
        assertThat(firstRows.size()).isEqualTo(5);
        assertThat(firstRows.get(0).has("amount")).isTrue();
        Run table = run("rows", DB, "orders", "--limit", "5");
        assertThat(table.out().lines().findFirst().orElseThrow()).contains("id", "day", "amount");

        assertThat(ok("partition", "add", DB, "orders", "p202603:2026-03-01:2026-04-01").get("name").asText())
                .isEqualTo("p202603");
        assertThat(ok("partition", "truncate", DB, "orders", "p202603").get("visibleVersion").asLong())
                .isEqualTo(1);
        assertThat(ok("partition", "drop", DB, "orders", "p202603").get("dropped").asText()).isEqualTo("p202603");
        JsonNode bin = ok("recycle-bin", "list");
        assertThat(names(bin, "name")).contains("p202603");
        JsonNode recovered = ok("recycle-bin", "recover", DB, "--table", "orders", "--partition", "p202603");
        assertThat(recovered.get("kind").asText()).isEqualTo("PARTITION");
        assertThat(names(ok("table", "show", DB, "orders").get("partitions"), "name"))
                .containsExactly("p202601", "p202602", "p202603");

        assertThat(ok("view", "create", DB, "big_orders", "--sql", "SELECT id FROM orders WHERE amount > 100")
                .get("sql").asText()).isEqualTo("SELECT id FROM orders WHERE amount > 100");
        assertThat(ok("resource", "create", "mysql_shop", "--property", "type=odbc_catalog", "--property",
                "host=127.0.0.1", "--property", "port=3306", "--property", "driver=MySQL ODBC 8.0",
                "--property", "odbc_type=mysql").get("name").asText()).isEqualTo("mysql_shop");
        assertThat(names(ok("resource", "list"), "name")).contains("mysql_shop");
        assertThat(ok("odbc-table", "create", DB, "remote_orders", "--resource", "mysql_shop", "--remote-database",
                "shop", "--remote-table", "orders", "--column", "id:BIGINT").get("resourceName").asText())
                .isEqualTo("mysql_shop");
        JsonNode objects = ok("table", "list", DB);
        assertThat(names(objects.get("views"), "name")).containsExactly("big_orders");
        assertThat(names(objects.get("odbcTables"), "name")).containsExactly("remote_orders");
    }

    @Test
    @Order(2)
    void aBackupStartedWithWatchOnATerminalRedrawsOneBarUntilFinished() throws Exception {
        assertThat(ok("repo", "create", "backups", "--location", dir.resolve("repo").toUri().toString())
                .get("storageType").asText()).isEqualTo("FILESYSTEM");
        assertThat(names(ok("repo", "list"), "name")).contains("backups");
        assertThat(ok("repo", "show", "backups").get("location").asText()).contains("/repo");
        Run alter = run("repo", "alter", "backups", "--property", "s3.region=eu-west-1");
        assertThat(alter.exit()).as(alter.toString()).isEqualTo(4);
        assertThat(ok("repo", "show", "backups").get("properties").has("s3.region")).isFalse();

        Run watched = inTerminal("backup", "start", DB, "nightly", "--repo", "backups", "--on", "orders", "--watch");
        assertThat(watched.exit()).as(watched.toString()).isZero();
        // One line redrawn: frames separated by carriage returns, the last one the finished bar.
        List<String> frames = Stream.of(watched.out().split("\r")).map(String::strip)
                .filter(frame -> frame.startsWith("backup ")).toList();
        System.out.println("the bar's frames in the terminal:\n" + String.join("\n", frames));
        assertThat(frames).as(watched.out()).hasSizeGreaterThan(2);
        assertThat(frames).anyMatch(frame -> frame.contains("UPLOADING") && frame.contains("["));
        assertThat(frames.get(frames.size() - 1)).contains("FINISHED", "[########################] 12/12");
        assertThat(watched.out()).contains("State: FINISHED", "SnapshotName: nightly");

        JsonNode jobs = ok("backup", "list", DB);
        assertThat(jobs.get("items").get(0).get("state").asText()).isEqualTo("FINISHED");
        long jobId = jobs.get("items").get(0).get("jobId").asLong();
        assertThat(ok("backup", "show", Long.toString(jobId)).get("tabletsUploaded").asInt()).isEqualTo(12);
        Run again = run("backup", "cancel", Long.toString(jobId));
        assertThat(again.exit()).as(again.toString()).isEqualTo(4);
        assertThat(again.err()).contains("can not be cancelled");
        assertThat(run("backup", "show", "424242").exit()).isEqualTo(3);

        JsonNode local = ok("backup", "start", DB, "hourly", "--repo", "__keep_on_local__", "--on", "orders",
                "--wait");
        assertThat(local.get("state").asText()).isEqualTo("FINISHED");
        assertThat(names(ok("local-snapshot", "list", DB), "label")).containsExactly("hourly");
        assertThat(ok("local-snapshot", "get", DB, "hourly").get("jobInfo").isObject()).isTrue();
    }

    @Test
    @Order(3)
    void snapshotsAreListedAndVerifiedAndARestoreWatchedThroughAPipePrintsALinePerEvent() throws Exception {
        JsonNode snapshots = ok("snapshot", "list", "backups");
        assertThat(names(snapshots.get("items"), "label")).containsExactly("nightly");
        String timestamp = snapshots.get("items").get(0).get("timestamps").get(0).asText();
        assertThat(ok("snapshot", "show", "backups", "nightly").get("timestamps").get(0).asText())
                .isEqualTo(timestamp);
        JsonNode verified = ok("snapshot", "verify", "backups", "nightly", "--level", "data", "--wait");
        assertThat(verified.get("state").asText()).isEqualTo("PASSED");
        assertThat(ok("snapshot", "verification", verified.get("id").asText()).get("problemsTotal").asLong())
                .isZero();

        Run piped = run("restore", "start", DB, "nightly", "--repo", "backups", "--on", "orders=orders_copy",
                "--property", "replication_num=1", "--watch");
        assertThat(piped.exit()).as(piped.toString()).isZero();
        List<String> events = piped.err().lines().filter(line -> line.contains(" restore ")).toList();
        assertThat(events.get(0)).contains("CURRENT");
        assertThat(events).anyMatch(line -> line.contains("STATE_CHANGED") && line.contains("-> DOWNLOADING"));
        assertThat(events.get(events.size() - 1)).contains("FINISHED", "-> FINISHED", "24/24 moves and checks");
        assertThat(piped.err()).doesNotContain("\r");
        assertThat(piped.out()).contains("State: FINISHED", "Label: nightly");
        assertThat(ok("rows", DB, "orders_copy")).isEqualTo(ok("rows", DB, "orders")).hasSize(ROWS);

        JsonNode restores = ok("restore", "list", DB);
        long restoreId = restores.get("items").get(0).get("jobId").asLong();
        assertThat(ok("restore", "show", Long.toString(restoreId)).get("replicasChecked").asInt()).isEqualTo(12);
        assertThat(run("restore", "cancel", Long.toString(restoreId)).exit()).isEqualTo(4);
        assertThat(run("restore", "cancel-all", DB).exit()).isEqualTo(3);

        // A full backup next to the incremental one, then deleted: the first snapshot stays whole.
        JsonNode full = ok("backup", "start", DB, "weekly", "--repo", "backups", "--on", "orders", "--full", "--wait");
        assertThat(full.get("state").asText()).isEqualTo("FINISHED");
        JsonNode deleted = ok("snapshot", "delete", "backups", "weekly");
        assertThat(deleted.get("label").asText()).isEqualTo("weekly");
        assertThat(deleted.get("timestamps")).hasSize(1);
        assertThat(run("snapshot", "delete", "backups", "weekly").exit()).isEqualTo(3);
        JsonNode deletions = Awaitility.await().atMost(Duration.ofSeconds(30)).until(
                () -> ok("history", "--type", "delete", "--label", "weekly"), found -> found.size() == 1);
        assertThat(deletions.get(0).get("state").asText()).isEqualTo("DELETED");
        assertThat(deletions.get(0).get("message").asText()).contains("snapshot weekly deleted (user)");
        assertThat(names(ok("snapshot", "list", "backups").get("items"), "label")).containsExactly("nightly");
        assertThat(ok("snapshot", "verify", "backups", "nightly", "--wait").get("state").asText())
                .isEqualTo("PASSED");
    }

    /**
     * A schedule every 4 seconds with a policy keeping 2: real backups (the first full, then incremental), on across a
     * SIGKILL of the job-service, and what is left verifies and restores to the table's rows.
     */
    @Test
    @Order(4)
    void aScheduleBacksUpAtItsCronTimesAcrossAJobServiceRestartAndItsPolicyKeepsTwo() throws Exception {
        ok("policy", "create", "keep_two", "--repo", "backups", "--max-count", "2");
        JsonNode created = ok("schedule", "create", "frequent", DB, "--on", "orders", "--repo", "backups", "--cron",
                "*/4 * * * * *", "--policy", "keep_two", "--alarm-after", "3");
        assertThat(created.get("nextRunMs").asLong()).isGreaterThan(System.currentTimeMillis() - 1000);
        JsonNode beforeRestart = awaitSucceededRuns(2);

        cluster.killAndRestartJobService();
        server = cluster.jobServiceUrl().toString();
        JsonNode afterRestart = awaitSucceededRuns(beforeRestart.get("runs").asLong() + 2);
        assertThat(afterRestart.get("consecutiveFailures").asInt()).isZero();
        assertThat(ok("schedule", "pause", "frequent").get("paused").asBoolean()).isTrue();
        JsonNode paused = Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                .until(() -> ok("schedule", "show", "frequent"), s -> !s.get("lastOutcome").asText().isEmpty());
        if (paused.get("lastOutcome").asText().equals("SUCCEEDED")) {
            ok("policy", "run", "keep_two"); // the backup that ended after the pause was not applied to yet
        }

        List<String> kept = names(ok("snapshot", "list", "backups").get("items"), "label").stream()
                .filter(label -> label.startsWith("frequent_")).toList();
        System.out.printf("schedule frequent: %s runs, kept %s%n", paused.get("runs"), kept);
        assertThat(kept).as("the policy keeps the newest two").hasSize(2)
                .contains(afterRestart.get("lastLabel").asText());
        for (String label : kept) {
            assertThat(ok("snapshot", "verify", "backups", label, "--level", "data", "--wait").get("state").asText())
                    .as(label).isEqualTo("PASSED");
        }
        Run restored = run("restore", "start", DB, kept.get(0), "--repo", "backups", "--on", "orders=orders_sched",
                "--property", "replication_num=1", "--wait");
        assertThat(restored.exit()).as(restored.toString()).isZero();
        assertThat(ok("rows", DB, "orders_sched")).isEqualTo(ok("rows", DB, "orders"));
        assertThat(ok("schedule", "delete", "frequent").get("dropped").asText()).isEqualTo("frequent");
        assertThat(ok("policy", "delete", "keep_two").get("dropped").asText()).isEqualTo("keep_two");
        assertThat(ok("table", "drop", DB, "orders_sched", "--force").get("dropped").asText())
                .isEqualTo("orders_sched");
    }

    /** The schedule once {@code runs} of its backups started and the last one succeeded. */
    private JsonNode awaitSucceededRuns(long runs) {
        return Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250)).until(
                () -> ok("schedule", "show", "frequent"), s -> s.get("runs").asLong() >= runs
                        && s.get("lastOutcome").asText().equals("SUCCEEDED"));
    }

    @Test
    @Order(5)
    void wrongOptionsAreRefusedWithExitTwoAndNothingSent() throws Exception {
        Run unknown = run("backup", "start", DB, "x", "--repo", "backups", "--on", "orders", "--bogus");
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err()).contains("Unknown option: '--bogus'");
        Run missing = run("repo", "create", "nowhere");
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).contains("Missing required option: '--location=URI'");
        assertThat(names(ok("repo", "list"), "name")).doesNotContain("nowhere");
        assertThat(names(ok("backup", "list", DB).get("items"), "snapshotName")).doesNotContain("x");
    }

    @Test
    @Order(6)
    void whatWasCreatedIsDropped() throws Exception {
        assertThat(ok("repo", "delete", "backups").get("dropped").asText()).isEqualTo("backups");
        assertThat(ok("table", "drop", DB, "orders_copy", "--force").get("dropped").asText())
                .isEqualTo("orders_copy");
        assertThat(ok("db", "drop", DB, "--force").get("dropped").asText()).isEqualTo(DB);
        assertThat(names(ok("db", "list"), "name")).doesNotContain(DB);
    }

    // ---- helpers ----

    private record Run(int exit, String out, String err) {}

    /** Runs the command in this JVM against the stack's job-service. */
    private Run run(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--server", server));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = SnapbusCli.run(all.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Runs the command with {@code -o json}; it must exit 0; its stdout as JSON. */
    private JsonNode ok(String... args) throws IOException {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("-o", "json"));
        Run run = run(all.toArray(String[]::new));
        assertThat(run.exit()).as("snapbus %s: %s", String.join(" ", args), run).isZero();
        return json.readTree(run.out());
    }

    /** Runs the command as its own process on a pseudo-terminal ({@code script}); stdout and stderr mixed. */
    private Run inTerminal(String... args) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                SnapbusCli.class.getName()));
        command.addAll(List.of(args));
        command.addAll(List.of("--server", server));
        String line = command.stream().map(word -> "'" + word.replace("'", "'\\''") + "'")
                .collect(Collectors.joining(" "));
        Process process = new ProcessBuilder("script", "-qfec", line, "/dev/null").redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.PIPE).start();
        try {
            byte[] output = process.getInputStream().readAllBytes();
            assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
            return new Run(process.exitValue(), new String(output, StandardCharsets.UTF_8), "");
        } finally {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    private static List<String> names(JsonNode list, String field) {
        List<String> names = new ArrayList<>();
        list.forEach(item -> names.add(item.get(field).asText()));
        return names;
    }
}
