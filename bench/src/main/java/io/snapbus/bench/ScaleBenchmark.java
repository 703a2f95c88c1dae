package io.snapbus.bench;

import io.snapbus.cli.LocalCluster;
import io.snapbus.cli.JobServiceClient;
import io.snapbus.cli.BackupRepositoryCheck;
import io.snapbus.cli.QuickstartCommand;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.snapbus.avro.JobEvent;
import io.snapbus.kafka.KafkaClients;
import io.snapbus.kafka.SnapbusKafkaProperties;
import io.snapbus.kafka.SnapbusTopic;
import io.snapbus.local.JavaService;
import io.snapbus.local.LocalStackConfig;
import io.snapbus.repository.RepositoryLayout;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * {@code snapbus bench creation} and {@code snapbus bench control-plane}: the whole local cluster as processes (KRaft
 * broker, registry, 3 storage nodes, the job-service with a 1 GiB heap, 2 agents), {@link ScaleData} built through
 * REST, and for control-plane one backup of every table to a filesystem repository, timed state by state from the
 * job-events topic, checked file by file on a sample of tablets.
 */
final class ScaleBenchmark {
    static final String JOB_SERVICE_HEAP = "1g";
    /** The storage nodes' heap in runs of more than 300 000 tablets (100 000 a node). */
    static final String NODE_HEAP_LARGE = "1536m";
    private static final String REPOSITORY = "scale_repo";
    /** Tablets whose repository files are checked file by file: about this many, spread over the job. */
    private static final int CHECKED_TABLETS = 1000;

    private final Path dataDir;
    private final String scenario;
    private final boolean backup;
    private final boolean restore;
    private final boolean dropSource;
    private final boolean profile;
    private final PrintStream out;
    private final ObjectMapper json = new ObjectMapper();

    /** {@code restore}: after the backup, restore every table under another name (bench restore --plane control). */
    ScaleBenchmark(Path dataDir, String scenario, boolean backup, boolean restore, boolean profile, PrintStream out) {
        this(dataDir, scenario, backup, restore, false, profile, out);
    }

    /**
     * {@code dropSource}: between the backup and the restore, drop the backed-up tables (FORCE), wait until their
     * replicas are erased from the nodes, and restore them under their own names, as after their loss.
     */
    ScaleBenchmark(Path dataDir, String scenario, boolean backup, boolean restore, boolean dropSource, boolean profile,
                   PrintStream out) {
        this.dataDir = dataDir;
        this.scenario = scenario;
        this.backup = backup || restore;
        this.restore = restore;
        this.dropSource = dropSource && restore;
        this.profile = profile;
        this.out = out;
    }

    /**
     * Runs at {@code tablets} (after a run at {@code baselineTablets} when positive); each run returns the seconds of
     * its last job (the backup, or the restore).
     */
    void run(int tablets, int baselineTablets) throws Exception {
        if (baselineTablets > 0) {
            double base = runOnce(baselineTablets, seconds -> { });
            // The ratio is printed before the larger run's tree is deleted: at a million tablets that takes an hour.
            runOnce(tablets, scaled -> {
                if (backup) {
                    String job = restore ? "restore" : "backup";
                    Figure.of(scenario, job + "_time_ratio", scaled / base, 2, "x").with("tablets", tablets)
                            .with("baseline", Figure.of(scenario, job + "_seconds", base, 2, "s")
                                    .with("tablets", baselineTablets))
                            .with("note", String.format(Locale.ROOT, job + " seconds at %d tablets / at %d (%.1fx"
                                    + " the tablets); aim <= 11x for 10x", tablets, baselineTablets,
                                    (double) tablets / baselineTablets)).printTo(out);
                }
            });
        } else {
            runOnce(tablets, seconds -> { });
        }
    }

    /** One run; {@code measured} gets its seconds before its data dir is deleted. */
    private double runOnce(int tablets, java.util.function.DoubleConsumer measured) throws Exception {
        Path dir = dataDir.resolve("tablets-" + tablets);
        QuickstartCommand.deleteTree(dir);
        try {
            double seconds = measure(dir, tablets);
            measured.accept(seconds);
            return seconds;
        } finally {
            QuickstartCommand.deleteTree(dir);
        }
    }

