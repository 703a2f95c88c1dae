package io.snapbus.local;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.net.URI;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;

/**
 * How a component of the stack was launched, written to {@code <data>/run/<component>.launch} once it served, so
 * another process (the CLI's {@code start} and {@code restart}) can launch it again on the same data and ports.
 *
 * @param component         e.g. {@code kafka}, {@code node-1}, {@code job-service}
 * @param command           the command line as launched, tied to its owner when the stack was started with
 *                          {@code stopWithOwner} (minus a class data dump, which only the first run writes)
 * @param environment       its environment additions (the classpath, when passed as {@code CLASSPATH})
 * @param owner             the process the component must not outlive, if any
 * @param detachedCommand   the same JVM with no owner: used when the owner is gone (a stack left running)
 * @param detachedEnvironment its environment additions
 * @param workDir           the process's working folder
 * @param readiness         how to tell it serves again
 */
record LaunchRecord(String component, List<String> command, Map<String, String> environment, Optional<Owner> owner,
                    List<String> detachedCommand, Map<String, String> detachedEnvironment, Path workDir,
                    Readiness readiness) {

    LaunchRecord {
        command = List.copyOf(command);
        environment = Map.copyOf(environment);
        detachedCommand = List.copyOf(detachedCommand);
        detachedEnvironment = Map.copyOf(detachedEnvironment);
    }

    /** The process a component was tied to (by {@link OwnerWatch}); a pid is only trusted with its start time. */
    record Owner(long pid, Instant start) {
        static Optional<Owner> current(LocalStackConfig config) {
            if (!config.stopWithOwner()) {
                return Optional.empty();
            }
            ProcessHandle self = ProcessHandle.current();
            return self.info().startInstant().map(start -> new Owner(self.pid(), start));
        }

        boolean isAlive() {
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                    .flatMap(p -> p.info().startInstant()).map(start::equals).orElse(false);
        }
    }

    /** How to tell a launched component serves: what its first start waited for. */
    sealed interface Readiness {
        /** The port clients use, for {@code status}. */
        int port();

        /**
         * The broker answers a cluster description on {@code probePort}, its PLAINTEXT listener (the client port
         * itself unless clients must authenticate); clients use {@code port}.
         */
        record Kafka(int port, int probePort) implements Readiness {
            Kafka(int port) {
                this(port, port);
            }
        }

        /** {@code GET url} answers with {@code expectedStatus}, or with any status when it is 0. */
        record Http(URI url, int expectedStatus) implements Readiness {
            @Override
            public int port() {
                return url.getPort();
            }
        }

        /** The service wrote {@code port} to {@code portFile} and accepts connections there. */
        record PortFile(Path portFile, int port) implements Readiness {}
    }

    /** The record of a component that has just become ready. */
    static LaunchRecord of(String component, JvmCommand command, LocalStackConfig config, Path workDir,
                           Readiness readiness) {
        List<String> launched = command.command().stream()
                .filter(option -> !option.startsWith("-XX:ArchiveClassesAtExit=")).toList();
        return new LaunchRecord(component, launched, command.environment(), Owner.current(config),
                command.detachedCommand(), command.detachedEnvironment(), workDir, readiness);
    }

    /** The command and environment to launch now: tied to the owner while it lives, else on its own. */
    List<String> commandNow() {
        return owner.filter(Owner::isAlive).isPresent() ? command : detachedCommand;
    }

    Map<String, String> environmentNow() {
        return owner.filter(Owner::isAlive).isPresent() ? environment : detachedEnvironment;
    }

    /** This record with every {@code -D<property>=…} of both command lines set to {@code value}. */
    LaunchRecord withSystemProperty(String property, String value) {
        return new LaunchRecord(component, setProperty(command, property, value), environment, owner,
                setProperty(detachedCommand, property, value), detachedEnvironment, workDir, readiness);
    }

    private static List<String> setProperty(List<String> command, String property, String value) {
        String prefix = "-D" + property + "=";
        return command.stream().map(arg -> arg.startsWith(prefix) ? prefix + value : arg).toList();
    }

    void write(StackLayout layout) {
        Properties props = new Properties();
        props.setProperty("component", component);
        putList(props, "command", command);
        environment.forEach((key, value) -> props.setProperty("env." + key, value));
        owner.ifPresent(o -> {
            props.setProperty("owner.pid", Long.toString(o.pid()));
            props.setProperty("owner.start", o.start().toString());
        });
        putList(props, "detached.command", detachedCommand);
        detachedEnvironment.forEach((key, value) -> props.setProperty("detached.env." + key, value));
        props.setProperty("workDir", workDir.toString());
        props.setProperty("ready.port", Integer.toString(readiness.port()));
        if (readiness instanceof Readiness.Kafka k) {
            props.setProperty("ready", "kafka");
            props.setProperty("ready.probe-port", Integer.toString(k.probePort()));
        } else if (readiness instanceof Readiness.Http h) {
            props.setProperty("ready", "http");
            props.setProperty("ready.url", h.url().toString());
            props.setProperty("ready.status", Integer.toString(h.expectedStatus()));
        } else if (readiness instanceof Readiness.PortFile p) {
            props.setProperty("ready", "port-file");
            props.setProperty("ready.file", p.portFile().toString());
        }
        Path file = layout.launchFile(component);
        StackLayout.createDirectories(component, file.getParent());
        try {
            Path temp = Files.createTempFile(file.getParent(), "." + component, ".launch.tmp");
            try (Writer out = Files.newBufferedWriter(temp)) {
                props.store(out, "snapbus local stack: how to launch " + component + " again (snapbus start/restart)");
            }
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new LocalComponentException(component, "cannot write " + file + " (" + e + "); check that the data"
                    + " folder is writable", e);
        }
    }

    /** Every component's record in the layout's run folder, by name; unreadable ones are left out. */
    static Map<String, LaunchRecord> readAll(StackLayout layout) {
        Map<String, LaunchRecord> records = new TreeMap<>();
        if (!Files.isDirectory(layout.run())) {
            return records;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(layout.run(), "*.launch")) {
            for (Path file : files) {
                read(file).ifPresent(r -> records.put(r.component(), r));
            }
        } catch (IOException e) {
            throw new LocalComponentException("stack", "cannot read the launch records in " + layout.run() + " (" + e
                    + ")", e);
        }
        return records;
    }

    /** Forgets every component's record: the stack was stopped as a whole, there is nothing left to restart. */
    static void deleteAll(StackLayout layout) {
        if (!Files.isDirectory(layout.run())) {
            return;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(layout.run(), "*.launch")) {
            for (Path file : files) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new LocalComponentException("stack", "cannot delete the launch records in " + layout.run() + " ("
                    + e + ")", e);
        }
    }

    static Optional<LaunchRecord> read(Path file) {
        Properties props = new Properties();
        try (Reader in = Files.newBufferedReader(file)) {
            props.load(in);
            Readiness readiness = switch (props.getProperty("ready", "")) {
                case "kafka" -> new Readiness.Kafka(Integer.parseInt(props.getProperty("ready.port")),
                        Integer.parseInt(props.getProperty("ready.probe-port", props.getProperty("ready.port"))));
                case "http" -> new Readiness.Http(URI.create(props.getProperty("ready.url")),
                        Integer.parseInt(props.getProperty("ready.status", "0")));
                case "port-file" -> new Readiness.PortFile(Path.of(props.getProperty("ready.file")),
                        Integer.parseInt(props.getProperty("ready.port")));
                default -> throw new IllegalArgumentException("unknown readiness");
            };
            Optional<Owner> owner = Optional.ofNullable(props.getProperty("owner.pid"))
                    .map(pid -> new Owner(Long.parseLong(pid), Instant.parse(props.getProperty("owner.start"))));
            return Optional.of(new LaunchRecord(props.getProperty("component"), getList(props, "command"),
                    prefixed(props, "env."), owner, getList(props, "detached.command"), prefixed(props, "detached.env."),
                    Path.of(props.getProperty("workDir")), readiness));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static void putList(Properties props, String key, List<String> values) {
        props.setProperty(key + ".count", Integer.toString(values.size()));
        for (int i = 0; i < values.size(); i++) {
            props.setProperty(key + "." + i, values.get(i));
        }
    }

    private static List<String> getList(Properties props, String key) {
        int count = Integer.parseInt(props.getProperty(key + ".count"));
        List<String> values = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            values.add(props.getProperty(key + "." + i));
        }
        return values;
    }

    private static Map<String, String> prefixed(Properties props, String prefix) {
        Map<String, String> values = new TreeMap<>();
        for (String key : props.stringPropertyNames()) {
            if (key.startsWith(prefix)) {
                values.put(key.substring(prefix.length()), props.getProperty(key));
            }
        }
        return values;
    }
}
