package io.snapbus.bench;

import io.snapbus.cli.QuickstartCommand;
import io.snapbus.avro.BackupJobRecord;
import io.snapbus.avro.RepositoryRef;
import io.snapbus.avro.StorageType;
import io.snapbus.avro.TabletRef;
import io.snapbus.jobs.backup.BackupInput;
import io.snapbus.jobs.backup.BackupJob;
import io.snapbus.jobs.backup.BackupMachine;
import io.snapbus.jobs.backup.BackupPlan;
import io.snapbus.jobs.backup.BackupRecords;
import io.snapbus.jobs.backup.BackupRequest;
import io.snapbus.jobs.backup.BackupSettings;
import io.snapbus.jobs.backup.BackupState;
import io.snapbus.jobs.backup.shell.BackupJobReplay;
import io.snapbus.jobs.engine.PendingTask;
import io.snapbus.kafka.KafkaClients;
import io.snapbus.kafka.SnapbusKafkaProperties;
import io.snapbus.kafka.SnapbusTopic;
import io.snapbus.kafka.TopicProvisioner;
import io.snapbus.local.LocalStack;
import io.snapbus.local.LocalStackConfig;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * {@code snapbus bench recovery}: fills a real broker's backup-jobs topic with {@code finishedJobs} finished jobs and
 * one in-flight job of {@code inflightTablets} tablets (half uploaded), as the job-service writes them, then times
 * what a restarted job-service does before it resumes: the replay of the topic and the rebuilding of every job.
 */
final class RecoveryBenchmark {
    private static final long T0 = 1_700_000_000_000L;
    private static final String MD5 = "0123456789abcdef0123456789abcdef";
    private static final int TABLETS_PER_FINISHED_JOB = 10;

    private final Path dataDir;
    private final int finishedJobs;
    private final int inflightTablets;
    private final PrintStream out;
    private final BackupMachine machine = new BackupMachine(BackupSettings.defaults());

    RecoveryBenchmark(Path dataDir, int finishedJobs, int inflightTablets, PrintStream out) {
        this.dataDir = dataDir;
        this.finishedJobs = finishedJobs;
        this.inflightTablets = inflightTablets;
        this.out = out;
    }

    void run() throws Exception {
        try {
            measure();
        } finally {
            QuickstartCommand.deleteTree(dataDir);
        }
    }