    private double measure(Path dir, int requested) throws Exception {
        ScaleData.Shape shape = ScaleData.Shape.forTablets(requested);
        int tablets = shape.tablets();
        progress(tablets, "starting the local cluster in %s (%s)", dir, shape.describe());
        // Doris's cap of 300 000 tablets per job is the default; a larger run raises it.
        Map<String, String> jobSettings = Map.of("snapbus.jobs.task-timeout", "30m",
                "snapbus.backup.max-tablets-per-job", Integer.toString(Math.max(300_000, tablets)));
        // A storage node holds ~1.2 KB of heap per tablet (headers and rowset metas); above 100 000 tablets a node,
        // the default 512 MB is too little. The job-service keeps its 1 GiB whatever the size.
        String nodeHeap = nodeHeap(tablets);
        try (LocalCluster cluster = LocalCluster.start(LocalStackConfig.builder().dataDir(dir).build(), 3, 2,
                Map.of(), jobSettings, JOB_SERVICE_HEAP, nodeHeap)) {
            JobServiceClient api = new JobServiceClient(cluster.jobServiceUrl());
            long jobPid = cluster.jobService().pid();
            ScaleData.Built built = new ScaleData(api, shape).build(cluster.nodes(), m -> progress(tablets, "%s", m));
            String shapeNote = shape.describe();
            figure(tablets, "create_seconds", built.createSeconds(), "s", "CREATE of every tablet through REST; "
                    + shapeNote);
            figure(tablets, "create_tablets_per_second", tablets / built.createSeconds(), "tablets/s", shapeNote);
            figure(tablets, "load_seconds", built.loadSeconds(), "s", "one load per table (2 at a time), one version "
                    + "into every tablet, " + ScaleData.ROWS_PER_TABLET + " rows each, "
                    + String.format(Locale.ROOT, "%.1f MB NDJSON", built.loadBytes() / 1e6));
            figure(tablets, "load_rows_per_second", built.rows() / built.loadSeconds(), "rows/s", built.rows()
                    + " rows");
            figure(tablets, "load_tablets_per_second", tablets / built.loadSeconds(), "tablets/s",
                    "tablets given a version per second");
            memoryFigures(cluster, tablets, "after_data");
            if (!backup) {
                return 0;
            }
            double backupSeconds = backup(cluster, api, dir, tablets, jobPid);
            return restore ? restore(cluster, api, tablets, jobPid) : backupSeconds;
        }
    }

