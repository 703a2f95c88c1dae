package io.snapbus.node.bench;

import static io.snapbus.node.bench.LocalDisk.deleteTree;
import static io.snapbus.node.bench.LocalDisk.seconds;
import static io.snapbus.node.bench.LocalDisk.sync;
import static io.snapbus.node.bench.LocalDisk.timed;

import io.snapbus.bench.Figure;

import io.snapbus.node.StorageNode;
import io.snapbus.node.StorageNodeConfig;
import io.snapbus.tabletformat.TabletColumn;
import io.snapbus.node.tablet.CreateTabletSpec;
import io.snapbus.tabletformat.TabletKeysType;
import io.snapbus.tabletformat.TabletSchema;
import io.snapbus.node.tablet.TabletStore;
import io.snapbus.repository.Md5;
import io.snapbus.repository.RepositoryLayout;
import io.snapbus.rows.LoadFormat;
import io.snapbus.thrift.BackendService;
import io.snapbus.thrift.HeartbeatService;
import io.snapbus.thrift.TAgentServiceVersion;
import io.snapbus.thrift.TAgentTaskRequest;
import io.snapbus.thrift.TFinishTaskRequest;
import io.snapbus.thrift.TMasterInfo;
import io.snapbus.thrift.TNetworkAddress;
import io.snapbus.thrift.TSnapshotRequest;
import io.snapbus.thrift.TStatusCode;
import io.snapbus.thrift.TStorageBackendType;
import io.snapbus.thrift.TTaskType;
import io.snapbus.thrift.TUploadReq;
import io.snapbus.thrift.rpc.ThriftClientConfig;
import io.snapbus.thrift.rpc.ThriftClientPool;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * {@code snapbus bench data-plane}: builds a multi-GB set of tablets on a real storage node, snapshots them, and
 * uploads them to a filesystem repository through the agent protocol, next to {@code cp -r} of the same snapshot
 * files on the same disk in the same run; then the same for a set of many small files, and both sets to S3 next to a
 * plain AWS SDK upload of the same files to the same server. Prints one JSON line per figure.
 */
public final class DataPlaneBenchmark {
    private static final int ROUNDS = 3;
    /** Filesystem rounds: even, so each side goes first as often as the other. */
    private static final int FS_ROUNDS = 4;
    /** Copies of all rounds kept until the end when they take less than this (the small-files set's do). */
    private static final long FRESH_DIRS_BYTES = 4L << 30;
    private static final long LARGE_FIRST_TABLET = 90_000L;
    private static final long SMALL_FIRST_TABLET = 500_000L;
    /** Small files: 19 rowsets of 4 rows (~3.5 KB each) plus the header per tablet, so 20 files a tablet. */
    private static final int SMALL_LOADS_PER_TABLET = 19;
    private static final int SMALL_ROWS_PER_LOAD = 4;

    /**
     * What to build and where.
     *
     * @param smallFiles how many small snapshot files the small-files figures upload (0: none)
     * @param s3         starts the S3 server for the S3 figures (empty: no S3 figures)
     */
    public record Options(Path workDir, long sizeBytes, int tablets, int loadsPerTablet, boolean keep, int smallFiles,
            Optional<BenchS3.Launcher> s3) {}

    /** The snapshots of one data set, and the suffix its figures' metric names carry. */
    private record DataSet(String suffix, List<SnapshotDir> snapshots) {
        long bytes() {
            return snapshots.stream().mapToLong(SnapshotDir::bytes).sum();
        }

        long files() {
            return snapshots.stream().mapToLong(s -> s.files().size()).sum();
        }
    }

    private final Options options;
    private final PrintStream out;

