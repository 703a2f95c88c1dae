package io.snapbus.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.snapbus.cli.JobServiceClient;
import io.snapbus.cli.LocalCluster;
import io.snapbus.cli.QuickstartCommand;
import io.snapbus.local.LocalStackConfig;
import io.snapbus.local.S3Endpoint;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code snapbus bench incremental}: on the local cluster, a full backup of one table and then --days daily
 * incremental backups, each after a load into --change-percent of its tablets, first to a filesystem repository and
 * then to S3 (s3proxy): bytes the nodes sent and bytes the repository stores, against the full backup's.
 */
final class IncrementalBenchmark {
    static final String SCENARIO = "incremental";
    private static final double SENT_RATIO_TARGET = 0.02;
    private static final double STORED_RATIO_TARGET = 1.2;
    private static final String CREDENTIAL_REF = "bench_s3";
    private static final String BUCKET = "bench";
    private static final String S3_PREFIX = "incremental";

    /** The scenario's options, as the command line gave them. */
    record Options(Path dataDir, int tablets, long sizeBytes, int days, double changePercent, boolean s3) {}

    /** One backup as measured: wall time from POST to FINISHED, bytes the nodes sent, the repository after it. */
    record BackupRun(String label, double seconds, long bytesSent, long jobBytesUploaded, long repositoryBytes) {}

    private final Options options;
    private final PrintStream out;

