package io.snapbus.repository;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Opt-in benchmark ({@code -Dsnapbus.bench=true}, optionally {@code -Dsnapbus.bench.dir=/some/dir} on the disk to
 * measure): {@code uploadWithChecksum} into a filesystem repository against {@code cp -r} of the same files on the same
 * disk, each run twice, reporting the second runs. Caches are not dropped: both sides read from the page cache.
 */
@EnabledIfSystemProperty(named = "snapbus.bench", matches = "true")
class UploadThroughputBenchmark {

    private static final long MIB = 1024 * 1024;

    @Test
    void oneLargeFile() throws Exception {
        Path work = workDir();
        Path source = Files.createDirectories(work.resolve("one"));
        fill(source.resolve("big.dat"), 1024 * MIB);
        compare(work, source, 1);
    }

    @Test
    void manySmallFiles() throws Exception {
        Path work = workDir();
        Path source = Files.createDirectories(work.resolve("many"));
        for (int i = 0; i < 200; i++) {
            fill(source.resolve(String.format("f%03d.dat", i)), 5 * MIB);
        }
        compare(work, source, 1);
        compare(work, source, 2);
    }

    private static void compare(Path work, Path source, int threads) throws Exception {
        List<Path> files;
        try (Stream<Path> list = Files.list(source)) {
            files = list.sorted().toList();
        }
        long bytes = 0;
        for (Path f : files) {
            bytes += Files.size(f);
        }
        for (String fsync : List.of("false", "true")) {
            double cp = 0;
            double upload = 0;
            for (int run = 1; run <= 2; run++) {
                Path cpTarget = work.resolve("cp-target");
                Path repo = work.resolve("repo");
                deleteTree(cpTarget);
                deleteTree(repo);
                sync();
                long t0 = System.nanoTime();
                Process p = new ProcessBuilder("cp", "-r", source.toString(), cpTarget.toString()).inheritIO().start();
                assertThat(p.waitFor()).isZero();
                cp = (System.nanoTime() - t0) / 1e9;
                sync();
                ExecutorService pool = Executors.newFixedThreadPool(threads);
                try (RepositoryStorage storage = RepositoryStorages.open(RepositorySpec.of(repo.toUri(), Map.of(RepositorySpec.FS_FSYNC, fsync)))) {
                    long t1 = System.nanoTime();
                    List<Future<String>> done = new ArrayList<>();
                    for (Path f : files) {
                        done.add(pool.submit(() -> storage.uploadWithChecksum(f, "__palo_repository_b/__ss_x/" + f.getFileName())));
                    }
                    for (Future<String> d : done) {
                        d.get();
                    }
                    upload = (System.nanoTime() - t1) / 1e9;
                } finally {
                    pool.shutdown();
                }
            }
            System.out.printf("BENCH %d files, %d MiB, %d upload thread(s), fsync=%s: cp -r %.2f s (%.0f MiB/s), uploadWithChecksum %.2f s"
                    + " (%.0f MiB/s), ratio cp/upload %.2f%n", files.size(), bytes / MIB, threads, fsync, cp, bytes / MIB / cp, upload,
                    bytes / MIB / upload, cp / upload);
        }
        deleteTree(work.resolve("cp-target"));
        deleteTree(work.resolve("repo"));
    }

    private static Path workDir() throws IOException {
        Path base = Path.of(System.getProperty("snapbus.bench.dir", "target/bench"));
        return Files.createDirectories(base.toAbsolutePath());
    }

    private static void fill(Path file, long size) throws IOException {
        if (Files.exists(file) && Files.size(file) == size) {
            return;
        }
        byte[] block = new byte[(int) MIB];
        Random random = new Random(file.hashCode());
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long written = 0; written < size; written += block.length) {
                random.nextBytes(block);
                out.write(block, 0, (int) Math.min(block.length, size - written));
            }
        }
    }

    private static void sync() throws Exception {
        new ProcessBuilder("sync").start().waitFor();
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
