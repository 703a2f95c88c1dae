package io.snapbus.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One of snapbus's own services (a storage node, an agent, the job-service) as its own process on the stack's data
 * folder: same log, pid-file and stop rules as the infrastructure. The service picks its port itself and writes it
 * to a port file; the launcher waits for that file and for the port to accept connections.
 */
public final class JavaService extends ProcessComponent {
    private static final Logger log = LoggerFactory.getLogger(JavaService.class);
    /**
     * System property with extra JVM options for every service this JVM starts, separated by spaces: none by default;
     * the integration tests set a C1-only JIT and the serial collector, which halve the CPU a short-lived service's
     * start costs on a small machine (a service that runs long wants C2, so nothing else sets it).
     */
    public static final String EXTRA_JVM_OPTIONS = "snapbus.local.service-jvm-options";
    /** The options {@link #EXTRA_JVM_OPTIONS} asks for, split at spaces; none when it is not set. */
    static List<String> extraJvmOptions() {
        String extra = System.getProperty(EXTRA_JVM_OPTIONS, "").strip();
        return extra.isEmpty() ? List.of() : List.of(extra.split("\\s+"));
    }

    /** The exit code of a JVM ended by SIGKILL. */
    private static final int KILLED = 128 + 9;
    /**
     * More time to stop for a run that dumps its class data archive at exit: a Spring service's dump (~15 000 classes,
     * ~80 MB) takes seconds, tens of them on a loaded machine, and one cut short by SIGKILL is lost.
     */
    private static final Duration ARCHIVE_DUMP_GRACE = Duration.ofSeconds(60);

    /**
     * What to run.
     *
     * @param name             unique in the data folder (e.g. {@code node-1}); names the log and pid files
     * @param mainClass        the service's main class, found on {@code classpath}
     * @param args             program arguments
     * @param systemProperties {@code -D} settings of the service
     * @param portFileProperty the system property through which the service is told where to write its port
     * @param heap             maximum heap, e.g. {@code 512m}
     * @param classpath        the service's classpath; empty for this JVM's {@code java.class.path}
     * @param portProperty     the system property that sets the port the service listens on (e.g.
     *                         {@code server.port}), if any: a service started with 0 there is relaunched by
     *                         {@link StackServices} on the port it picked, so its clients find it again
     */
    public record Spec(String name, String mainClass, List<String> args, Map<String, String> systemProperties,
            String portFileProperty, String heap, Optional<String> classpath, Optional<String> portProperty) {
        public Spec {
            args = List.copyOf(args);
            systemProperties = Map.copyOf(systemProperties);
        }

        /** A service whose port is not kept when {@link StackServices} relaunches it. */
        public Spec(String name, String mainClass, List<String> args, Map<String, String> systemProperties,
                String portFileProperty, String heap, Optional<String> classpath) {
            this(name, mainClass, args, systemProperties, portFileProperty, heap, classpath, Optional.empty());
        }

        Spec withSystemProperties(Map<String, String> properties) {
            return new Spec(name, mainClass, args, properties, portFileProperty, heap, classpath, portProperty);
        }
    }

    /** Attempts of {@link #startOnFreePorts}: a port picked free can be taken by any process before the service binds it. */
    private static final int FREE_PORT_ATTEMPTS = 3;

    private final int port;
    private final Map<String, String> systemProperties;

    private JavaService(String name, LocalProcess process, int port, Duration stopTimeout,
            Map<String, String> systemProperties) {
        super(name, process, stopTimeout);
        this.port = port;
        this.systemProperties = systemProperties;
    }

    /**
     * Starts the service with each of {@code portSettings} (system properties naming a port it binds besides its own,
     * e.g. its health and metrics listener) set to a port that was free a moment ago; if another process took one
     * before the service bound it, starts it again on fresh ports. {@link #systemProperty} tells which it got.
     */
    public static JavaService startOnFreePorts(LocalStackConfig config, Spec spec, List<String> portSettings) {
        for (int attempt = 1; ; attempt++) {
            Map<String, String> properties = new HashMap<>(spec.systemProperties());
            int[] ports = Ports.pickFree(portSettings.size());
            for (int i = 0; i < ports.length; i++) {
                properties.put(portSettings.get(i), Integer.toString(ports[i]));
            }
            try {
                return start(config, spec.withSystemProperties(properties));
            } catch (Startup.PortTaken e) {
                if (attempt >= FREE_PORT_ATTEMPTS) {
                    throw e;
                }
                log.info("{}: a port picked for it was taken meanwhile; starting it again on fresh ports", spec.name());
            }
        }
    }

