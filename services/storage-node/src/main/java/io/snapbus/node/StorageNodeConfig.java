package io.snapbus.node;

import io.snapbus.node.tablet.MoveStep;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Properties;

/**
 * Settings of one storage node. Read from (last wins) built-in defaults, an optional properties file, environment
 * variables ({@code SNAPBUS_NODE_UPLOAD_WORKER_COUNT} for {@code upload_worker_count}) and system properties
 * ({@code -Dsnapbus.node.upload_worker_count=4}). Names follow Doris's BE config where it has one.
 *
 * @param host                          address the node binds and announces (be_host)
 * @param bePort                        port of BackendService and HeartbeatService (be_port; 0 picks a free one)
 * @param storageRoot                   data folder: tablets under data/, snapshots under snapshot/ (storage_root_path)
 * @param makeSnapshotWorkerCount       threads running MAKE_SNAPSHOT (make_snapshot_worker_count)
 * @param releaseSnapshotWorkerCount    threads running RELEASE_SNAPSHOT (release_snapshot_worker_count)
 * @param uploadWorkerCount             UPLOAD tasks run at once (upload_worker_count)
 * @param uploadFileParallelism         files of one UPLOAD task copied at once
 * @param createTabletWorkerCount       threads running CREATE (create_tablet_worker_count)
 * @param dropTabletWorkerCount         threads running DROP (drop_tablet_worker_count)
 * @param uploadProgressEveryFiles      a progress report (snapshotLoaderReport) after this many files
 * @param uploadMaxBytesPerSecond       bandwidth cap of all uploads of the node, 0 for none
 * @param uploadVerifyChecksums         hash every file while uploading instead of using the md5 recorded when the
 *                                      rowset was written (Doris's behaviour; CPU-bound, ~650 MB/s per core)
 * @param uploadSyncFileSystem          make an UPLOAD task's files in a filesystem repository durable with one
 *                                      syncfs(2) before their renames and one after, rather than an fsync of each
 *                                      file and directory (Linux; it also writes back other writers' dirty pages)
 * @param reportTaskInterval            period of the running-task report (report_task_interval_seconds)
 * @param reportTabletInterval          period of the tablet report (report_tablet_interval_seconds)
 * @param finishReportMaxBackoff        longest wait between two tries of a finish report
 * @param snapshotExpire                default lifetime of a snapshot dir (snapshot_expire_time_sec)
 * @param compactionMinRowsets          a tablet with this many rowsets is compacted
 * @param compactionInterval            how often compaction looks for work; 0 disables it
 * @param credentialsFile               properties file of repository credentials: {@code <ref>.access_key},
 *                                      {@code <ref>.secret_key}, resolved for tasks naming a credential reference
 * @param portFile                      where to write the bound port once serving (for launchers using port 0)
 * @param metricsPort                   port of the node's health and metrics HTTP endpoint on {@code host}
 *                                      ({@code /health/liveness}, {@code /health/readiness}, {@code /metrics});
 *                                      absent: no endpoint; 0 picks a free one (metrics_port)
 * @param restore                       DOWNLOAD and MOVE settings
 */