    IncrementalBenchmark(Options options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    void run() throws Exception {
        QuickstartCommand.deleteTree(options.dataDir());
        try {
            measure(options.dataDir());
        } finally {
            QuickstartCommand.deleteTree(options.dataDir());
        }
    }

    private void measure(Path dir) throws Exception {
        LocalStackConfig config = LocalStackConfig.builder().dataDir(dir.resolve("stack")).s3Enabled(options.s3())
                .build();
        Map<String, String> nodeSettings = new LinkedHashMap<>();
        Map<String, String> jobSettings = new LinkedHashMap<>();
        if (options.s3()) {
            // Secrets by reference only, as in production: both sides read the same credentials file.
            Path credentials = Files.createDirectories(dir).resolve("credentials.properties");
            Files.writeString(credentials, CREDENTIAL_REF + ".access_key=" + config.s3AccessKey() + "\n"
                    + CREDENTIAL_REF + ".secret_key=" + config.s3SecretKey() + "\n");
            nodeSettings.put("snapbus.node.credentials_file", credentials.toString());
            jobSettings.put("snapbus.jobs.credentials-file", credentials.toString());
        }
        IncrementalData.Shape shape = IncrementalData.Shape.of(options.tablets(), options.changePercent());
        progress("starting the local cluster in %s (3 nodes, 1 agent; %s)", dir, shape.describe());
        try (LocalCluster cluster = LocalCluster.start(config, 3, 1, nodeSettings, jobSettings)) {
            JobServiceClient api = new JobServiceClient(cluster.jobServiceUrl());
            IncrementalData data = new IncrementalData(api, shape, options.sizeBytes());
            long started = System.nanoTime();
            long loaded = data.create(cluster.nodes(), m -> progress("%s", m));
            figure("load_seconds", (System.nanoTime() - started) / 1e9, "s", shape)
                    .with("ndjson_bytes", loaded).printTo(out);
            Series series = new Series(api, data, new NodeUploads(cluster));

            Path fsRoot = dir.resolve("fs-repository");
            api.post("/api/repositories", Map.of("name", "fs_repo", "location", fsRoot.toUri().toString()));
            report("filesystem", series.run("fs_repo", RepositoryUsage.filesystem(fsRoot)), shape, true);
            series.verifyLast("fs_repo");

            if (options.s3()) {
                S3Endpoint s3 = cluster.stack().s3().orElseThrow();
                try (S3Client client = s3Client(s3)) {
                    client.createBucket(b -> b.bucket(BUCKET));
                    api.post("/api/repositories", Map.of("name", "s3_repo", "location", "s3://" + BUCKET + "/"
                            + S3_PREFIX, "properties", Map.of("s3.endpoint", s3.endpoint().toString(), "s3.region",
                            s3.region(), "s3.path_style", "true"), "credentialRef", CREDENTIAL_REF));
                    report("s3", series.run("s3_repo", RepositoryUsage.s3(client, BUCKET, S3_PREFIX + "/")), shape,
                            false);
                    series.verifyLast("s3_repo");
                }
            }
        }
    }

    /** The full backup and the daily ones of one repository, and the check of the last. */
    private final class Series {
        private final JobServiceClient api;
        private final IncrementalData data;
        private final NodeUploads uploads;

        Series(JobServiceClient api, IncrementalData data, NodeUploads uploads) {
            this.api = api;
            this.data = data;
            this.uploads = uploads;
        }

        /** The full backup first, then one incremental per day. */
        List<BackupRun> run(String repository, RepositoryUsage usage) throws Exception {
            List<BackupRun> runs = new ArrayList<>();
            runs.add(backup(repository, label(repository, 0), true, usage));
            for (int day = 1; day <= options.days(); day++) {
                data.loadNextDay();
                runs.add(backup(repository, label(repository, day), false, usage));
            }
            return runs;
        }

        private String label(String repository, int day) {
            return day == 0 ? repository + "_full" : repository + "_day_" + day;
        }

        private BackupRun backup(String repository, String label, boolean full, RepositoryUsage usage)
                throws Exception {
            long sentBefore = uploads.total();
            Map<String, Object> body = new LinkedHashMap<>(Map.of("label", label, "repository", repository,
                    "tables", List.of(Map.of("name", IncrementalData.TABLE)), "timeoutSeconds", 3600));
            if (full) {
                body.put("type", "full");
            }
            long started = System.nanoTime();
            long jobId = api.post("/api/databases/" + IncrementalData.DB + "/backups", body).get("jobId").asLong();
            JsonNode job = JobPoller.await(api, "/api/backups/" + jobId, j -> String.format(Locale.ROOT,
                    "backup %s %s uploads %d/%d", label, j.get("state").asText(), j.get("tabletsUploaded").asInt(),
                    j.get("tablets").asInt()), line -> progress("%s", line));
            double seconds = (System.nanoTime() - started) / 1e9;
            if (!job.get("state").asText().equals("FINISHED")) {
                throw new IllegalStateException("backup " + label + " ended " + job.get("state").asText() + ": "
                        + job);
            }
            return new BackupRun(label, seconds, uploads.total() - sentBefore, job.path("bytesUploaded").asLong(),
                    usage.bytes());
        }

        /** The last snapshot holds every file its job info lists, with the md5 it lists: else the run fails. */
        void verifyLast(String repository) throws InterruptedException {
            String label = label(repository, options.days());
            long id = api.post("/api/repositories/" + repository + "/snapshots/" + label + "/verify",
                    Map.of("level", "files")).get("id").asLong();
            JsonNode report;
            do {
                Thread.sleep(500);
                report = api.get("/api/verifications/" + id);
            } while (report.get("state").asText().equals("RUNNING"));
            long checked = report.at("/counts/filesChecked").asLong();
            if (!report.get("state").asText().equals("PASSED") || checked != report.at("/counts/filesTotal").asLong()) {
                throw new IllegalStateException("verification of " + label + " ended " + report);
            }
            Figure.of(SCENARIO, "last_snapshot_files_verified", checked, "files").with("repository", repository)
                    .with("label", label).with("problems", report.get("problemsTotal").asLong())
                    .with("note", "verify level files: PASSED, every file the job info lists is there as listed")
                    .printTo(out);
        }
    }

    private void report(String kind, List<BackupRun> runs, IncrementalData.Shape shape, boolean storedTarget) {
        BackupRun full = runs.get(0);
        List<BackupRun> daily = runs.subList(1, runs.size());
        figure("full_backup_bytes_sent", full.bytesSent(), "bytes", shape).with("repository", kind)
                .with("seconds", full.seconds(), 2).with("job_bytes_uploaded", full.jobBytesUploaded())
                .with("repository_bytes", full.repositoryBytes()).printTo(out);
        if (daily.isEmpty()) {
            return;
        }
        BackupRun first = daily.get(0);
        double sentRatio = (double) first.bytesSent() / full.bytesSent();
        figure("incremental_bytes_sent_ratio", sentRatio, "ratio", shape).with("repository", kind)
                .with("target", "<= " + SENT_RATIO_TARGET).with("within_target", sentRatio <= SENT_RATIO_TARGET)
                .with("full_bytes_sent", full.bytesSent()).with("incremental_bytes_sent", first.bytesSent())
                .with("full_seconds", full.seconds(), 2).with("incremental_seconds", first.seconds(), 2)
                .printTo(out);
        BackupRun last = daily.get(daily.size() - 1);
        double storedRatio = (double) last.repositoryBytes() / full.repositoryBytes();
        Figure stored = figure("repository_size_ratio_after_" + daily.size() + "_days", storedRatio, "ratio", shape)
                .with("repository", kind);
        if (storedTarget) {
            stored.with("target", "<= " + STORED_RATIO_TARGET).with("within_target", storedRatio <= STORED_RATIO_TARGET)
                    .with("counted", "regular files, each inode once (hard links shared)");
        } else {
            stored.with("counted", "sizes of the objects listed (a server-side copy is stored again)");
        }
        stored.with("full_repository_bytes", full.repositoryBytes()).with("repository_bytes", last.repositoryBytes())
                .with("daily_bytes_sent", daily.stream().mapToDouble(BackupRun::bytesSent).toArray(), 0)
                .with("daily_seconds", daily.stream().mapToDouble(BackupRun::seconds).toArray(), 2)
                .with("daily_repository_bytes", daily.stream().mapToDouble(BackupRun::repositoryBytes).toArray(), 0)
                .printTo(out);
    }

    private Figure figure(String metric, double value, String unit, IncrementalData.Shape shape) {
        return Figure.of(SCENARIO, metric, value, unit.equals("ratio") ? 4 : 2, unit).with("tablets", shape.tablets())
                .with("shape", shape.describe()).with("change_percent", options.changePercent(), 2);
    }

    private Figure figure(String metric, long value, String unit, IncrementalData.Shape shape) {
        return Figure.of(SCENARIO, metric, value, unit).with("tablets", shape.tablets())
                .with("shape", shape.describe()).with("change_percent", options.changePercent(), 2);
    }

    private static S3Client s3Client(S3Endpoint s3) {
        return S3Client.builder().endpointOverride(s3.endpoint()).region(Region.of(s3.region())).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(s3.accessKey(),
                        s3.secretKey()))).build();
    }

    private void progress(String format, Object... args) {
        System.err.printf(Locale.ROOT, "bench " + SCENARIO + ": " + format + "%n", args);
    }
}