    private double backup(LocalCluster cluster, JobServiceClient api, Path dir, int tablets, long jobPid)
            throws Exception {
        Path repository = dir.resolve("repository");
        api.post("/api/repositories", Map.of("name", REPOSITORY, "location", repository.toUri().toString()));
        List<Map<String, Object>> tables = new ArrayList<>();
        for (int t = 0; t < ScaleData.TABLES; t++) {
            tables.add(Map.of("name", ScaleData.table(t)));
        }
        List<JavaService> profiled = new ArrayList<>();
        if (profile) {
            profiled.add(cluster.jobService());
            profiled.addAll(cluster.agents());
            profiled.addAll(cluster.nodes());
            for (JavaService service : profiled) {
                ProcessMemory.jcmd(service.pid(), "JFR.start", "name=bench", "settings=profile");
            }
        }
        try (KafkaClients clients = clients(cluster);
                Admin admin = clients.admin();
                Consumer<String, JobEvent> events = eventsFromNow(clients)) {
            Map<String, Long> bytesBefore = topicBytes(admin);

            Sampler sampler = new Sampler(jobPid);
            sampler.start();
            long submitted = System.currentTimeMillis();
            long started = System.nanoTime();
            JsonNode job = api.post("/api/databases/" + ScaleData.DB + "/backups", Map.of("label", "scale",
                    "repository", REPOSITORY, "tables", tables, "timeoutSeconds", 86_400));
            double submitSeconds = (System.nanoTime() - started) / 1e9;
            long jobId = job.get("jobId").asLong();
            job = await(api, "/api/backups/" + jobId, tablets, started, j -> String.format(Locale.ROOT,
                    "%s snapshots %d/%d uploads %d/%d", j.get("state").asText(), j.get("tabletsSnapshotted").asInt(),
                    j.get("tablets").asInt(), j.get("tabletsUploaded").asInt(), j.get("tablets").asInt()));
            String state = job.get("state").asText();
            double seconds = (System.nanoTime() - started) / 1e9;
            sampler.stop();
            if (!state.equals("FINISHED")) {
                throw new IllegalStateException("the backup ended " + state + ": " + job);
            }
            if (profile) {
                for (JavaService service : profiled) {
                    Path file = dataDir.resolve("jfr").resolve(service.name() + "-" + tablets + ".jfr");
                    Files.createDirectories(file.getParent());
                    ProcessMemory.jcmd(service.pid(), "JFR.dump", "name=bench", "filename=" + file);
                    progress(tablets, "profile of %s: %s", service.name(), file);
                }
            }
            Map<String, Long> entered = stateTimes(events, jobId, submitted);
            Map<String, Long> bytesAfter = topicBytes(admin);

            figure(tablets, "backup_seconds", seconds, "s", "POST backup to FINISHED, " + ScaleData.TABLES
                    + " tables, filesystem repository on the same disk");
            figure(tablets, "backup_tablets_per_second", tablets / seconds, "tablets/s", "whole job");
            figure(tablets, "backup_submit_seconds", submitSeconds, "s", "POST answered (validation and plan)");
            stateFigures(tablets, "state_", entered);
            figure(tablets, "job_service_heap_peak", sampler.peakHeap.get() / 1e6, "MB",
                    "highest used heap (jcmd GC.heap_info, sampled every 1 s, garbage included) during the job; -Xmx"
                            + JOB_SERVICE_HEAP);
            figure(tablets, "job_service_heap_after_gc", liveHeap(jobPid) / 1e6, "MB",
                    "used heap after a full GC once the job finished (a done job keeps its counts, not its tablets)");
            figure(tablets, "job_service_rss_peak", ProcessMemory.peakRss(jobPid) / 1e6, "MB",
                    "VmHWM since the job-service started (creation and loads included)");
            long kafkaBytes = 0;
            StringBuilder perTopic = new StringBuilder();
            for (Map.Entry<String, Long> after : bytesAfter.entrySet()) {
                long delta = after.getValue() - bytesBefore.getOrDefault(after.getKey(), 0L);
                if (delta > 0) {
                    kafkaBytes += delta;
                    perTopic.append(perTopic.isEmpty() ? "" : ", ").append(after.getKey()).append(' ')
                            .append(String.format(Locale.ROOT, "%.1f MB", delta / 1e6));
                }
            }
            figure(tablets, "kafka_bytes_written", kafkaBytes / 1e6, "MB",
                    "growth of the broker's log dirs during the job (Admin describeLogDirs): " + perTopic);
            verify(cluster, api, repository, tablets);
            return seconds;
        } finally {
            memoryFigures(cluster, tablets, "after_backup");
        }
    }

    private static KafkaClients clients(LocalCluster cluster) {
        return new KafkaClients(SnapbusKafkaProperties.local(cluster.stack().bootstrapServers(),
                cluster.stack().registryUrl()));
    }

    /** A consumer of job-events positioned at its end: it sees the events of jobs started from now on. */
    private static Consumer<String, JobEvent> eventsFromNow(KafkaClients clients) {
        Consumer<String, JobEvent> events = clients.<JobEvent>consumerFactory("bench-" + System.nanoTime())
                .createConsumer();
        String eventTopic = clients.catalogue().name(SnapbusTopic.JOB_EVENTS);
        List<TopicPartition> partitions = events.partitionsFor(eventTopic).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        events.assign(partitions);
        events.seekToEnd(partitions);
        partitions.forEach(events::position);
        return events;
    }

