package io.snapbus.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.snapbus.local.JavaService;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The quickstart's main flow against a running cluster, through the job-service's REST API only: a database, three
 * backends, two range-partitioned tables with three replicas, a few MB of rows, a filesystem repository, a backup of
 * both tables, a restore and a verification of the snapshot, each watched to its end with a live progress line.
 */
final class QuickstartFlow {
    static final String DB = "demo";
    static final String REPOSITORY = "local_repo";
    static final List<String> TABLES = List.of("orders", "customers");

    private final JobServiceClient api;
    private final PrintStream out;

    QuickstartFlow(JobServiceClient api, PrintStream out) {
        this.api = api;
        this.out = out;
    }

    /** Creates the database, backends and tables, loads {@code rows} rows per table. */
    void prepare(List<JavaService> nodes, int rows) {
        prepareOn(nodes.stream().map(node -> "127.0.0.1:" + node.port()).toList(), rows);
    }

    /** As {@link #prepare}, with the storage nodes given as {@code host:port} (a stack the CLI did not start). */
    void prepareOn(List<String> backends, int rows) {
        api.post("/api/databases", Map.of("name", DB));
        for (String backend : backends) {
            int colon = backend.lastIndexOf(':');
            if (colon <= 0 || !backend.substring(colon + 1).matches("\\d{1,5}")) {
                throw new IllegalArgumentException("a backend is host:port, got '" + backend + "'");
            }
            api.post("/api/backends", Map.of("host", backend.substring(0, colon),
                    "bePort", Integer.parseInt(backend.substring(colon + 1))));
        }
        api.post("/api/databases/" + DB + "/tables", table("orders", List.of(
                column("order_id", "BIGINT", true), column("day", "DATE", true),
                column("customer_id", "BIGINT", false), column("amount", "DECIMAL(18,2)", false),
                column("note", "VARCHAR(200)", false)), "day", "order_id"));
        api.post("/api/databases/" + DB + "/tables", table("customers", List.of(
                column("customer_id", "BIGINT", true), column("day", "DATE", true),
                column("name", "VARCHAR(64)", false), column("city", "VARCHAR(32)", false)), "day", "customer_id"));
        SplittableRandom random = new SplittableRandom(42);
        long started = System.nanoTime();
        load("orders", orders(random, rows));
        load("customers", customers(random, rows / 4));
        out.printf(Locale.ROOT, "loaded %d orders and %d customers in %.1f s%n", rows, rows / 4,
                (System.nanoTime() - started) / 1e9);
    }

    /** Creates a filesystem repository (writes its {@code __repo_info}). */
    void createRepository(String name, Path location) {
        api.post("/api/repositories", Map.of("name", name, "location", location.toUri().toString()));
    }

    /** Backs up both tables to the repository and waits, printing progress; returns the final job row. */
    JsonNode backup(String repository, String label) throws InterruptedException {
        return awaitBackup(startBackup(repository, label), label);
    }

    /** Starts a backup of both tables to the repository; returns the job id. */
    long startBackup(String repository, String label) {
        List<Map<String, Object>> tables = new ArrayList<>();
        TABLES.forEach(t -> tables.add(Map.of("name", t)));
        JsonNode job = api.post("/api/databases/" + DB + "/backups", Map.of("label", label, "repository", repository,
                "tables", tables, "timeoutSeconds", 3600));
        return job.get("jobId").asLong();
    }

    /** Waits for a backup to finish or be cancelled, printing progress; returns the final job row. */
    JsonNode awaitBackup(long jobId, String label) throws InterruptedException {
        return await("/api/backups/" + jobId, job -> String.format(Locale.ROOT,
                "backup %s: %-15s snapshots %d/%d  uploads %d/%d", label, job.get("state").asText(),
                job.get("tabletsSnapshotted").asInt(), job.get("tablets").asInt(),
                job.get("tabletsUploaded").asInt(), job.get("tablets").asInt()));
    }

    /** Polls a job until it is FINISHED or CANCELLED, printing {@code line} of it whenever the line changes. */
    private JsonNode await(String path, Function<JsonNode, String> line) throws InterruptedException {
        return await(path, line, job -> job.get("state").asText().equals("FINISHED")
                || job.get("state").asText().equals("CANCELLED"));
    }

    /** Polls {@code path} until {@code ended}, printing {@code line} of it in place whenever the line changes. */
    private JsonNode await(String path, Function<JsonNode, String> line, Predicate<JsonNode> ended)
            throws InterruptedException {
        String last = "";
        while (true) {
            JsonNode job = api.get(path);
            String shown = line.apply(job);
            if (!shown.equals(last)) {
                out.print("\r" + shown);
                out.flush();
                last = shown;
            }
            if (ended.test(job)) {
                out.println();
                return job;
            }
            Thread.sleep(200);
        }
    }

    /** The newest backup timestamp ({@code yyyy-MM-dd-HH-mm-ss}) of snapshot {@code label} in the repository. */
    String backupTimestamp(String repository, String label) {
        for (JsonNode snapshot : api.get("/api/repositories/" + repository + "/snapshots")) {
            if (snapshot.get("label").asText().equals(label) && !snapshot.get("timestamps").isEmpty()) {
                // yyyy-MM-dd-HH-mm-ss: the greatest text is the newest time, whatever order the listing has
                String newest = "";
                for (JsonNode timestamp : snapshot.get("timestamps")) {
                    newest = timestamp.asText().compareTo(newest) > 0 ? timestamp.asText() : newest;
                }
                return newest;
            }
        }
        throw new IllegalStateException("snapshot " + label + " is not in repository " + repository);
    }

