package io.snapbus.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.snapbus.cli.JobServiceClient;
import io.snapbus.cli.LocalCluster;
import io.snapbus.cli.QuickstartCommand;
import io.snapbus.jobs.backup.BackupJob;
import io.snapbus.jobs.backup.shell.BackupJobReplay;
import io.snapbus.kafka.KafkaClients;
import io.snapbus.kafka.SnapbusKafkaProperties;
import io.snapbus.kafka.SnapbusTopic;
import io.snapbus.contract.TaskSignatures;
import io.snapbus.local.JavaService;
import io.snapbus.local.LocalStackConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code first_result_after_restart} figure of {@code snapbus bench recovery}: a backup of {@code tablets}
 * tablets on the local cluster is held in SNAPSHOTING (debug point), its job-service is killed with SIGKILL once the
 * first snapshot result was applied, the nodes finish their snapshots while it is down (their results wait on
 * task-results), then a new job-service starts; the figure is the time from that process's start to the first
 * snapshot result it applies (the job's snapshot count above what the killed one had persisted). Also counted: the
 * results the restarted job-service dropped ("dropping ... no listener" in its log) and the MAKE_SNAPSHOT tasks the
 * nodes executed for the job (more than one per tablet: a snapshot was taken twice).
 */
final class RestartRecovery {
    private static final String REPOSITORY = "restart";
    private static final String LABEL = "restart_bench";
    /** What a node logs for each task it executed (duplicates of a known signature are not run). */
    private static final Pattern EXECUTED = Pattern.compile("(MAKE_SNAPSHOT|UPLOAD) (\\d+) finished in ");
    private static final Pattern DROPPED = Pattern.compile("dropping .* no listener");
    private static final String START_MARKER = "==== snapbus-local: starting job-service";
    private static final Duration NODES_DONE_WAIT = Duration.ofSeconds(120);
    private static final Duration FIRST_RESULT_WAIT = Duration.ofMinutes(10);
    private static final Duration FINISH_WAIT = Duration.ofMinutes(20);

    private final Path dataDir;
    private final int requestedTablets;
    private final PrintStream out;

    RestartRecovery(Path dataDir, int tablets, PrintStream out) {
        this.dataDir = dataDir;
        this.requestedTablets = tablets;
        this.out = out;
    }

    void run() throws Exception {
        QuickstartCommand.deleteTree(dataDir);
        try {
            measure();
        } finally {
            QuickstartCommand.deleteTree(dataDir);
        }
    }

    private void measure() throws Exception {
        ScaleData.Shape shape = ScaleData.Shape.forTablets(requestedTablets);
        int tablets = shape.tablets();
        progress("starting the local cluster in %s (%s)", dataDir, shape.describe());
        try (LocalCluster cluster = LocalCluster.start(LocalStackConfig.builder().dataDir(dataDir).build(), 3, 2,
                Map.of(), Map.of("snapbus.backup.debug-points-enabled", "true"))) {
            JobServiceClient api = new JobServiceClient(cluster.jobServiceUrl());
            new ScaleData(api, shape).build(cluster.nodes(), m -> progress("%s", m));
            api.post("/api/repositories", Map.of("name", REPOSITORY, "location",
                    dataDir.resolve("repository").toUri().toString()));
            api.post("/api/debug-points/backup-pauses", Map.of("state", "SNAPSHOTING", "labelPrefix", LABEL));
            List<Map<String, Object>> tables = new ArrayList<>();
            for (int t = 0; t < ScaleData.TABLES; t++) {
                tables.add(Map.of("name", ScaleData.table(t)));
            }
            long jobId = api.post("/api/databases/" + ScaleData.DB + "/backups", Map.of("label", LABEL,
                    "repository", REPOSITORY, "tables", tables, "timeoutSeconds", 86_400)).get("jobId").asLong();

            int seenAtKill = awaitFirstSnapshot(api, jobId);
            cluster.killJobService();
            progress("job-service killed (SIGKILL) in SNAPSHOTING with %d/%d snapshots applied", seenAtKill, tablets);
            int persisted = persistedSnapshots(cluster, jobId);
            int executedWhileDown = awaitNodeSnapshots(cluster, jobId, tablets);
            progress("while it was down: %d of the job's snapshots persisted, nodes executed %d MAKE_SNAPSHOT",
                    persisted, executedWhileDown);

            cluster.startJobService();
            JavaService restarted = cluster.jobService();
            Instant processStart = ProcessHandle.of(restarted.pid()).flatMap(p -> p.info().startInstant())
                    .orElseThrow(() -> new IllegalStateException("no start time of the restarted job-service"));
            api = new JobServiceClient(cluster.jobServiceUrl());
            FirstResult first = awaitFirstResult(api, jobId, persisted);
            double readySeconds = Duration.between(processStart, first.firstAnswer()).toNanos() / 1e9;
            double resultSeconds = first.at() == null ? -1
                    : Duration.between(processStart, first.at()).toNanos() / 1e9;
            progress("restarted job-service answered %.1f s after its process started; first result applied after"
                    + " %.1f s (%s)", readySeconds, resultSeconds, first.how());

            String state = awaitEnd(api, jobId);
            int dropped = droppedResults(restarted.logFile());
            Map<String, Integer> executed = executedTasks(cluster, jobId);
            int snapshots = executed.getOrDefault("MAKE_SNAPSHOT", 0);
            out.printf(Locale.ROOT, "{\"scenario\":\"recovery\",\"metric\":\"first_result_after_restart\","
                    + "\"value\":%.2f,\"unit\":\"s\",\"tablets\":%d,\"snapshots_applied_at_kill\":%d,"
                    + "\"snapshots_persisted_at_kill\":%d,\"snapshots_executed_while_down\":%d,"
                    + "\"restart_to_rest_s\":%.2f,\"first_result_seen_at_first_answer\":%b,"
                    + "\"results_dropped\":%d,\"make_snapshot_executed\":%d,\"make_snapshot_twice\":%b,"
                    + "\"job_state\":\"%s\",\"note\":\"SIGKILL in SNAPSHOTING (debug point), nodes finish while"
                    + " it is down; seconds from the restarted job-service's process start to the first snapshot"
                    + " result it applied (GET /api/backups/{id} tabletsSnapshotted above what was persisted; -1:"
                    + " none within %d s); results_dropped counts 'dropping ... no listener' lines in its log\"}%n",
                    resultSeconds, tablets, seenAtKill, persisted, executedWhileDown, readySeconds,
                    first.atFirstAnswer(), dropped, snapshots, snapshots > tablets, state,
                    FIRST_RESULT_WAIT.toSeconds());
        }
    }

    /** Polls until the job is in SNAPSHOTING with at least one snapshot applied: its tasks are out. */
    private int awaitFirstSnapshot(JobServiceClient api, long jobId) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode job = api.get("/api/backups/" + jobId);
            if (job.get("state").asText().equals("SNAPSHOTING") && job.get("tabletsSnapshotted").asInt() > 0) {
                return job.get("tabletsSnapshotted").asInt();
            }
            if (job.get("state").asText().equals("CANCELLED")) {
                throw new IllegalStateException("the backup was cancelled: " + job.get("status").asText());
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("the backup applied no snapshot result within 5 minutes");
    }

    /** The job's snapshot count as the killed job-service left it on backup-jobs (what a replay starts from). */
    private static int persistedSnapshots(LocalCluster cluster, long jobId) {
        try (KafkaClients clients = new KafkaClients(SnapbusKafkaProperties.local(
                cluster.stack().bootstrapServers(), cluster.stack().registryUrl()))) {
            BackupJob job = BackupJobReplay.replay(clients, clients.catalogue().name(SnapbusTopic.BACKUP_JOBS))
                    .get(jobId);
            if (job == null) {
                throw new IllegalStateException("job " + jobId + " is not on the backup-jobs topic");
            }
            return job.counts().snapshotted();
        }
    }

    /** Waits (bounded) until the nodes executed a MAKE_SNAPSHOT for every tablet; returns how many they did. */
    private int awaitNodeSnapshots(LocalCluster cluster, long jobId, int tablets) throws Exception {
        long deadline = System.nanoTime() + NODES_DONE_WAIT.toNanos();
        int executed = 0;
        while (System.nanoTime() < deadline) {
            executed = executedTasks(cluster, jobId).getOrDefault("MAKE_SNAPSHOT", 0);
            if (executed >= tablets) {
                break;
            }
            Thread.sleep(500);
        }
        return executed;
    }

    /** When the restarted job-service first answered, and when it first showed a result applied after the kill. */
    private record FirstResult(Instant firstAnswer, Instant at, boolean atFirstAnswer) {
        String how() {
            return at == null ? "none" : atFirstAnswer ? "already applied when the REST API first answered" : "seen"
                    + " by polling every 20 ms";
        }
    }

    private FirstResult awaitFirstResult(JobServiceClient api, long jobId, int persisted) throws InterruptedException {
        Instant firstAnswer = null;
        long deadline = System.nanoTime() + FIRST_RESULT_WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode job;
            try {
                job = api.get("/api/backups/" + jobId);
            } catch (IllegalStateException notYet) {
                Thread.sleep(20);
                continue;
            }
            Instant now = Instant.now();
            boolean first = firstAnswer == null;
            if (first) {
                firstAnswer = now;
            }
            if (job.get("tabletsSnapshotted").asInt() > persisted || !job.get("state").asText().equals(
                    "SNAPSHOTING")) {
                return new FirstResult(firstAnswer, now, first);
            }
            Thread.sleep(20);
        }
        return new FirstResult(firstAnswer == null ? Instant.now() : firstAnswer, null, false);
    }

    private String awaitEnd(JobServiceClient api, long jobId) throws InterruptedException {
        long deadline = System.nanoTime() + FINISH_WAIT.toNanos();
        String state = "";
        while (System.nanoTime() < deadline) {
            state = api.get("/api/backups/" + jobId).get("state").asText();
            if (state.equals("FINISHED") || state.equals("CANCELLED")) {
                break;
            }
            Thread.sleep(500);
        }
        progress("the resumed backup ended %s", state);
        return state;
    }

    /** "dropping ... no listener" lines the latest job-service run wrote. */
    private static int droppedResults(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        int from = 0;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(START_MARKER)) {
                from = i;
            }
        }
        int dropped = 0;
        for (String line : lines.subList(from, lines.size())) {
            if (DROPPED.matcher(line).find()) {
                dropped++;
            }
        }
        return dropped;
    }

    /** Tasks of the job the storage nodes executed, by type, from their logs. */
    private static Map<String, Integer> executedTasks(LocalCluster cluster, long jobId) throws IOException {
        Map<String, Integer> counts = new java.util.TreeMap<>();
        for (JavaService node : cluster.nodes()) {
            for (String line : Files.readAllLines(node.logFile(), StandardCharsets.UTF_8)) {
                Matcher m = EXECUTED.matcher(line);
                if (m.find() && TaskSignatures.owner(Long.parseLong(m.group(2))) == jobId) {
                    counts.merge(m.group(1), 1, Integer::sum);
                }
            }
        }
        return counts;
    }

    private static void progress(String format, Object... args) {
        System.err.printf(Locale.ROOT, "bench recovery: " + format + "%n", args);
    }
}
