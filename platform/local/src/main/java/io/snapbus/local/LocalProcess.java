package io.snapbus.local;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One launched component JVM: its {@link Process}, the log file that receives its output, and its pid file.
 * Stops exactly that process and whatever it spawned, and (when asked to) never outlives the JVM that started it.
 */
final class LocalProcess {

    private static final Logger log = LoggerFactory.getLogger(LocalProcess.class);
    private static final Set<LocalProcess> STOP_ON_EXIT = ConcurrentHashMap.newKeySet();
    private static final Pattern STACK_FRAME = Pattern.compile("^\\s+(at |\\.\\.\\. \\d+ (more|common frames omitted))");

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(LocalProcess::stopAllOnExit, "snapbus-local-shutdown"));
    }

    private final String component;
    private final Process process;
    private final Path logFile;
    private final long logOffset;
    private final Path pidFile;
    private final List<Runnable> afterStop = new CopyOnWriteArrayList<>();

    private LocalProcess(String component, Process process, Path logFile, long logOffset, Path pidFile) {
        this.component = component;
        this.process = process;
        this.logFile = logFile;
        this.logOffset = logOffset;
        this.pidFile = pidFile;
    }

    /** What to run and where its traces go. */
    record Spec(String component, List<String> command, Map<String, String> environment, Path workDir, StackLayout layout,
                boolean stopWithOwner) {
    }

    static LocalProcess launch(Spec spec) {
        String component = spec.component();
        Path logFile = spec.layout().logFile(component);
        StackLayout.createDirectories(component, logFile.getParent());
        StackLayout.createDirectories(component, spec.workDir());
        long offset;
        try {
            Files.writeString(logFile, "==== snapbus-local: starting " + component + " at " + Instant.now() + " ====\n",
                    StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            offset = Files.size(logFile);
        } catch (IOException e) {
            throw new LocalComponentException(component, "cannot write its log file " + logFile + " (" + e + "); check that the"
                    + " data folder is writable", e);
        }
        ProcessBuilder builder = new ProcessBuilder(spec.command())
                .directory(spec.workDir().toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        builder.environment().putAll(spec.environment());
        Process process;
        try {
            process = builder.start();
            process.getOutputStream().close();
        } catch (IOException e) {
            throw new LocalComponentException(component, "cannot launch " + spec.command().get(0) + " (" + e + "); check the"
                    + " configured java home", e);
        }
        LocalProcess launched = new LocalProcess(component, process, logFile, offset, spec.layout().pidFile(component));
        if (spec.stopWithOwner()) {
            STOP_ON_EXIT.add(launched);
        }
        try {
            PidFile.write(launched.pidFile, component, process.toHandle(), spec.layout().marker());
        } catch (RuntimeException e) {
            launched.stop(Duration.ofSeconds(5));
            throw e;
        }
        return launched;
    }

    /** Runs {@code action} once the process has been stopped (by {@link #stop} or the shutdown hook). */
    void afterStop(Runnable action) {
        afterStop.add(action);
    }

    private void runAfterStop() {
        for (Runnable action : afterStop) {
            try {
                action.run();
            } catch (RuntimeException e) {
                log.debug("{}: after-stop action failed: {}", component, e.toString());
            }
        }
        afterStop.clear();
    }

    String component() {
        return component;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    Optional<Integer> exitCode() {
        return process.isAlive() ? Optional.empty() : Optional.of(process.exitValue());
    }

    Path logFile() {
        return logFile;
    }

    /**
     * The last {@code lines} lines this run of the component wrote (earlier runs in the same file are skipped),
     * without stack frames ({@code at …}, {@code ... n more}): the messages and their causes are what a reader needs.
     */
    String logTail(int lines) {
        List<String> all = recentLog().lines().filter(line -> !STACK_FRAME.matcher(line).find()).toList();
        if (all.isEmpty()) {
            return "(the log is empty)";
        }
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    /** Up to the last 256 KiB this run of the component wrote. */
    String recentLog() {
        try (RandomAccessFile file = new RandomAccessFile(logFile.toFile(), "r")) {
            long length = file.length();
            long from = Math.max(logOffset, length - 256 * 1024);
            if (from >= length) {
                return "";
            }
            byte[] bytes = new byte[(int) (length - from)];
            file.seek(from);
            file.readFully(bytes);
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(cannot read " + logFile + ": " + e + ")";
        }
    }

    /**
     * SIGTERM, wait up to {@code grace}, then SIGKILL; the same for every descendant (collected before the parent
     * ends, since an orphan is no longer its descendant). Removes the pid file if it still names this process.
     */
    void stop(Duration grace) {
        boolean wasAlive = process.isAlive();
        terminate(List.of(process.toHandle()), grace);
        if (wasAlive) {
            noteInLog("stopped (exit code " + exitCode().map(String::valueOf).orElse("unknown") + ")");
        }
        runAfterStop();
        try {
            Optional<PidFile> current = PidFile.read(pidFile);
            if (current.isPresent() && current.get().pid() == process.pid()) {
                Files.deleteIfExists(pidFile);
            }
        } catch (IOException e) {
            log.warn("{}: cannot delete pid file {}: {}", component, pidFile, e.toString());
        }
        STOP_ON_EXIT.remove(this);
    }

    private void noteInLog(String what) {
        try {
            Files.writeString(logFile, "==== snapbus-local: " + component + " " + what + " at " + Instant.now() + " ====\n",
                    StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            log.debug("{}: cannot note '{}' in {}: {}", component, what, logFile, e.toString());
        }
    }

    /** Ends {@code roots} and all their descendants: SIGTERM first, SIGKILL for whatever is still alive after {@code grace}. */
    static void terminate(List<ProcessHandle> roots, Duration grace) {
        List<ProcessHandle> all = new ArrayList<>();
        for (ProcessHandle root : roots) {
            all.addAll(root.descendants().toList());
            all.add(root);
        }
        all.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + grace.toNanos();
        for (ProcessHandle handle : all) {
            awaitExit(handle, Math.max(0, deadline - System.nanoTime()));
        }
        for (ProcessHandle handle : all) {
            if (handle.isAlive()) {
                handle.destroyForcibly();
                awaitExit(handle, TimeUnit.SECONDS.toNanos(5));
            }
        }
    }

    private static void awaitExit(ProcessHandle handle, long nanos) {
        try {
            handle.onExit().get(nanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception timeoutOrGone) {
            // checked again by the caller
        }
    }

    private static void stopAllOnExit() {
        List<LocalProcess> left = List.copyOf(STOP_ON_EXIT);
        if (left.isEmpty()) {
            return;
        }
        terminate(left.stream().map(p -> p.process.toHandle()).toList(), Duration.ofSeconds(10));
        for (LocalProcess p : left) {
            p.runAfterStop();
            try {
                Files.deleteIfExists(p.pidFile);
            } catch (IOException ignored) {
                // the JVM is exiting; a stale pid file is recognised as stale later
            }
        }
    }

    @Override
    public String toString() {
        return component + " (pid " + process.pid() + ")";
    }
}