    /**
     * Starts RESTORE SNAPSHOT {@code label} into the database; {@code on}: the tables (name, and optionally partitions
     * and alias), empty for every object; without {@code backup_timestamp} in {@code properties} the label's newest;
     * returns the job id.
     */
    long startRestore(String repository, String label, List<Map<String, Object>> on, Map<String, String> properties) {
        Map<String, String> all = new LinkedHashMap<>(properties);
        if (!all.containsKey("backup_timestamp")) {
            all.put("backup_timestamp", backupTimestamp(repository, label));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("label", label);
        body.put("repository", repository);
        body.put("properties", all);
        if (!on.isEmpty()) {
            body.put("on", on);
        }
        return api.post("/api/databases/" + DB + "/restores", body).get("jobId").asLong();
    }

    /** Waits for a restore to finish or be cancelled, printing progress; returns the final job row. */
    JsonNode awaitRestore(long jobId) throws InterruptedException {
        return await("/api/restores/" + jobId, job -> String.format(Locale.ROOT,
                "restore %s: %-12s replicas %d: created %d, downloaded %d, moved %d, checked %d",
                job.get("label").asText(), job.get("state").asText(), job.get("replicas").asInt(),
                job.get("replicasCreated").asInt(), job.get("replicasDownloaded").asInt(),
                job.get("replicasMoved").asInt(), job.get("replicasChecked").asInt()));
    }

    /**
     * Verifies the label's newest backup at {@code level} ("files" or "data") to its end, printing its progress, then
     * each problem and its outcome; returns the final report.
     */
    JsonNode verify(String repository, String label, String level) throws InterruptedException {
        long id = api.post("/api/repositories/" + repository + "/snapshots/" + label + "/verify",
                Map.of("level", level)).get("id").asLong();
        JsonNode report = await("/api/verifications/" + id, job -> String.format(Locale.ROOT,
                "verify %s: %-8s %d/%d files, %d/%d tablets, %d rows, %d problems", label, job.get("state").asText(),
                job.at("/counts/filesChecked").asLong(), job.at("/counts/filesTotal").asLong(),
                job.at("/counts/tabletsChecked").asLong(), job.at("/counts/tabletsTotal").asLong(),
                job.at("/counts/rowsRead").asLong(), job.get("problemsTotal").asLong()),
                job -> !job.get("state").asText().equals("RUNNING"));
        for (JsonNode problem : report.get("problems")) {
            out.println("  " + problem.get("kind").asText() + " " + problem.get("path").asText());
        }
        out.println(report.get("state").asText() + ": " + report.path("message").asText());
        return report;
    }

    private void load(String table, String ndjson) {
        api.postRows("/api/databases/" + DB + "/tables/" + table + "/loads", "application/x-ndjson",
                ndjson.getBytes(StandardCharsets.UTF_8));
    }

    private static Map<String, Object> table(String name, List<Map<String, Object>> columns, String partitionColumn,
            String bucketColumn) {
        List<Map<String, Object>> partitions = new ArrayList<>();
        for (int month = 1; month <= 3; month++) {
            partitions.add(Map.of("name", "p2026" + String.format("%02d", month),
                    "lower", "2026-" + String.format("%02d", month) + "-01",
                    "upper", "2026-" + String.format("%02d", month + 1) + "-01"));
        }
        return Map.of("name", name, "keysType", "DUP_KEYS", "columns", columns, "partitionColumn", partitionColumn,
                "partitions", partitions, "distributionColumns", List.of(bucketColumn), "buckets", 4,
                "replicationNum", 3);
    }

    /** A column of a create-table request. */
    static Map<String, Object> column(String name, String type, boolean key) {
        return Map.of("name", name, "type", type, "isKey", key, "nullable", !key);
    }

    private static String orders(SplittableRandom random, int rows) {
        NdjsonRows out = new NdjsonRows(rows * 128);
        LocalDate start = LocalDate.of(2026, 1, 1);
        for (int i = 0; i < rows; i++) {
            int id = i;
            out.row(row -> {
                row.writeNumberField("order_id", id);
                row.writeStringField("day", start.plusDays(random.nextInt(90)).toString());
                row.writeNumberField("customer_id", random.nextInt(rows / 4 + 1));
                row.writeStringField("amount", Double.toString(random.nextInt(100_000) / 100.0));
                row.writeStringField("note", "order note " + Long.toHexString(random.nextLong())
                        + Long.toHexString(random.nextLong()));
            });
        }
        return new String(out.toBytes(), StandardCharsets.UTF_8);
    }

    private static String customers(SplittableRandom random, int rows) {
        NdjsonRows out = new NdjsonRows(rows * 80);
        LocalDate start = LocalDate.of(2026, 1, 1);
        String[] cities = {"Berlin", "Lisbon", "Osaka", "Quito", "Tartu", "Perth"};
        for (int i = 0; i < rows; i++) {
            int id = i;
            out.row(row -> {
                row.writeNumberField("customer_id", id);
                row.writeStringField("day", start.plusDays(random.nextInt(90)).toString());
                row.writeStringField("name", "customer " + id);
                row.writeStringField("city", cities[random.nextInt(cities.length)]);
            });
        }
        return new String(out.toBytes(), StandardCharsets.UTF_8);
    }
}
