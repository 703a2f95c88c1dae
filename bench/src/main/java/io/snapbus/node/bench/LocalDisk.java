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

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
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