    private void measure() throws Exception {
        try (LocalStack stack = LocalStack.start(LocalStackConfig.builder().dataDir(dataDir).build());
                KafkaClients clients = new KafkaClients(SnapbusKafkaProperties.local(stack.bootstrapServers(),
                        stack.registryUrl()).withTopicPrefix("bench" + System.currentTimeMillis() + "."))) {
            try (Admin admin = clients.admin()) {
                new TopicProvisioner(admin).ensure(clients.catalogue().all());
            }
            String topic = clients.catalogue().name(SnapbusTopic.BACKUP_JOBS);
            long started = System.nanoTime();
            long records = 0;
            KafkaTemplate<String, SpecificRecord> template = clients.template();
            List<CompletableFuture<?>> sends = new ArrayList<>();
            for (int j = 0; j < finishedJobs; j++) {
                records += write(template, topic, finished(1_000_000L + j * 100L), sends);
            }
            BackupJob inflight = inflight(5_000_000L);
            records += write(template, topic, inflight, sends);
            CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).join();
            progress("wrote %d records (%d finished jobs, one in-flight job of %d tablets) in %.1f s", records,
                    finishedJobs, inflightTablets, (System.nanoTime() - started) / 1e9);

            long heapBefore = usedHeap();
            long replayStart = System.nanoTime();
            Map<Long, BackupJob> jobs = BackupJobReplay.replayKept(clients, topic);
            double seconds = (System.nanoTime() - replayStart) / 1e9;
            long heapAfter = usedHeap();
            BackupJob resumed = jobs.get(inflight.jobId());
            if (jobs.size() != finishedJobs + 1 || resumed.state() != BackupState.UPLOADING
                    || resumed.pendingTasks().size() != inflight.pendingTasks().size()
                    || !resumed.tablets().equals(inflight.tablets())) {
                throw new IllegalStateException("the replay did not rebuild the jobs as written");
            }
            figure("replay_to_resumed", seconds, "s", "replay of " + records + " records and rebuild of "
                    + jobs.size() + " jobs, in-process; excludes JVM and Spring start");
            figure("replay_heap_retained", (heapAfter - heapBefore) / 1e6, "MB",
                    "heap held by the rebuilt jobs after a full GC (the done ones retired, as the service keeps them)");
            figure("replay_records_per_second", records / seconds, "records/s", "backup-jobs records replayed");
        }
    }

    private long write(KafkaTemplate<String, SpecificRecord> template, String topic, BackupJob job,
            List<CompletableFuture<?>> sends) {
        Map<String, BackupJobRecord> records = BackupRecords.of(job);
        records.forEach((key, record) -> sends.add(template.send(topic, key, record)));
        return records.size();
    }

    private BackupJob finished(long jobId) {
        BackupJob job = planned(jobId, TABLETS_PER_FINISHED_JOB);
        job = snapshotAll(job);
        job = uploadAll(job, Integer.MAX_VALUE);
        job = machine.apply(job, new BackupInput.MetaSaved("/tmp/job", T0)).job();
        return machine.apply(job, new BackupInput.InfoUploaded("__meta." + MD5, "__info_x." + MD5, T0)).job();
    }

    private BackupJob inflight(long jobId) {
        BackupJob job = snapshotAll(planned(jobId, inflightTablets));
        return uploadAll(job, job.pendingTasks().size() / 2);
    }

    private BackupJob planned(long jobId, int tablets) {
        BackupRequest request = new BackupRequest("bench_" + jobId, "bench", "repo",
                List.of(new BackupRequest.TableRequest("t", List.of())), 86_400_000L, BackupRequest.Content.ALL,
                Map.of());
        RepositoryRef repo = new RepositoryRef(1L, "repo", StorageType.FILESYSTEM, "file:///repo", Map.of(), null,
                false, 0L);
        List<BackupPlan.PlannedTablet> planned = new ArrayList<>();
        List<Long> order = new ArrayList<>();
        for (int t = 0; t < tablets; t++) {
            long tabletId = jobId + 10 + t;
            order.add(tabletId);
            planned.add(new BackupPlan.PlannedTablet(new TabletRef(1L, 2L, 3L, 4L, tabletId, 77), 2, 10_001L + t % 3,
                    tabletId * 10));
        }
        BackupPlan plan = new BackupPlan(1L, "bench", repo, List.of(new BackupPlan.PlannedTable(2, "t", List.of(
                new BackupPlan.PlannedPartition(3, "p", 2, List.of(new BackupPlan.PlannedIndex(4, "t", 77, order)))))),
                planned, List.of(), List.of(), List.of(), Map.of(2L, 7L), List.of());
        BackupJob job = BackupJob.created(jobId, request, repo, T0);
        return machine.apply(job, new BackupInput.Planned(plan, T0)).job();
    }

    private BackupJob snapshotAll(BackupJob job) {
        for (PendingTask task : new ArrayList<>(job.pendingTasks().values())) {
            long tablet = task.tabletIds().get(0);
            job = machine.apply(job, new BackupInput.SnapshotFinished(task.signature(), 0, "OK", List.of(),
                    "/data/snapshot/20261125000000." + tablet + ".86400", List.of(tablet + ".hdr",
                            "02000000000000" + tablet + "_0.dat"), T0)).job();
        }
        return job;
    }

    private BackupJob uploadAll(BackupJob job, int limit) {
        int done = 0;
        for (PendingTask task : new ArrayList<>(job.pendingTasks().values())) {
            if (done++ >= limit) {
                break;
            }
            Map<Long, List<String>> files = new HashMap<>();
            task.tabletIds().forEach(id -> files.put(id, List.of(id + ".hdr." + MD5,
                    "02000000000000" + id + "_0.dat." + MD5)));
            job = machine.apply(job, new BackupInput.UploadFinished(task.signature(), 0, "OK", List.of(), files, T0))
                    .job();
        }
        return job;
    }

    private static long usedHeap() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        Runtime runtime = Runtime.getRuntime();
        return runtime.totalMemory() - runtime.freeMemory();
    }

    private void figure(String metric, double value, String unit, String note) {
        Figure.of("recovery", metric, value, 2, unit).with("finished_jobs", finishedJobs)
                .with("inflight_tablets", inflightTablets).with("note", note).printTo(out);
    }

    private static void progress(String format, Object... args) {
        System.err.printf(Locale.ROOT, "bench recovery: " + format + "%n", args);
    }
}
