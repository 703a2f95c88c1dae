package io.snapbus.node.bench;

import static io.snapbus.node.bench.LocalDisk.deleteTree;
import static io.snapbus.node.bench.LocalDisk.seconds;
import static io.snapbus.node.bench.LocalDisk.sync;
import static io.snapbus.node.bench.LocalDisk.timed;

import io.snapbus.bench.Figure;
import io.snapbus.node.StorageNodeConfig;
import io.snapbus.repository.RepositoryLayout;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code snapbus bench restore --plane data}: the data side of a restore on one storage node. Backs up tablets to a
 * filesystem repository as a backup does (MAKE_SNAPSHOT, UPLOAD), snapshots new empty replicas as a restore does, then
 * times DOWNLOAD tasks filling those replicas' snapshot dirs from the repository (every byte fetched, md5-checked and
 * fsynced) against {@code cp -r} of the same repository dirs followed by {@code sync}, the sides taking turns. Then a
 * second DOWNLOAD of the unchanged snapshot (every data file skipped after an md5 check) against {@code md5sum} of the
 * same files, and the same for many small files. Prints one JSON line per figure.
 */
public final class DownloadBenchmark {
    /** Rounds of each side: even, so each side goes first as often as the other. */
    public static final int DEFAULT_ROUNDS = 4;
    private static final long LARGE_FIRST_TABLET = 190_000L;
    private static final long SMALL_FIRST_TABLET = 600_000L;
    /** The new replicas a restore downloads into: the backed-up tablet's id plus this. */
    private static final long REPLICA_OFFSET = 50_000L;
    /** Small files as in the data-plane benchmark: 19 rowsets of 4 rows (~3.5 KB) plus the header per tablet. */
    private static final int SMALL_LOADS_PER_TABLET = 19;
    private static final int SMALL_ROWS_PER_LOAD = 4;
    private static final String PAGE_CACHE_NOTE = "page cache not dropped (a machine-wide action on a shared"
            + " machine): both sides read the same repository files, cached by the backup that wrote them";

    /**
     * What to build and where.
     *
     * @param smallFiles how many small files the small-files figures download (0: none)
     * @param rounds     rounds of each side (at least 1; even keeps the order fair)
     */
    public record Options(Path workDir, long sizeBytes, int tablets, int loadsPerTablet, boolean keep, int smallFiles,
            int rounds) {}

    /**
     * One tablet of a restore: the repository tablet dir (relative to the repository) and the new replica's snapshot
     * tablet dir it is downloaded into.
     */
    public record TabletRestore(String remoteDir, Path repositoryDir, Path localDir, long localTabletId) {}

    /** The tablets of one data set, and the suffix its figures' metric names carry. */
    public record DataSet(String suffix, List<TabletRestore> tablets, long files, long bytes) {}

    private final Options options;
    private final PrintStream out;

    public DownloadBenchmark(Options options, PrintStream out) {
        if (options.rounds() < 1) {
            throw new IllegalArgumentException("rounds must be at least 1, got " + options.rounds());
        }
        this.options = options;
        this.out = out;
    }

    /**
     * Builds, measures, verifies and prints; returns the data sets measured. With {@link Options#keep()} the work dir
     * stays, the last download of every set still in the replicas' snapshot dirs.
     */
    public List<DataSet> run() throws Exception {
        Path work = options.workDir().toAbsolutePath();
        deleteTree(work);
        Files.createDirectories(work);
        StorageNodeConfig config = BenchNode.config(work.resolve("node"));
        Path repository = work.resolve("repo");
        List<DataSet> measured = new ArrayList<>();
        try (BenchNode node = BenchNode.start(config)) {
            DataSet large = build(node, repository, "", LARGE_FIRST_TABLET, options.tablets(),
                    options.loadsPerTablet(), BenchData.rowsPerLoad(options.sizeBytes(), options.tablets(),
                            options.loadsPerTablet()));
            measure(work, node, repository, large);
            measured.add(large);
            if (options.smallFiles() > 0) {
                int tablets = Math.max(1, options.smallFiles() / (SMALL_LOADS_PER_TABLET + 1));
                DataSet small = build(node, repository, "_small_files", SMALL_FIRST_TABLET, tablets,
                        SMALL_LOADS_PER_TABLET, SMALL_ROWS_PER_LOAD);
                measure(work, node, repository, small);
                measured.add(small);
            }
        } finally {
            if (!options.keep()) {
                deleteTree(work);
            }
        }
        return measured;
    }

