package io.snapbus.node.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** The benchmarks' baselines and housekeeping on the local disk: {@code cp -r}, {@code sync}, deleting trees. */
final class LocalDisk {
    private LocalDisk() {}

    /** {@code cp -r <sources...> <target>}, in a process of its own; the target dir is created first. */
    static void copyWithCp(List<Path> sources, Path target) throws Exception {
        Files.createDirectories(target);
        List<String> command = new ArrayList<>(List.of("cp", "-r"));
        sources.forEach(s -> command.add(s.toString()));
        command.add(target.toString());
        exec(command);
    }

    /** {@code sync}: every dirty page of the machine to disk. */
    static void sync() throws Exception {
        exec(List.of("sync"));
    }

    static void exec(List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).inheritIO().start();
        if (process.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command.subList(0, Math.min(2, command.size())))
                    + " failed with exit code " + process.exitValue());
        }
    }

    /** Deletes {@code root} and everything under it; returns how many files and dirs were deleted. */
    static long deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return 0;
        }
        long deleted = 0;
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                if (Files.deleteIfExists(p)) {
                    deleted++;
                }
            }
        }
        return deleted;
    }

    /** Deleted files past which a round waits for the inodes to settle: a few hundred cost nothing measurable. */
    static final long SETTLE_AFTER_FILES = 4_000;
    /** ext4's window (RECENTCY_MIN, 60 s, once the inode table block is clean) and one second more. */
    static final long SETTLE_SECONDS = 61;

    /**
     * After deleting many files, {@code sync} and wait {@value #SETTLE_SECONDS} s before the next round creates files.
     * On ext4 without a journal (this machine's disk) the inode allocator skips every inode deleted less than 60 s
     * ago (300 s more while its inode table block is dirty), scanning past them one by one for every new file
     * ({@code find_inode_bit} → {@code recently_deleted}, measured with {@code perf}: 38% of the upload's samples).
     * A round that started right after deleting the last round's 10 000 files paid that scan for each new file,
     * whichever side went first, and its times swung 10× between rounds.
     */
    static void settle(long deletedFiles, java.util.function.Consumer<String> progress) throws Exception {
        if (deletedFiles >= SETTLE_AFTER_FILES) {
            settle("deleted " + deletedFiles + " files", progress);
        }
    }

    /** {@code sync}, then wait {@value #SETTLE_SECONDS} s: files deleted before no longer slow down new ones. */
    static void settle(String why, java.util.function.Consumer<String> progress) throws Exception {
        sync();
        progress.accept(why + "; waiting " + SETTLE_SECONDS + " s for the filesystem to reuse deleted inodes freely");
        Thread.sleep(SETTLE_SECONDS * 1000);
    }

    interface Step {
        void run() throws Exception;
    }

    /** Seconds {@code step} took, wall clock. */
    static double timed(Step step) throws Exception {
        long started = System.nanoTime();
        step.run();
        return seconds(started);
    }

    static double seconds(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1e9;
    }
}