    public DataPlaneBenchmark(Options options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    public void run() throws Exception {
        Path work = options.workDir().toAbsolutePath();
        deleteTree(work);
        Files.createDirectories(work);
        StorageNodeConfig config = BenchNode.config(work.resolve("node"));
        try (BenchNode driver = BenchNode.start(config)) {
            StorageNode node = driver.node();
            DataSet large = build(node.store(), driver, "", LARGE_FIRST_TABLET, options.tablets(),
                    options.loadsPerTablet(), BenchData.rowsPerLoad(options.sizeBytes(), options.tablets(),
                            options.loadsPerTablet()));
            fileSystemRounds(work, driver, large);
            Optional<DataSet> small = Optional.empty();
            if (options.smallFiles() > 0) {
                int tablets = Math.max(1, options.smallFiles() / (SMALL_LOADS_PER_TABLET + 1));
                small = Optional.of(build(node.store(), driver, "_small_files", SMALL_FIRST_TABLET, tablets,
                        SMALL_LOADS_PER_TABLET, SMALL_ROWS_PER_LOAD));
                fileSystemRounds(work, driver, small.get());
            }
            if (options.s3().isPresent()) {
                long started = System.nanoTime();
                try (BenchS3 s3 = options.s3().get().start(work.resolve("s3")); PlainS3Upload plain =
                        new PlainS3Upload(s3)) {
                    progress("S3 server started in %.1f s at %s", seconds(started), s3.endpoint());
                    int parallelFiles = config.uploadWorkerCount() * config.uploadFileParallelism();
                    s3Rounds(driver, s3, plain, large, parallelFiles);
                    if (small.isPresent()) {
                        s3Rounds(driver, s3, plain, small.get(), parallelFiles);
                    }
                }
            }
        } finally {
            if (!options.keep()) {
                deleteTree(work);
            }
        }
    }

    private DataSet build(TabletStore store, BenchNode driver, String suffix, long firstTablet, int tablets, int loads,
            int rowsPerLoad) throws Exception {
        long started = System.nanoTime();
        BenchData.generate(store, firstTablet, tablets, loads, rowsPerLoad);
        progress("generated %d tablets x %d loads in %.1f s", tablets, loads, seconds(started));
        DataSet set = new DataSet(suffix, driver.snapshotAll(firstTablet, tablets));
        progress("snapshotted %d files, %.0f MB", set.files(), set.bytes() / 1e6);
        return set;
    }

    /**
     * {@code cp -r} against UPLOAD tasks to a filesystem repository, without and with fsync. Each side starts from a
     * synced page cache, and the sides take turns going first ({@value #FS_ROUNDS} rounds, best of each): on this
     * kind of virtual machine the kernel's cost of copying a byte grows with the page cache the run has filled so far
     * (measured: {@code cp -r} of the same 800 MB took 0.26, 0.51 and 0.78 s of system CPU in three rounds in a row),
     * so whichever side always ran second paid more.
     */
    private void fileSystemRounds(Path work, BenchNode driver, DataSet set) throws Exception {
        List<SnapshotDir> snapshots = set.snapshots();
        // Small sets: every round writes into dirs of its own, all deleted at the end, and the first starts once the
        // files deleted before have settled. Deleting a round's thousands of files before the next made whichever side
        // created files first after it pay for it (see LocalDisk.settle).
        boolean freshDirs = set.bytes() * 3 * FS_ROUNDS < FRESH_DIRS_BYTES;
        if (freshDirs) {
            // Rounds of small files last a fraction of a second, and the first ones ran while the JIT compiled the
            // upload path (C2 took 19 % of the JVM's samples): a round of each side first, not counted, as a node
            // that has been running is warm.
            UploadRound warm = uploadRound(driver, snapshots, work.resolve("repo-nofsync-0"), work.resolve("repo-0"));
            CopyRound warmCopy = copyRound(snapshots, work.resolve("cp-0"));
            progress("warm-up round, not counted: cp -r %.2f s, upload %.2f s, upload with fsync %.2f s",
                    warmCopy.seconds(), warm.seconds(), warm.fsyncSeconds());
            // The large set's rounds (and an earlier run's clean-up) deleted thousands of files just before.
            LocalDisk.settle("before the rounds of " + set.files() + " files", line -> progress("%s", line));
        }
        double[] cp = new double[FS_ROUNDS];
        double[] cpSync = new double[FS_ROUNDS];
        double[] upload = new double[FS_ROUNDS];
        double[] uploadFsync = new double[FS_ROUNDS];
        Path durable = null;
        for (int round = 1; round <= FS_ROUNDS; round++) {
            String suffix = freshDirs ? "-" + round : "";
            Path cpTarget = work.resolve("cp" + suffix);
            Path plain = work.resolve("repo-nofsync" + suffix);
            durable = work.resolve("repo" + suffix);
            for (Path old : List.of(cpTarget, plain, durable)) {
                deleteTree(old);
            }
            boolean baselineFirst = round % 2 == 1;
            CopyRound copied;
            UploadRound uploaded;
            if (baselineFirst) {
                copied = copyRound(snapshots, cpTarget);
                uploaded = uploadRound(driver, snapshots, plain, durable);
            } else {
                uploaded = uploadRound(driver, snapshots, plain, durable);
                copied = copyRound(snapshots, cpTarget);
            }
            cp[round - 1] = copied.seconds();
            cpSync[round - 1] = copied.seconds() + copied.syncSeconds();
            upload[round - 1] = uploaded.seconds();
            uploadFsync[round - 1] = uploaded.fsyncSeconds();
            progress("round %d (%s first): cp -r %.2f s, upload %.2f s (JVM CPU %.2f s), upload with fsync %.2f s",
                    round, baselineFirst ? "cp -r" : "upload", copied.seconds(), uploaded.seconds(),
                    uploaded.cpuSeconds(), uploaded.fsyncSeconds());
        }
        verify(snapshots, durable);
        for (int round = freshDirs ? 0 : 1; round <= FS_ROUNDS; round++) {
            String suffix = freshDirs ? "-" + round : "";
            for (String dir : List.of("cp", "repo-nofsync", "repo")) {
                deleteTree(work.resolve(dir + suffix));
            }
        }
        figure("upload_fs" + set.suffix(), set, new Rounds(upload, cp), "cp -r", "repository fs.fsync=false");
        figure("upload_fs_fsync" + set.suffix(), set, new Rounds(uploadFsync, cpSync), "cp -r + sync",
                "repository fs.fsync=true: each task's files made durable before their renames, and the renames"
                        + " after (syncfs); the baseline's time includes its sync");
    }

    private record CopyRound(double seconds, double syncSeconds) {}

    private record UploadRound(double seconds, double cpuSeconds, double fsyncSeconds) {}

    /** {@code cp -r} from a synced page cache, then the {@code sync} that makes it durable, timed apart. */
    private static CopyRound copyRound(List<SnapshotDir> snapshots, Path target) throws Exception {
        sync();
        double seconds = timed(() -> LocalDisk.copyWithCp(snapshots.stream().map(SnapshotDir::root).toList(), target));
        return new CopyRound(seconds, timed(LocalDisk::sync));
    }

    /** UPLOAD tasks to a repository without fsync, then (after a sync) to one with it, each from a synced cache. */
    private static UploadRound uploadRound(BenchNode driver, List<SnapshotDir> snapshots, Path plain, Path durable)
            throws Exception {
        sync();
        double cpu = cpuSeconds();
        double seconds = timed(() -> driver.uploadAll(snapshots, plain, false, DataPlaneBenchmark::remoteDir));
        double cpuUsed = cpuSeconds() - cpu;
        sync();
        double fsyncSeconds = timed(() -> {
            driver.uploadAll(snapshots, durable, true, DataPlaneBenchmark::remoteDir);
            sync();
        });
        return new UploadRound(seconds, cpuUsed, fsyncSeconds);
    }

    /**
     * A plain SDK upload against UPLOAD tasks to an S3 repository on the same server, each into a fresh bucket,
     * alternating, each from a synced page cache; best of each. The last round's buckets are checked. Buckets are
     * kept until the work dir is deleted: deleting 20 000 objects through s3proxy takes longer than the upload.
     */
    private void s3Rounds(BenchNode driver, BenchS3 s3, PlainS3Upload plain, DataSet set, int parallelFiles)
            throws Exception {
        List<SnapshotDir> snapshots = set.snapshots();
        List<PlainS3Upload.Put> puts = new ArrayList<>();
        for (SnapshotDir s : snapshots) {
            for (String file : s.files()) {
                puts.add(new PlainS3Upload.Put(s.tabletDir().resolve(file), remoteDir(s.tabletId()) + "/" + file));
            }
        }
        String name = "bench" + set.suffix().replace('_', '-');
        double[] baseline = new double[ROUNDS];
        double[] upload = new double[ROUNDS];
        for (int round = 1; round <= ROUNDS; round++) {
            String plainBucket = name + "-plain-" + round;
            String snapbusBucket = name + "-snapbus-" + round;
            plain.createBucket(plainBucket);
            plain.createBucket(snapbusBucket);
            sync();
            double cpu = cpuSeconds();
            double baselineRound = timed(() -> plain.putAll(plainBucket, puts, parallelFiles));
            double baselineCpu = cpuSeconds() - cpu;
            baseline[round - 1] = baselineRound;
            sync();
            cpu = cpuSeconds();
            double uploadRound = timed(() -> driver.uploadAll(snapshots, "s3://" + snapbusBucket,
                    TStorageBackendType.S3, s3Properties(s3), DataPlaneBenchmark::remoteDir));
            double uploadCpu = cpuSeconds() - cpu;
            upload[round - 1] = uploadRound;
            progress("round %d: plain SDK %.2f s (JVM CPU %.2f s), upload %.2f s (JVM CPU %.2f s)", round,
                    baselineRound, baselineCpu, uploadRound, uploadCpu);
            if (round == ROUNDS) {
                verifyS3(snapshots, plain, snapbusBucket, plainBucket, puts.size());
            }
        }
        figure("upload_s3" + set.suffix(), set, new Rounds(upload, baseline), "AWS SDK v2 PutObject x" + parallelFiles,
                "S3 repository on s3proxy (filesystem backend, same disk): one PUT with Content-MD5 per file");
    }

    private static Map<String, String> s3Properties(BenchS3 s3) {
        return Map.of("AWS_ENDPOINT", s3.endpoint().toString(), "AWS_REGION", s3.region(), "AWS_ACCESS_KEY",
                s3.accessKey(), "AWS_SECRET_KEY", s3.secretKey(), "use_path_style", "true");
    }

    private static String remoteDir(long tabletId) {
        return RepositoryLayout.tabletDir("bench", "data_plane", 1, 1, 2, 3, tabletId);
    }

    /** Every file of every tablet is in the repository; a sample is checked byte for byte through its md5. */
    private void verify(List<SnapshotDir> snapshots, Path repository) throws IOException {
        int checked = 0;
        for (SnapshotDir s : snapshots) {
            Path dir = repository.resolve(remoteDir(s.tabletId()));
            List<String> stored;
            try (Stream<Path> listing = Files.list(dir)) {
                stored = listing.map(p -> p.getFileName().toString()).sorted().toList();
            }
            List<String> names = stored.stream().map(n -> RepositoryLayout.parseChecksummed(n).orElseThrow().name())
                    .sorted().toList();
            if (!names.equals(s.files().stream().sorted().toList())) {
                throw new IllegalStateException("tablet " + s.tabletId() + ": repository holds " + names
                        + ", snapshot has " + s.files());
            }
            if (s.tabletId() % 8 == 0) {
                for (String name : stored) {
                    String md5 = RepositoryLayout.parseChecksummed(name).orElseThrow().md5();
                    if (!Md5.of(dir.resolve(name)).equals(md5)) {
                        throw new IllegalStateException("md5 of " + dir.resolve(name) + " does not match its name");
                    }
                    checked++;
                }
            }
        }
        progress("verified: every snapshot file is in the repository; %d files re-hashed and matched", checked);
    }

    /**
     * S3: every snapshot file is in the snapbus bucket under its md5 name with its size, a sample is read back and
     * hashed against its name, and the baseline bucket holds as many objects as there are files.
     */
    private void verifyS3(List<SnapshotDir> snapshots, PlainS3Upload s3, String bucket, String baselineBucket,
            int files) throws IOException {
        int checked = 0;
        for (SnapshotDir s : snapshots) {
            String prefix = remoteDir(s.tabletId()) + "/";
            Map<String, Long> stored = s3.list(bucket, prefix);
            Map<String, Long> expected = new java.util.TreeMap<>();
            for (String file : s.files()) {
                expected.put(file, Files.size(s.tabletDir().resolve(file)));
            }
            Map<String, Long> found = new java.util.TreeMap<>();
            for (Map.Entry<String, Long> object : stored.entrySet()) {
                String name = object.getKey().substring(prefix.length());
                found.put(RepositoryLayout.parseChecksummed(name).orElseThrow().name(), object.getValue());
                if (s.tabletId() % 8 == 0) {
                    String md5 = RepositoryLayout.parseChecksummed(name).orElseThrow().md5();
                    if (!s3.md5Of(bucket, object.getKey()).equals(md5)) {
                        throw new IllegalStateException("md5 of s3://" + bucket + "/" + object.getKey()
                                + " does not match its name");
                    }
                    checked++;
                }
            }
            if (!found.equals(expected)) {
                throw new IllegalStateException("tablet " + s.tabletId() + ": bucket " + bucket + " holds " + found
                        + ", snapshot has " + expected);
            }
        }
        int baselineObjects = s3.list(baselineBucket, "").size();
        if (baselineObjects != files) {
            throw new IllegalStateException("the baseline bucket holds " + baselineObjects + " objects, not " + files);
        }
        progress("verified: every snapshot file is in bucket %s with its size; %d objects read back and matched;"
                + " the baseline bucket holds all %d files", bucket, checked, files);
    }

    /** One line: the value and ratio are the best round of each side; the medians and every round follow. */
    private void figure(String metric, DataSet set, Rounds rounds, String baseline, String note) {
        long bytes = set.bytes();
        long files = set.files();
        double seconds = rounds.bestSeconds();
        double baselineSeconds = rounds.baselineBestSeconds();
        double value = bytes / seconds / 1e6;
        double baselineValue = bytes / baselineSeconds / 1e6;
        Figure figure = Figure.of("data-plane", metric, value, 1, "MB/s").with("baseline", baseline)
                .with("baseline_value", baselineValue, 1).with("ratio", value / baselineValue, 2)
                .with("seconds", seconds, 2).with("baseline_seconds", baselineSeconds, 2).with("files", files)
                .with("bytes", bytes).with("files_per_s", files / seconds, 0)
                .with("baseline_files_per_s", files / baselineSeconds, 0);
        rounds.describe(figure, bytes).with("note", note).printTo(out);
    }

    private void progress(String format, Object... args) {
        System.err.printf(Locale.ROOT, "bench data-plane: " + format + "%n", args);
    }

    /** CPU this JVM (storage node and benchmark driver) has used, user and system. */
    private static double cpuSeconds() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime() / 1e9;
    }

}
