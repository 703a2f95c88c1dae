package io.snapbus.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Memory of another local process, as benchmarks report it: RSS and its high-water mark, and a JVM's used heap. */
final class ProcessMemory {
    private static final Pattern HEAP_USED = Pattern.compile("total \\d+K, used (\\d+)K");

    private ProcessMemory() {}

    /** {@code VmRSS} of the process in bytes (Linux /proc), or -1 when it cannot be read. */
    static long rss(long pid) {
        return status(pid, "VmRSS:");
    }

    /** {@code VmHWM} (peak RSS since start) in bytes, or -1. */
    static long peakRss(long pid) {
        return status(pid, "VmHWM:");
    }

    /**
     * Used heap of a JVM in bytes from {@code jcmd <pid> GC.heap_info} (the JDK's own tool, next to this JVM's java),
     * or -1 when it does not answer.
     */
    static long usedHeap(long pid) {
        String out = jcmd(pid, "GC.heap_info");
        Matcher m = HEAP_USED.matcher(out);
        return m.find() ? Long.parseLong(m.group(1)) * 1024 : -1;
    }

    /** Runs {@code jcmd <pid> <command...>} and returns its output ("" when it fails). */
    static String jcmd(long pid, String... command) {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        String[] args = new String[command.length + 2];
        args[0] = Files.isExecutable(jcmd) ? jcmd.toString() : "jcmd";
        args[1] = Long.toString(pid);
        System.arraycopy(command, 0, args, 2, command.length);
        try {
            Process process = new ProcessBuilder(args).redirectErrorStream(true).start();
            byte[] bytes = process.getInputStream().readAllBytes();
            process.waitFor(60, TimeUnit.SECONDS);
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    private static long status(long pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