    /**
     * The backup side, as a backup writes it: tablets loaded, MAKE_SNAPSHOT, UPLOAD to the repository (no fsync: the
     * files' durability is not what is measured, and a {@code sync} follows); then the restore's new replicas, created
     * empty and snapshotted without a version, as a restore job does before it sends DOWNLOAD.
     */
    private DataSet build(BenchNode node, Path repository, String suffix, long firstTablet, int tablets, int loads,
            int rowsPerLoad) throws Exception {
        long started = System.nanoTime();
        BenchData.generate(node.node().store(), firstTablet, tablets, loads, rowsPerLoad);
        progress("generated %d tablets x %d loads in %.1f s", tablets, loads, seconds(started));
        List<SnapshotDir> backedUp = node.snapshotAll(firstTablet, tablets);
        started = System.nanoTime();
        node.uploadAll(backedUp, repository, false, DownloadBenchmark::remoteDir);
        progress("uploaded %d tablets to %s in %.1f s", tablets, repository, seconds(started));
        BenchData.create(node.node().store(), firstTablet + REPLICA_OFFSET, tablets);
        List<SnapshotDir> replicas = node.snapshotAll(firstTablet + REPLICA_OFFSET, tablets);
        List<TabletRestore> restores = new ArrayList<>();
        long files = 0;
        long bytes = 0;
        for (int t = 0; t < tablets; t++) {
            String remote = remoteDir(firstTablet + t);
            Path repositoryDir = repository.resolve(remote);
            for (Path file : listFiles(repositoryDir)) {
                files++;
                bytes += Files.size(file);
            }
            restores.add(new TabletRestore(remote, repositoryDir, replicas.get(t).tabletDir(),
                    replicas.get(t).tabletId()));
        }
        sync();
        progress("repository holds %d files, %.0f MB, for %d new replicas", files, bytes / 1e6, tablets);
        return new DataSet(suffix, List.copyOf(restores), files, bytes);
    }

