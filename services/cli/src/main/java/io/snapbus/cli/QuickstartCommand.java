package io.snapbus.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.snapbus.local.LocalStack;
import io.snapbus.repository.RepositoryLayout;
import io.snapbus.rows.ContentChecksum;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code snapbus quickstart}: the main flow on the embedded default. Starts a KRaft broker, the schema registry,
 * three storage nodes, a job-service and two backend-agents as processes; creates two partitioned tables with three
 * replicas, loads rows, backs them up to a filesystem repository with a live progress line, shows the SHOW BACKUP
 * row and the repository; then drops one table, restores it and the other under an alias (each replica checked
 * against the backup's checksums), verifies the snapshot's data, prints rows and checksums at the backup and read
 * back side by side, and stops everything (unless {@code --keep}).
 */
@Command(name = "quickstart", description = {"Start the embedded default (Kafka, the schema registry, 3 storage "
        + "nodes, the job-service, 2 agents), load two tables, back them up, restore them, verify the snapshot's "
        + "data, and stop it all (--keep: leave it up for the job-service commands, e.g. snapbus backup list demo)."})
public final class QuickstartCommand implements LocalCommand {
    static final String STACK_NAME = "quickstart";
    private static final int ORDERS = 40_000;

    private final PrintStream out;

    @Mixin
    DataFolder data;

    @Mixin
    KafkaOptions kafka;

    @Option(names = "--keep", description = "Leave the stack running (stop it with: snapbus down --data DIR).")
    boolean keep;

    QuickstartCommand(PrintStream out) {
        this.out = out;
    }

    @Override
    public Integer call() throws Exception {
        Path dataDir = data.orDefault(STACK_NAME);
        if (LocalStack.running(dataDir).isRunning()) {
            throw new IllegalStateException("a stack already runs from " + dataDir
                    + "; stop it first with: snapbus down --data " + dataDir);
        }
        requireQuickstartFolder(dataDir);
        deleteTree(dataDir);
        out.println("starting " + kafka.describe() + ", the schema registry, 3 storage nodes, the job-service and 2"
                + " agents in " + dataDir + " ...");
        long started = System.nanoTime();
        LocalCluster cluster = LocalCluster.start(kafka.stackConfig(dataDir).stopWithOwner(!keep).build(), 3, 2);
        try {
            out.printf(Locale.ROOT, "ready in %.1f s: job-service %s, kafka %s%n", (System.nanoTime() - started) / 1e9,
                    cluster.jobServiceUrl(), cluster.stack().bootstrapServers());
            QuickstartFlow flow = new QuickstartFlow(new JobServiceClient(cluster.jobServiceUrl()), out);
            flow.prepare(cluster.nodes(), ORDERS);
            Path repository = dataDir.resolve("repository");
            String label = "quickstart_" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss"));
            flow.createRepository(QuickstartFlow.REPOSITORY, repository);
            JsonNode job = flow.backup(QuickstartFlow.REPOSITORY, label);
            printShowBackup(job);
            printRepository(repository);
            if (!job.get("state").asText().equals("FINISHED")) {
                throw new IllegalStateException("the backup ended " + job.get("state").asText() + ": "
                        + job.get("status").asText());
            }
            restoreAndCompare(flow, new JobServiceClient(cluster.jobServiceUrl()), repository, label);
            if (keep) {
                out.println("left running (stop it with: snapbus down --data " + dataDir + "); job-service at "
                        + cluster.jobServiceUrl() + ", which the other commands use, e.g.: snapbus backup list "
                        + QuickstartFlow.DB);
                return SnapbusCli.OK;
            }
        } catch (Exception e) {
            cluster.close();
            throw e;
        }
        out.print("stopping ... ");
        cluster.close();
        out.println("done, nothing left running");
        return SnapbusCli.OK;
    }

    /**
     * Drops {@code customers}, restores it and {@code orders} as {@code orders_restored}, verifies the snapshot's data
     * and prints, per table, the rows and content checksum the backup recorded next to those read back now.
     */
    private void restoreAndCompare(QuickstartFlow flow, JobServiceClient api, Path repository, String label)
            throws Exception {
        Map<String, ContentChecksum> atBackup = TableChecksums.recorded(new ObjectMapper().readTree(
                Files.readString(jobInfo(repository, label))));
        out.println("dropping table customers, then restoring it, and orders as orders_restored ...");
        api.delete("/api/databases/" + QuickstartFlow.DB + "/tables/customers");
        long jobId = flow.startRestore(QuickstartFlow.REPOSITORY, label, List.of(Map.of("name", "customers"),
                Map.of("name", "orders", "alias", "orders_restored")), Map.of());
        JsonNode restore = flow.awaitRestore(jobId);
        printShowRestore(restore);
        if (!restore.get("state").asText().equals("FINISHED")) {
            throw new IllegalStateException("the restore ended " + restore.get("state").asText() + ": "
                    + restore.get("status").asText());
        }
        JsonNode verified = flow.verify(QuickstartFlow.REPOSITORY, label, "data");
        out.printf(Locale.ROOT, "%-10s %8s %21s   %-16s %8s %21s%n", "backed up", "rows", "checksum", "read back",
                "rows", "checksum");
        boolean equal = true;
        for (String[] pair : List.of(new String[] {"orders", "orders"}, new String[] {"orders", "orders_restored"},
                new String[] {"customers", "customers"})) {
            ContentChecksum before = atBackup.get(pair[0]);
            ContentChecksum now = TableChecksums.readBack(api, QuickstartFlow.DB, pair[1]);
            equal &= before.equals(now);
            out.printf(Locale.ROOT, "%-10s %8d %21d   %-16s %8d %21d  %s%n", pair[0], before.rows(),
                    before.checksum(), pair[1], now.rows(), now.checksum(), before.equals(now) ? "equal" : "DIFFERENT");
        }
        if (!equal || !verified.get("state").asText().equals("PASSED")) {
            throw new IllegalStateException("the restored data differs from the backup's, or its verification failed");
        }
    }

    /** The backup's job info file in the local repository. */
    private static Path jobInfo(Path repository, String label) throws IOException {
        Path dir = repository.resolve(RepositoryLayout.snapshotDir(QuickstartFlow.REPOSITORY, label));
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().startsWith(RepositoryLayout.PREFIX_JOB_INFO))
                    .findFirst().orElseThrow(() -> new IllegalStateException("no job info in " + dir));
        }
    }

    /** SHOW BACKUP of one job: a column a line, in Doris's order. */
    private void printShowBackup(JsonNode job) {
        printShow("SHOW BACKUP", job, List.of("jobId", "snapshotName", "dbName", "state", "backupObjs", "createTime",
                "snapshotFinishedTime", "uploadFinishedTime", "finishedTime", "unfinishedTasks", "progress",
                "taskErrMsg", "status", "timeout"));
    }

    /** SHOW RESTORE of one job: a column a line, in Doris's order. */
    private void printShowRestore(JsonNode job) {
        printShow("SHOW RESTORE", job, List.of("jobId", "label", "timestamp", "dbName", "state", "allowLoad",
                "replicationNum", "replicaAllocation", "reserveReplica", "reserveDynamicPartitionEnable",
                "restoreObjs", "createTime", "metaPreparedTime", "snapshotFinishedTime", "downloadFinishedTime",
                "finishedTime", "unfinishedTasks", "progress", "taskErrMsg", "status", "timeout"));
    }

    private void printShow(String statement, JsonNode job, List<String> columns) {
        out.println(statement + ":");
        int width = columns.stream().mapToInt(String::length).max().orElse(0);
        for (String column : columns) {
            out.printf(Locale.ROOT, "  %-" + width + "s %s%n", column, job.path(column).asText());
        }
    }

    /** The repository as a tree down to the tables, with tablets, files and bytes under each table. */
    private void printRepository(Path repository) throws IOException {
        out.println("repository " + repository.toUri() + ":");
        try (Stream<Path> walk = Files.walk(repository)) {
            for (Path p : walk.filter(p -> !p.equals(repository)).sorted().toList()) {
                Path relative = repository.relativize(p);
                String name = p.getFileName().toString();
                String indent = "  ".repeat(relative.getNameCount());
                if (name.startsWith(RepositoryLayout.PREFIX_TBL)) {
                    long[] totals = totals(p);
                    out.printf(Locale.ROOT, "%s%s/  %d tablets, %d files, %.2f MB%n", indent, name, totals[0],
                            totals[1], totals[2] / 1e6);
                } else if (relative.getNameCount() <= 4 && !insideTable(relative)) {
                    out.println(indent + name + (Files.isDirectory(p) ? "/" : ""));
                }
            }
        }
    }

    private static boolean insideTable(Path relative) {
        for (Path part : relative) {
            if (part.toString().startsWith(RepositoryLayout.PREFIX_TBL)) {
                return true;
            }
        }
        return false;
    }

    /** Tablet dirs, files and bytes under a table dir. */
    private static long[] totals(Path table) throws IOException {
        long[] totals = new long[3];
        try (Stream<Path> walk = Files.walk(table)) {
            for (Path p : walk.toList()) {
                if (Files.isDirectory(p) && p.getFileName().toString().matches("__\\d+")) {
                    totals[0]++;
                } else if (Files.isRegularFile(p)) {
                    totals[1]++;
                    totals[2] += Files.size(p);
                }
            }
        }
        return totals;
    }

    /** Quickstart wipes its folder: refuse one that holds anything but an earlier quickstart's data. */
    static void requireQuickstartFolder(Path dataDir) throws IOException {
        if (!Files.isDirectory(dataDir)) {
            return;
        }
        try (Stream<Path> entries = Files.list(dataDir)) {
            List<String> names = entries.map(p -> p.getFileName().toString()).toList();
            if (!names.isEmpty() && !names.contains("run") && !names.contains("logs")) {
                throw new IllegalArgumentException("data folder " + dataDir + " is not empty and holds no earlier"
                        + " quickstart (quickstart wipes its folder); choose another --data or empty it");
            }
        }
    }

    /**
     * Deletes a folder and everything under it, depth first as it walks (a million-tablet bench tree has ~5 M
     * entries: listing and sorting them all first took longer than deleting them); absent is fine, and so is an
     * entry that vanished meanwhile. Symbolic links are deleted, never followed.
     */
    public static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(root, new java.nio.file.SimpleFileVisitor<>() {
            @Override
            public java.nio.file.FileVisitResult visitFile(Path file,
                    java.nio.file.attribute.BasicFileAttributes attributes) throws IOException {
                Files.deleteIfExists(file);
                return java.nio.file.FileVisitResult.CONTINUE;
            }

            @Override
            public java.nio.file.FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof java.nio.file.NoSuchFileException) {
                    return java.nio.file.FileVisitResult.CONTINUE;
                }
                throw e;
            }

            @Override
            public java.nio.file.FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (e != null && !(e instanceof java.nio.file.NoSuchFileException)) {
                    throw e;
                }
                Files.deleteIfExists(dir);
                return java.nio.file.FileVisitResult.CONTINUE;
            }
        });
    }
}
