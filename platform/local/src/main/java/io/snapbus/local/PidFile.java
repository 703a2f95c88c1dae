package io.snapbus.local;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The record, in the data folder, of which OS process runs a component: its pid, its start time and the marker
 * argument its command line carries. A process is only treated as "ours" while all three still match, so a
 * recycled pid is never stopped by mistake.
 */
record PidFile(String component, long pid, Instant processStart, String marker) {

    static void write(Path file, String component, ProcessHandle process, String marker) {
        Properties props = new Properties();
        props.setProperty("component", component);
        props.setProperty("pid", Long.toString(process.pid()));
        process.info().startInstant().ifPresent(start -> props.setProperty("process.start", start.toString()));
        props.setProperty("marker", marker);
        StackLayout.createDirectories(component, file.getParent());
        try {
            Path temp = Files.createTempFile(file.getParent(), "." + component, ".pid.tmp");
            try (Writer out = Files.newBufferedWriter(temp)) {
                props.store(out, "snapbus local stack: the process that runs " + component);
            }
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new LocalComponentException(component, "cannot write the pid file " + file + " (" + e + "); check that the data"
                    + " folder is writable", e);
        }
    }

    /** The pid file's content, or empty when it is missing or unreadable (then there is nothing we may stop). */
    static Optional<PidFile> read(Path file) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        Properties props = new Properties();
        try (Reader in = Files.newBufferedReader(file)) {
            props.load(in);
            String start = props.getProperty("process.start");
            return Optional.of(new PidFile(props.getProperty("component", file.getFileName().toString()),
                    Long.parseLong(props.getProperty("pid", "").trim()),
                    start == null ? null : Instant.parse(start), props.getProperty("marker", "")));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The live process this file names, if it is still the one we started (same start time, marker on its command line). */
    Optional<ProcessHandle> liveProcess() {
        if (marker.isBlank()) {
            return Optional.empty();
        }
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(this::isOurs);
    }

    private boolean isOurs(ProcessHandle handle) {
        ProcessHandle.Info info = handle.info();
        if (processStart != null && info.startInstant().isPresent() && !info.startInstant().get().equals(processStart)) {
            return false;
        }
        Optional<String[]> arguments = info.arguments();
        if (arguments.isPresent()) {
            return Arrays.asList(arguments.get()).contains(marker);
        }
        return info.commandLine().map(line -> line.contains(marker)).orElse(false);
    }

    /** Refuses to start a component whose data folder is still used by a live process of another stack. */
    static void refuseIfRunning(String component, Path file) {
        read(file).flatMap(PidFile::liveProcess).ifPresent(process -> {
            throw new LocalComponentException(component, "the data folder is in use by a running " + component + " (pid "
                    + process.pid() + ", see " + file + "); stop that stack first (LocalStack.stopFromPidFiles or the CLI's"
                    + " `down`), or choose another data folder");
        });
    }

    /**
     * Stops every live process named by a pid file in {@code layout}'s run folder that is still ours (see
     * {@link #liveProcess()}), then removes all pid files there, stale ones included.
     */
    static List<String> stopAll(StackLayout layout, Duration grace) {
        Map<String, ProcessHandle> live = live(layout);
        List<String> stopped = new ArrayList<>();
        live.forEach((component, process) -> stopped.add(component + " (pid " + process.pid() + ")"));
        LocalProcess.terminate(new ArrayList<>(live.values()), grace);
        for (Path file : pidFiles(layout)) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                throw new LocalComponentException("stack", "cannot delete pid file " + file + " (" + e + ")", e);
            }
        }
        return stopped;
    }

    /** Component name to its live process, for every pid file of the layout that still names a process started there. */
    static Map<String, ProcessHandle> live(StackLayout layout) {
        Map<String, ProcessHandle> live = new TreeMap<>();
        for (Path file : pidFiles(layout)) {
            read(file).filter(p -> p.marker().equals(layout.marker()))
                    .ifPresent(p -> p.liveProcess().ifPresent(process -> live.put(p.component(), process)));
        }
        return live;
    }

    private static List<Path> pidFiles(StackLayout layout) {
        List<Path> pidFiles = new ArrayList<>();
        if (!Files.isDirectory(layout.run())) {
            return pidFiles;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(layout.run(), "*.pid")) {
            files.forEach(pidFiles::add);
        } catch (IOException e) {
            throw new LocalComponentException("stack", "cannot read the pid files in " + layout.run() + " (" + e + ")", e);
        }
        return pidFiles;
    }
}