    /**
     * RESTORE of every table of the backup under another name ({@code <table>_restored}, the backup's replication),
     * timed state by state from job-events next to the backup's; every restored replica is read back by the job and
     * compared with the backup's checksums before the swap, which the job's counts must show.
     */
    private double restore(LocalCluster cluster, JobServiceClient api, int tablets, long jobPid) throws Exception {
        String timestamp = null;
        for (JsonNode snapshot : api.get("/api/repositories/" + REPOSITORY + "/snapshots")) {
            if (snapshot.get("label").asText().equals("scale")) {
                timestamp = snapshot.get("timestamps").get(0).asText();
            }
        }
        if (dropSource) {
            dropBackedUpTables(cluster, api, tablets);
        }
        List<Map<String, Object>> on = new ArrayList<>();
        for (int t = 0; t < ScaleData.TABLES; t++) {
            on.add(dropSource ? Map.of("name", ScaleData.table(t))
                    : Map.of("name", ScaleData.table(t), "alias", ScaleData.table(t) + "_restored"));
        }
        try (KafkaClients clients = clients(cluster); Consumer<String, JobEvent> events = eventsFromNow(clients)) {
            Sampler sampler = new Sampler(jobPid);
            sampler.start();
            long submitted = System.currentTimeMillis();
            long started = System.nanoTime();
            JsonNode job = api.post("/api/databases/" + ScaleData.DB + "/restores", Map.of("label", "scale",
                    "repository", REPOSITORY, "on", on, "properties", Map.of("backup_timestamp", timestamp,
                            "reserve_replica", "true")));
            double submitSeconds = (System.nanoTime() - started) / 1e9;
            long jobId = job.get("jobId").asLong();
            job = await(api, "/api/restores/" + jobId, tablets, started, j -> String.format(Locale.ROOT,
                    "restore %s replicas %d: created %d, downloaded %d, moved %d, checked %d", j.get("state").asText(),
                    j.get("replicas").asInt(), j.get("replicasCreated").asInt(), j.get("replicasDownloaded").asInt(),
                    j.get("replicasMoved").asInt(), j.get("replicasChecked").asInt()));
            String state = job.get("state").asText();
            double seconds = (System.nanoTime() - started) / 1e9;
            sampler.stop();
            if (!state.equals("FINISHED") || job.get("replicasChecked").asInt() != job.get("replicas").asInt()) {
                throw new IllegalStateException("the restore ended " + state + " with " + job.get("replicasChecked")
                        + " of " + job.get("replicas") + " replicas checked: " + job);
            }
            Map<String, Long> entered = stateTimes(events, jobId, submitted);
            figure(tablets, "restore_seconds", seconds, "s", "POST restore to FINISHED, " + ScaleData.TABLES
                    + (dropSource ? " dropped tables under their own names, " : " tables under new names, ")
                    + job.get("replicas").asInt() + " replicas, every one read back and compared with the backup's"
                    + " checksums before the swap");
            figure(tablets, "restore_tablets_per_second", tablets / seconds, "tablets/s", "whole job");
            figure(tablets, "restore_submit_seconds", submitSeconds, "s", "POST answered (snapshot read and plan)");
            stateFigures(tablets, "restore_state_", entered);
            figure(tablets, "restore_job_service_heap_peak", sampler.peakHeap.get() / 1e6, "MB",
                    "highest used heap (sampled every 1 s, garbage included) during the restore; -Xmx"
                            + JOB_SERVICE_HEAP);
            figure(tablets, "restore_job_service_heap_after_gc", liveHeap(jobPid) / 1e6, "MB",
                    "used heap after a full GC once the restore finished (done jobs keep their counts, not their "
                            + "tablets)");
            return seconds;
        } finally {
            memoryFigures(cluster, tablets, "after_restore");
        }
    }