public record StorageNodeConfig(
        String host,
        int bePort,
        Path storageRoot,
        int makeSnapshotWorkerCount,
        int releaseSnapshotWorkerCount,
        int uploadWorkerCount,
        int uploadFileParallelism,
        int createTabletWorkerCount,
        int dropTabletWorkerCount,
        int uploadProgressEveryFiles,
        long uploadMaxBytesPerSecond,
        boolean uploadVerifyChecksums,
        boolean uploadSyncFileSystem,
        Duration reportTaskInterval,
        Duration reportTabletInterval,
        Duration finishReportMaxBackoff,
        Duration snapshotExpire,
        int compactionMinRowsets,
        Duration compactionInterval,
        Optional<Path> credentialsFile,
        Optional<Path> portFile,
        OptionalInt metricsPort,
        RestoreSettings restore) {

    private static final String PREFIX = "snapbus.node.";

    /** Defaults for a node storing under {@code storageRoot}. */
    public static StorageNodeConfig defaults(Path storageRoot) {
        return new StorageNodeConfig("127.0.0.1", 9060, storageRoot, 5, 5, 2, 4, 3, 3, 10, 0, false, true,
                Duration.ofSeconds(10), Duration.ofSeconds(60), Duration.ofSeconds(30), Duration.ofSeconds(172_800),
                5, Duration.ofSeconds(60), Optional.empty(), Optional.empty(), OptionalInt.empty(),
                RestoreSettings.defaults());
    }

    /** Defaults, overridden by the file (if any), the environment and the system properties. */
    public static StorageNodeConfig load(Optional<Path> file, Map<String, String> env, Properties system) {
        Properties props = new Properties();
        file.ifPresent(f -> {
            try (Reader in = Files.newBufferedReader(f)) {
                props.load(in);
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read the storage node config " + f + ": " + e.getMessage(),
                        e);
            }
        });
        env.forEach((name, value) -> {
            if (name.startsWith("SNAPBUS_NODE_")) {
                props.setProperty(PREFIX + name.substring("SNAPBUS_NODE_".length()).toLowerCase(Locale.ROOT), value);
            }
        });
        system.stringPropertyNames().stream().filter(n -> n.startsWith(PREFIX))
                .forEach(n -> props.setProperty(n, system.getProperty(n)));
        return fromProperties(props);
    }

    static StorageNodeConfig fromProperties(Properties props) {
        Settings s = new Settings(props);
        Path root = Path.of(s.string("storage_root_path", "./storage-node")).toAbsolutePath().normalize();
        StorageNodeConfig d = defaults(root);
        return new StorageNodeConfig(
                s.string("be_host", d.host()),
                s.port("be_port", d.bePort()),
                root,
                s.positive("make_snapshot_worker_count", d.makeSnapshotWorkerCount()),
                s.positive("release_snapshot_worker_count", d.releaseSnapshotWorkerCount()),
                s.positive("upload_worker_count", d.uploadWorkerCount()),
                s.positive("upload_file_parallelism", d.uploadFileParallelism()),
                s.positive("create_tablet_worker_count", d.createTabletWorkerCount()),
                s.positive("drop_tablet_worker_count", d.dropTabletWorkerCount()),
                s.positive("upload_progress_every_files", d.uploadProgressEveryFiles()),
                s.nonNegativeLong("upload_max_bytes_per_second", d.uploadMaxBytesPerSecond()),
                s.bool("upload_verify_checksums", d.uploadVerifyChecksums()),
                s.bool("upload_sync_file_system", d.uploadSyncFileSystem()),
                Duration.ofSeconds(s.positive("report_task_interval_seconds", 10)),
                Duration.ofSeconds(s.positive("report_tablet_interval_seconds", 60)),
                Duration.ofSeconds(s.positive("finish_report_max_backoff_seconds", 30)),
                Duration.ofSeconds(s.positive("snapshot_expire_time_sec", 172_800)),
                s.positive("compaction_min_rowsets", d.compactionMinRowsets()),
                Duration.ofSeconds(s.nonNegativeLong("compaction_interval_seconds", 60)),
                s.optionalPath("credentials_file"),
                s.optionalPath("port_file"),
                s.optionalPort("metrics_port"),
                new RestoreSettings(
                        s.positive("download_worker_count", d.restore().downloadWorkerCount()),
                        s.positive("download_file_parallelism", d.restore().downloadFileParallelism()),
                        s.positive("download_progress_every_files", d.restore().downloadProgressEveryFiles()),
                        s.nonNegativeLong("download_max_bytes_per_second", d.restore().downloadMaxBytesPerSecond()),
                        (int) s.nonNegativeLong("storage_flood_stage_usage_percent",
                                d.restore().floodStageUsagePercent()),
                        s.nonNegativeLong("storage_flood_stage_left_capacity_bytes",
                                d.restore().floodStageLeftCapacityBytes()),
                        s.moveStep("debug_pause_move_at"),
                        s.positive("move_worker_count", d.restore().moveWorkerCount()),
                        s.positive("check_consistency_worker_count", d.restore().checkConsistencyWorkerCount()),
                        s.bool("download_sync_file_system", d.restore().downloadSyncFileSystem())));
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Changes a few settings of an existing config (tests, launchers). */
    public static final class Builder {
        private String host;
        private int bePort;
        private Path storageRoot;
        private int makeSnapshotWorkerCount;
        private int releaseSnapshotWorkerCount;
        private int uploadWorkerCount;
        private int uploadFileParallelism;
        private int createTabletWorkerCount;
        private int dropTabletWorkerCount;
        private int uploadProgressEveryFiles;
        private long uploadMaxBytesPerSecond;
        private boolean uploadVerifyChecksums;
        private boolean uploadSyncFileSystem;
        private Duration reportTaskInterval;
        private Duration reportTabletInterval;
        private Duration finishReportMaxBackoff;
        private Duration snapshotExpire;
        private int compactionMinRowsets;
        private Duration compactionInterval;
        private Optional<Path> credentialsFile;
        private Optional<Path> portFile;
        private OptionalInt metricsPort;
        private RestoreSettings restore;

        private Builder(StorageNodeConfig c) {
            host = c.host;
            bePort = c.bePort;
            storageRoot = c.storageRoot;
            makeSnapshotWorkerCount = c.makeSnapshotWorkerCount;
            releaseSnapshotWorkerCount = c.releaseSnapshotWorkerCount;
            uploadWorkerCount = c.uploadWorkerCount;
            uploadFileParallelism = c.uploadFileParallelism;
            createTabletWorkerCount = c.createTabletWorkerCount;
            dropTabletWorkerCount = c.dropTabletWorkerCount;
            uploadProgressEveryFiles = c.uploadProgressEveryFiles;
            uploadMaxBytesPerSecond = c.uploadMaxBytesPerSecond;
            uploadVerifyChecksums = c.uploadVerifyChecksums;
            uploadSyncFileSystem = c.uploadSyncFileSystem;
            reportTaskInterval = c.reportTaskInterval;
            reportTabletInterval = c.reportTabletInterval;
            finishReportMaxBackoff = c.finishReportMaxBackoff;
            snapshotExpire = c.snapshotExpire;
            compactionMinRowsets = c.compactionMinRowsets;
            compactionInterval = c.compactionInterval;
            credentialsFile = c.credentialsFile;
            portFile = c.portFile;
            metricsPort = c.metricsPort;
            restore = c.restore;
        }

        public Builder bePort(int port) { this.bePort = port; return this; }
        public Builder makeSnapshotWorkerCount(int count) { this.makeSnapshotWorkerCount = count; return this; }
        public Builder uploadWorkerCount(int count) { this.uploadWorkerCount = count; return this; }
        public Builder uploadFileParallelism(int parallelism) { this.uploadFileParallelism = parallelism; return this; }
        public Builder uploadProgressEveryFiles(int files) { this.uploadProgressEveryFiles = files; return this; }
        public Builder uploadMaxBytesPerSecond(long bytes) { this.uploadMaxBytesPerSecond = bytes; return this; }
        public Builder uploadVerifyChecksums(boolean verify) { this.uploadVerifyChecksums = verify; return this; }
        public Builder uploadSyncFileSystem(boolean sync) { this.uploadSyncFileSystem = sync; return this; }
        public Builder reportTaskInterval(Duration interval) { this.reportTaskInterval = interval; return this; }
        public Builder reportTabletInterval(Duration interval) { this.reportTabletInterval = interval; return this; }
        public Builder finishReportMaxBackoff(Duration backoff) { this.finishReportMaxBackoff = backoff; return this; }
        public Builder compactionInterval(Duration interval) { this.compactionInterval = interval; return this; }
        public Builder credentialsFile(Path file) { this.credentialsFile = Optional.of(file); return this; }
        public Builder portFile(Path file) { this.portFile = Optional.of(file); return this; }
        public Builder restore(RestoreSettings settings) { this.restore = settings; return this; }
        public Builder metricsPort(int port) { this.metricsPort = OptionalInt.of(port); return this; }

        public StorageNodeConfig build() {
            return new StorageNodeConfig(host, bePort, storageRoot, makeSnapshotWorkerCount,
                    releaseSnapshotWorkerCount, uploadWorkerCount, uploadFileParallelism, createTabletWorkerCount,
                    dropTabletWorkerCount, uploadProgressEveryFiles, uploadMaxBytesPerSecond, uploadVerifyChecksums, uploadSyncFileSystem,
                    reportTaskInterval,
                    reportTabletInterval,
                    finishReportMaxBackoff, snapshotExpire, compactionMinRowsets, compactionInterval,
                    credentialsFile, portFile, metricsPort, restore);
        }
    }

    /** Typed reads of the flat properties, with a message naming the key on a bad value. */
    private record Settings(Properties props) {
        String string(String key, String fallback) {
            String value = props.getProperty(PREFIX + key);
            return value == null || value.isBlank() ? fallback : value.trim();
        }

        int positive(String key, int fallback) {
            long value = nonNegativeLong(key, fallback);
            if (value < 1 || value > Integer.MAX_VALUE) {
                throw bad(key, "a whole number of at least 1");
            }
            return (int) value;
        }

        int port(String key, int fallback) {
            long value = nonNegativeLong(key, fallback);
            if (value > 65_535) {
                throw bad(key, "a port from 0 to 65535");
            }
            return (int) value;
        }

        long nonNegativeLong(String key, long fallback) {
            String text = string(key, Long.toString(fallback));
            try {
                long value = Long.parseLong(text);
                if (value < 0) {
                    throw bad(key, "a whole number of at least 0");
                }
                return value;
            } catch (NumberFormatException e) {
                throw bad(key, "a whole number");
            }
        }

        boolean bool(String key, boolean fallback) {
            String text = string(key, Boolean.toString(fallback)).toLowerCase(Locale.ROOT);
            if (!text.equals("true") && !text.equals("false")) {
                throw bad(key, "true or false");
            }
            return Boolean.parseBoolean(text);
        }

        Optional<MoveStep> moveStep(String key) {
            String value = string(key, "").trim();
            if (value.isEmpty()) {
                return Optional.empty();
            }
            try {
                return Optional.of(MoveStep.valueOf(value.toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw bad(key, "one of " + java.util.Arrays.toString(MoveStep.values()));
            }
        }

        OptionalInt optionalPort(String key) {
            return string(key, "").isEmpty() ? OptionalInt.empty() : OptionalInt.of(port(key, 0));
        }

        Optional<Path> optionalPath(String key) {
            String value = string(key, "");
            return value.isEmpty() ? Optional.empty() : Optional.of(Path.of(value).toAbsolutePath().normalize());
        }

        private IllegalArgumentException bad(String key, String expected) {
            return new IllegalArgumentException("storage node setting " + PREFIX + key + " must be " + expected
                    + ", got '" + props.getProperty(PREFIX + key) + "'");
        }
    }
}