    private void measure(Path work, BenchNode node, Path repository, DataSet set) throws Exception {
        progress("node: download_worker_count %d, download_file_parallelism %d",
                node.config().restore().downloadWorkerCount(), node.config().restore().downloadFileParallelism());
        Map<String, Path> pairs = new LinkedHashMap<>();
        set.tablets().forEach(t -> pairs.put(t.remoteDir(), t.localDir()));
        List<Path> sources = set.tablets().stream().map(TabletRestore::repositoryDir).toList();
        Path cpTarget = work.resolve("cp");
        int rounds = options.rounds();
        double[] download = new double[rounds];
        double[] copy = new double[rounds];
        List<String> order = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            long deleted = emptySnapshotDirs(set) + deleteTree(cpTarget);
            LocalDisk.settle(deleted, line -> progress("%s", line));
            boolean downloadFirst = round % 2 == 0;
            DownloadTiming fetched;
            CopyTiming copied;
            if (downloadFirst) {
                fetched = downloadRound(node, pairs, repository, set);
                copied = copyRound(sources, cpTarget);
            } else {
                copied = copyRound(sources, cpTarget);
                fetched = downloadRound(node, pairs, repository, set);
            }
            download[round] = fetched.seconds();
            copy[round] = copied.seconds();
            order.add(downloadFirst ? "download" : "cp");
            progress("round %d (%s first): DOWNLOAD %.2f s (JVM CPU %.2f s), cp -r %.2f s + sync %.2f s",
                    round + 1, order.get(round), fetched.seconds(), fetched.cpuSeconds(), copied.copySeconds(),
                    copied.syncSeconds());
        }
        deleteTree(cpTarget);
        verify(set);
        figure(set, download, copy, order);
        recheck(node, pairs, repository, set);
    }

    /** A DOWNLOAD round: wall-clock seconds and the CPU this JVM (node and driver) used meanwhile. */
    private record DownloadTiming(double seconds, double cpuSeconds) {}

    /** A {@code cp -r} round: the copy and the {@code sync} after it, timed apart. */
    private record CopyTiming(double copySeconds, double syncSeconds) {
        double seconds() {
            return copySeconds + syncSeconds;
        }
    }

    /** DOWNLOAD tasks from a synced page cache, timed until the last finish report: every file fetched, durable. */
    private static DownloadTiming downloadRound(BenchNode node, Map<String, Path> pairs, Path repository, DataSet set)
            throws Exception {
        sync();
        double cpu = cpuSeconds();
        long[] fetched = new long[1];
        double seconds = timed(() -> fetched[0] = node.downloadAll(pairs, repository));
        if (fetched[0] != set.bytes()) {
            throw new IllegalStateException("the DOWNLOAD tasks fetched " + fetched[0] + " bytes, the repository"
                    + " holds " + set.bytes() + ": files were skipped, so not every byte was measured");
        }
        return new DownloadTiming(seconds, cpuSeconds() - cpu);
    }

    /** {@code cp -r} of the repository tablet dirs from a synced page cache, then the {@code sync} making it durable. */
    private static CopyTiming copyRound(List<Path> sources, Path target) throws Exception {
        sync();
        double copy = timed(() -> LocalDisk.copyWithCp(sources, target));
        double synced = timed(LocalDisk::sync);
        return new CopyTiming(copy, synced);
    }

    /**
     * A second DOWNLOAD of the unchanged snapshot: each data file's local md5 matches its repository name, so only the
     * headers are fetched; against {@code md5sum} of the same local files, in one process.
     */
    private void recheck(BenchNode node, Map<String, Path> pairs, Path repository, DataSet set) throws Exception {
        List<Path> local = new ArrayList<>();
        for (TabletRestore t : set.tablets()) {
            local.addAll(listFiles(t.localDir()));
        }
        sync();
        long[] fetched = new long[1];
        double seconds = timed(() -> fetched[0] = node.downloadAll(pairs, repository));
        long checked = set.bytes() - fetched[0];
        sync();
        double md5sum = timed(() -> md5sum(local));
        double value = checked / seconds / 1e6;
        double baseline = checked / md5sum / 1e6;
        Figure.of("restore", "download_unchanged" + set.suffix(), value, 1, "MB/s")
                .with("baseline", "md5sum of the same files").with("baseline_value", baseline, 1)
                .with("ratio", value / baseline, 2).with("seconds", seconds, 2).with("baseline_seconds", md5sum, 2)
                .with("files", set.files()).with("bytes_checked", checked).with("bytes_fetched", fetched[0])
                .with("page_cache_dropped", false)
                .with("note", "every data file already there: its md5 is computed and matches, only the headers are"
                        + " fetched; MB/s of the bytes checked").printTo(out);
    }

    /** {@code md5sum} of the files, in batches that keep the command line short. */
    private static void md5sum(List<Path> files) throws Exception {
        for (int i = 0; i < files.size(); i += 1000) {
            List<String> command = new ArrayList<>(List.of("md5sum"));
            files.subList(i, Math.min(files.size(), i + 1000)).forEach(p -> command.add(p.toString()));
            Process process = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            if (process.waitFor() != 0) {
                throw new IllegalStateException("md5sum failed with exit code " + process.exitValue());
            }
        }
    }

    /** Deletes what a download wrote, so the next round fetches every byte again (the node needs the dirs). */
    private static long emptySnapshotDirs(DataSet set) throws IOException {
        long deleted = 0;
        for (TabletRestore t : set.tablets()) {
            for (Path file : listFiles(t.localDir())) {
                Files.delete(file);
                deleted++;
            }
        }
        return deleted;
    }

    /**
     * Every repository file is in its replica's snapshot dir under its local name with the same bytes, and nothing
     * else is there.
     */
    private void verify(DataSet set) throws IOException {
        long files = 0;
        long bytes = 0;
        for (TabletRestore t : set.tablets()) {
            List<String> expected = new ArrayList<>();
            for (Path stored : listFiles(t.repositoryDir())) {
                String name = RepositoryLayout.parseChecksummed(stored.getFileName().toString()).orElseThrow().name();
                String localName = name.endsWith(".hdr") ? t.localTabletId() + ".hdr" : name;
                expected.add(localName);
                Path local = t.localDir().resolve(localName);
                if (Files.mismatch(stored, local) != -1) {
                    throw new IllegalStateException(local + " differs from " + stored);
                }
                files++;
                bytes += Files.size(local);
            }
            List<String> found = listFiles(t.localDir()).stream().map(p -> p.getFileName().toString()).toList();
            if (!found.equals(expected.stream().sorted().toList())) {
                throw new IllegalStateException(t.localDir() + " holds " + found + ", expected " + expected);
            }
        }
        progress("verified: %d files, %d bytes, byte for byte equal to the repository's", files, bytes);
    }

    private void figure(DataSet set, double[] download, double[] copy, List<String> order) {
        Rounds rounds = new Rounds(download, copy);
        double seconds = Rounds.median(download);
        double baselineSeconds = Rounds.median(copy);
        double value = set.bytes() / seconds / 1e6;
        double baseline = set.bytes() / baselineSeconds / 1e6;
        Figure figure = Figure.of("restore", "download_fs" + set.suffix(), value, 1, "MB/s").with("baseline", "cp -r + sync")
                .with("baseline_value", baseline, 1).with("ratio", value / baseline, 2)
                .with("seconds", seconds, 2).with("baseline_seconds", baselineSeconds, 2)
                .with("first", String.join(",", order)).with("files", set.files()).with("bytes", set.bytes())
                .with("files_per_s", set.files() / seconds, 0)
                .with("baseline_files_per_s", set.files() / baselineSeconds, 0)
                .with("page_cache_dropped", false);
        rounds.describe(figure, set.bytes()).with("note", "value: the median round of each side; DOWNLOAD tasks of "
                + BenchNode.TABLETS_PER_TASK + " tablets, md5 checked, made durable together per task; "
                + PAGE_CACHE_NOTE).printTo(out);
    }

    private static List<Path> listFiles(Path dir) throws IOException {
        try (Stream<Path> listing = Files.list(dir)) {
            return listing.filter(Files::isRegularFile).sorted().toList();
        }
    }

    private static String remoteDir(long tabletId) {
        return RepositoryLayout.tabletDir("bench", "restore", 1, 1, 2, 3, tabletId);
    }

    /** CPU this JVM (storage node and benchmark driver) has used, user and system. */
    private static double cpuSeconds() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime() / 1e9;
    }

    private void progress(String format, Object... args) {
        System.err.printf(Locale.ROOT, "bench restore: " + format + "%n", args);
    }
}