    /**
     * DROP TABLE ... FORCE of every backed-up table, then waits until the recycle bin has erased their replicas on the
     * nodes (DROP tasks) and let them go from the catalog.
     */
    private void dropBackedUpTables(LocalCluster cluster, JobServiceClient api, int tablets) throws Exception {
        long started = System.nanoTime();
        for (int t = 0; t < ScaleData.TABLES; t++) {
            api.delete("/api/v1/databases/" + ScaleData.DB + "/tables/" + ScaleData.table(t) + "?force=true");
        }
        long lastReport = 0;
        // Generous: 20 ms a replica (a node erases a few hundred a second here), at least 10 minutes.
        long deadline = started + Math.max(600_000_000_000L, tablets * 20_000_000L);
        while (true) {
            JsonNode bin = api.get("/api/v1/recycle-bin");
            if (bin.isEmpty()) {
                break;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the dropped tables were not erased in "
                        + (deadline - started) / 1_000_000_000L + " s; the recycle bin still holds " + bin);
            }
            int left = bin.size();
            if (System.nanoTime() - lastReport > 5_000_000_000L) {
                progress(tablets, "dropped %d tables FORCE; %d recycle bin entries still being erased (%.0f s)",
                        ScaleData.TABLES, left, (System.nanoTime() - started) / 1e9);
                lastReport = System.nanoTime();
            }
            Thread.sleep(500);
        }
        figure(tablets, "drop_seconds", (System.nanoTime() - started) / 1e9, "s", "DROP TABLE FORCE of the "
                + ScaleData.TABLES + " backed-up tables until the recycle bin erased every replica on the nodes");
        memoryFigures(cluster, tablets, "after_drop");
    }

    private void verify(LocalCluster cluster, JobServiceClient api, Path repository, int tablets) throws Exception {
        Path snapshotDir = repository.resolve(RepositoryLayout.snapshotDir(REPOSITORY, "scale"));
        Path infoFile = BackupRepositoryCheck.single(snapshotDir, "__info_");
        Path metaFile = BackupRepositoryCheck.single(snapshotDir, "__meta.");
        figure(tablets, "job_info_file_size", Files.size(infoFile) / 1e6, "MB", infoFile.getFileName().toString());
        figure(tablets, "meta_file_size", Files.size(metaFile) / 1e6, "MB", metaFile.getFileName().toString());
        JsonNode info = json.readTree(infoFile.toFile());
        Map<Long, Path> dataDirs = new HashMap<>();
        for (JsonNode backend : api.get("/api/backends")) {
            for (int i = 0; i < cluster.nodes().size(); i++) {
                if (cluster.nodes().get(i).port() == backend.get("bePort").asInt()) {
                    dataDirs.put(backend.get("id").asLong(), cluster.nodeRoot(i + 1).resolve("data"));
                }
            }
        }
        int every = Math.max(1, tablets / CHECKED_TABLETS);
        long started = System.nanoTime();
        int listed = BackupRepositoryCheck.verify(info, repository, REPOSITORY, "scale", dataDirs, every);
        if (listed != tablets) {
            throw new IllegalStateException("the job info lists " + listed + " tablets, expected " + tablets);
        }
        Figure.of(scenario, "repository_checked", (listed + every - 1) / every, "tablets").with("tablets", tablets)
                .with("note", String.format(Locale.ROOT, "every %d-th tablet of the job info checked file by file"
                        + " against the repository and the node (names, md5s, rowsets), in %.1f s; the job info"
                        + " lists all %d", every, (System.nanoTime() - started) / 1e9, listed)).printTo(out);
    }

    /** Polls a job's row until it is FINISHED or CANCELLED, printing {@code line} of it whenever it changes. */
    private JsonNode await(JobServiceClient api, String path, int tablets, long startedNanos,
            Function<JsonNode, String> line) throws InterruptedException {
        return JobPoller.await(api, path, line, shown -> progress(tablets, "%s (%.0f s)", shown,
                (System.nanoTime() - startedNanos) / 1e9));
    }

    /** One figure per state: the seconds from entering it to entering the next one. */
    private void stateFigures(int tablets, String prefix, Map<String, Long> entered) {
        List<String> order = new ArrayList<>(entered.keySet());
        for (int i = 0; i + 1 < order.size(); i++) {
            figure(tablets, prefix + order.get(i) + "_seconds",
                    (entered.get(order.get(i + 1)) - entered.get(order.get(i))) / 1e3, "s",
                    "from entering " + order.get(i) + " to entering " + order.get(i + 1) + " (job-events timestamps)");
        }
    }

    /** When the job entered each state, from its job-events (the submission time for PENDING). */
    private Map<String, Long> stateTimes(Consumer<String, JobEvent> events, long jobId, long submitted) {
        Map<String, Long> entered = new LinkedHashMap<>();
        entered.put("PENDING", submitted);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!entered.containsKey("FINISHED") && System.nanoTime() < deadline) {
            for (ConsumerRecord<String, JobEvent> record : events.poll(Duration.ofMillis(500))) {
                JobEvent event = record.value();
                if (event != null && event.getJobId() == jobId) {
                    entered.putIfAbsent(event.getState(), event.getTimestampMs());
                }
            }
        }
        List<Map.Entry<String, Long>> sorted = new ArrayList<>(entered.entrySet());
        sorted.sort(Map.Entry.comparingByValue());
        Map<String, Long> ordered = new LinkedHashMap<>();
        sorted.forEach(e -> ordered.put(e.getKey(), e.getValue()));
        return ordered;
    }

    /** Bytes on the broker's log dirs per topic. */
    private static Map<String, Long> topicBytes(Admin admin) throws Exception {
        List<Integer> brokers = admin.describeCluster().nodes().get().stream().map(n -> n.id()).toList();
        Map<String, Long> bytes = new TreeMap<>();
        for (Map<String, LogDirDescription> dirs : admin.describeLogDirs(brokers).allDescriptions().get().values()) {
            for (LogDirDescription dir : dirs.values()) {
                dir.replicaInfos().forEach((partition, replica) -> bytes.merge(partition.topic(), replica.size(),
                        Long::sum));
            }
        }
        return bytes;
    }

    private void memoryFigures(LocalCluster cluster, int tablets, String when) {
        long jobPid = cluster.jobService().pid();
        figure(tablets, "job_service_heap_" + when, liveHeap(jobPid) / 1e6, "MB",
                "used heap after a full GC (jcmd GC.run; GC.heap_info)");
        figure(tablets, "job_service_rss_" + when, ProcessMemory.rss(jobPid) / 1e6, "MB", "VmRSS, -Xmx"
                + JOB_SERVICE_HEAP);
        long nodes = 0;
        long peak = 0;
        for (JavaService node : cluster.nodes()) {
            nodes += ProcessMemory.rss(node.pid());
            peak = Math.max(peak, ProcessMemory.peakRss(node.pid()));
        }
        figure(tablets, "node_rss_" + when, nodes / 1e6 / cluster.nodes().size(), "MB",
                "VmRSS per storage node (mean of " + cluster.nodes().size() + "; highest VmHWM "
                        + String.format(Locale.ROOT, "%.0f MB", peak / 1e6) + "), -Xmx" + nodeHeap(tablets));
        long agents = 0;
        for (JavaService agent : cluster.agents()) {
            agents = Math.max(agents, ProcessMemory.peakRss(agent.pid()));
        }
        figure(tablets, "agent_rss_peak_" + when, agents / 1e6, "MB", "highest VmHWM of the agents");
    }

    private static String nodeHeap(int tablets) {
        return tablets > 300_000 ? NODE_HEAP_LARGE : LocalCluster.DEFAULT_HEAP;
    }

    private static long liveHeap(long pid) {
        ProcessMemory.jcmd(pid, "GC.run");
        return ProcessMemory.usedHeap(pid);
    }

    private void figure(int tablets, String metric, double value, String unit, String note) {
        Figure.of(scenario, metric, value, 2, unit).with("tablets", tablets).with("note", note).printTo(out);
    }

    private void progress(int tablets, String format, Object... args) {
        System.err.printf(Locale.ROOT, "bench %s %d: " + format + "%n", prepend(scenario, tablets, args));
    }

    private static Object[] prepend(String scenario, int tablets, Object[] args) {
        Object[] all = new Object[args.length + 2];
        all[0] = scenario;
        all[1] = tablets;
        System.arraycopy(args, 0, all, 2, args.length);
        return all;
    }

    /** Samples the job-service's used heap every second until stopped. */
    private static final class Sampler {
        private final long pid;
        private final AtomicLong peakHeap = new AtomicLong();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread;

        Sampler(long pid) {
            this.pid = pid;
            this.thread = new Thread(this::sample, "heap-sampler");
            thread.setDaemon(true);
        }

        void start() {
            thread.start();
        }

        void stop() throws InterruptedException {
            running.set(false);
            thread.interrupt();
            thread.join(10_000);
        }

        private void sample() {
            while (running.get()) {
                peakHeap.accumulateAndGet(ProcessMemory.usedHeap(pid), Math::max);
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }
}