    /** Starts the service and returns once it listens on the port it reported. */
    public static JavaService start(LocalStackConfig config, Spec spec) {
        long started = System.nanoTime();
        StackLayout layout = new StackLayout(config.dataDir());
        JavaRuntime java = JavaRuntime.require(spec.name(), config.javaHome(), "javaHome");
        PidFile.refuseIfRunning(spec.name(), layout.pidFile(spec.name()));
        Path portFile = layout.run().resolve(spec.name() + ".port");
        deleteQuietly(portFile);
        List<String> options = new ArrayList<>();
        spec.systemProperties().forEach((key, value) -> options.add("-D" + key + "=" + value));
        options.add("-D" + spec.portFileProperty() + "=" + portFile);
        options.addAll(extraJvmOptions());
        String classpath = spec.classpath().orElse(System.getProperty("java.class.path"));
        // A class data archive of the service's classes (one per main class and classpath, written when a run of it
        // stops cleanly) halves the CPU its start costs; its class folders go on the classpath as jars for that.
        Optional<String> archivable = config.classDataSharing() ? ClasspathJars.of(config.cacheDir(), classpath)
                : Optional.empty();
        JvmCommand command = JvmCommand.of(java, config, spec.name(), spec.heap(), options,
                archivable.orElse(classpath), true, archivable.map(cp -> archiveName(spec.mainClass())),
                spec.mainClass(), spec.args());
        LocalProcess process = LocalProcess.launch(new LocalProcess.Spec(spec.name(), command.command(),
                command.environment(), layout.tmp(spec.name()), layout, config.stopWithOwner()));
        int[] bound = {-1};
        try {
            Startup.awaitReady(process, "the port file " + portFile + " and a connection to its port",
                    () -> {
                        bound[0] = readPort(portFile);
                        return bound[0] > 0 && Ports.accepts(bound[0]);
                    },
                    config.startupTimeout(), config.stopTimeout(), List.of(),
                    "see its log for the cause; check its settings (" + spec.systemProperties().keySet() + ")");
        } catch (LocalComponentException e) {
            command.classDataArchive().ifPresent(ClassDataArchive::discard);
            throw e;
        }
        // Only a JVM that ended on its own wrote its archive in full (a SIGKILL may have cut the dump short).
        command.classDataArchive().ifPresent(archive -> process.afterStop(() -> {
            if (process.exitCode().filter(code -> code != KILLED).isPresent()) {
                archive.publish();
            } else {
                archive.discard();
            }
        }));
        LaunchRecord launch = LaunchRecord.of(spec.name(), command, config, layout.tmp(spec.name()),
                new LaunchRecord.Readiness.PortFile(portFile, bound[0]));
        if (spec.portProperty().isPresent()) {
            launch = launch.withSystemProperty(spec.portProperty().get(), Integer.toString(bound[0]));
        }
        launch.write(layout);
        log.info("{} ready on port {} (pid {}) in {} ms", spec.name(), bound[0], process.pid(),
                (System.nanoTime() - started) / 1_000_000);
        boolean dumps = command.classDataArchive().filter(ClassDataArchive::dumpsAtExit).isPresent();
        return new JavaService(spec.name(), process, bound[0],
                dumps ? config.stopTimeout().plus(ARCHIVE_DUMP_GRACE) : config.stopTimeout(), spec.systemProperties());
    }

    /** The archive of a main class: the same for every instance of a service (node-1, node-2, ...). */
    private static String archiveName(String mainClass) {
        return mainClass.substring(mainClass.lastIndexOf('.') + 1);
    }

    public int port() {
        return port;
    }

    /** A system property the service was started with, e.g. a port {@link #startOnFreePorts} picked. */
    public String systemProperty(String key) {
        String value = systemProperties.get(key);
        if (value == null) {
            throw new IllegalArgumentException(name() + " was started without " + key);
        }
        return value;
    }

    static int readPort(Path portFile) {
        try {
            return Files.isRegularFile(portFile) ? Integer.parseInt(Files.readString(portFile).trim()) : -1;
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            log.debug("cannot delete {}: {}", file, e.toString());
        }
    }
}
