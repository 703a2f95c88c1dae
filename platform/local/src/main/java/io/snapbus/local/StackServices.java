package io.snapbus.local;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One component of a stack (the broker, the registry, S3, a storage node, an agent, the job-service) stopped,
 * started or restarted on its own, from any process: it is launched again from the launch record its first start
 * left in the data folder, with the same command line, data and ports, and tracked by the same pid file, so
 * {@code status} and {@code down} see it as before. The records live as long as the stack: stopping the whole stack
 * ({@code down}, {@link LocalStack#stop}) removes them.
 */
public final class StackServices {
    private static final Logger log = LoggerFactory.getLogger(StackServices.class);
    /** What operators may call the broker besides its own name. */
    private static final Map<String, String> ALIASES = Map.of("broker", KafkaBroker.NAME);

    private final StackLayout layout;
    private final LocalStackConfig defaults;

    private StackServices(Path dataDir) {
        this.layout = new StackLayout(dataDir);
        this.defaults = LocalStackConfig.defaults(dataDir);
    }

    /** The services of the stack in {@code dataDir}; fails if no stack was ever started there. */
    public static StackServices in(Path dataDir) {
        StackServices services = new StackServices(dataDir);
        if (services.records().isEmpty()) {
            throw new IllegalStateException("no stack in " + services.layout.dataDir() + " (no launch records in "
                    + services.layout.run() + "; `down` removes them); start one with `snapbus up` or"
                    + " `snapbus quickstart --keep`");
        }
        return services;
    }

    /** A process that was stopped or started: the component's name and its pid. */
    public record Change(String component, long pid) {
        @Override
        public String toString() {
            return component + " (pid " + pid + ")";
        }
    }

    /** A component as a started process, with the port its clients use. */
    public record Started(String component, long pid, int port) {}

    /** Every service of the stack (running or not), sorted by name. */
    public List<String> names() {
        return List.copyOf(records().keySet());
    }

    /** Service name to the port its clients use, as recorded at its start; empty when no stack was started there. */
    public static Map<String, Integer> ports(Path dataDir) {
        Map<String, Integer> ports = new TreeMap<>();
        LaunchRecord.readAll(new StackLayout(dataDir)).forEach((name, record) -> ports.put(name,
                record.readiness().port()));
        return ports;
    }

    /** Starts a stopped service and returns once it serves again; refuses one that runs. */
    public Started start(String service) {
        LaunchRecord record = record(service);
        Optional<ProcessHandle> running = live(record.component());
        if (running.isPresent()) {
            throw new IllegalStateException(record.component() + " is already running in " + layout.dataDir()
                    + " (pid " + running.get().pid() + "); use `restart` to restart it");
        }
        return launch(record);
    }

    /** Stops a running service (SIGTERM, then SIGKILL after the stop timeout); refuses one that does not run. */
    public Change stop(String service) {
        LaunchRecord record = record(service);
        ProcessHandle process = live(record.component()).orElseThrow(() -> new IllegalStateException(
                record.component() + " is not running in " + layout.dataDir() + "; start it with `start`"));
        terminate(record.component(), process);
        return new Change(record.component(), process.pid());
    }

    /** Stops the service if it runs, then starts it again on the same data and ports. */
    public Started restart(String service) {
        LaunchRecord record = record(service);
        live(record.component()).ifPresent(process -> terminate(record.component(), process));
        return launch(record);
    }

    private Map<String, LaunchRecord> records() {
        return LaunchRecord.readAll(layout);
    }

    private LaunchRecord record(String service) {
        String name = ALIASES.getOrDefault(service, service);
        Map<String, LaunchRecord> records = records();
        LaunchRecord record = records.get(name);
        if (record == null) {
            throw new IllegalArgumentException("unknown service '" + service + "' in " + layout.dataDir()
                    + "; the services there are: " + String.join(", ", records.keySet()));
        }
        return record;
    }

    private Optional<ProcessHandle> live(String component) {
        return Optional.ofNullable(PidFile.live(layout).get(component));
    }

    private void terminate(String component, ProcessHandle process) {
        LocalProcess.terminate(List.of(process), defaults.stopTimeout());
        noteInLog(component, "stopped (pid " + process.pid() + ")");
        try {
            Optional<PidFile> current = PidFile.read(layout.pidFile(component));
            if (current.isPresent() && current.get().pid() == process.pid()) {
                Files.deleteIfExists(layout.pidFile(component));
            }
        } catch (IOException e) {
            throw new LocalComponentException(component, "cannot delete its pid file " + layout.pidFile(component)
                    + " (" + e + ")", e);
        }
        log.info("{}: stopped (pid {})", component, process.pid());
    }

    private Started launch(LaunchRecord record) {
        long started = System.nanoTime();
        String component = record.component();
        if (record.readiness() instanceof LaunchRecord.Readiness.PortFile p) {
            try {
                Files.deleteIfExists(p.portFile());
            } catch (IOException e) {
                throw new LocalComponentException(component, "cannot delete its old port file " + p.portFile()
                        + " (" + e + ")", e);
            }
        }
        boolean ownedByThisProcess = record.owner().filter(o -> o.pid() == ProcessHandle.current().pid()).isPresent();
        LocalProcess process = LocalProcess.launch(new LocalProcess.Spec(component, record.commandNow(),
                record.environmentNow(), record.workDir(), layout, ownedByThisProcess));
        int port = record.readiness().port();
        try (Probe probe = new Probe(record.readiness())) {
            Startup.awaitReady(process, probe.description(), probe::ready, defaults.startupTimeout(),
                    defaults.stopTimeout(), List.of(Startup.Hint.of("Address already in use|BindException",
                            "its port " + port + " on 127.0.0.1 is taken by another process; free it and start it"
                                    + " again")),
                    "see its log below");
        }
        log.info("{}: started again on port {} (pid {}) in {} ms", component, port, process.pid(),
                (System.nanoTime() - started) / 1_000_000);
        return new Started(component, process.pid(), port);
    }

    private void noteInLog(String component, String what) {
        try {
            Files.writeString(layout.logFile(component), "==== snapbus-local: " + component + " " + what + " at "
                    + Instant.now() + " ====\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            log.debug("{}: cannot note '{}' in its log: {}", component, what, e.toString());
        }
    }

    /** The readiness check of the component's first start, for its next one. */
    private static final class Probe implements AutoCloseable {
        private final LaunchRecord.Readiness readiness;
        private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        private KafkaBroker.ReadinessProbe kafka;

        Probe(LaunchRecord.Readiness readiness) {
            this.readiness = readiness;
        }

        String description() {
            if (readiness instanceof LaunchRecord.Readiness.Http h) {
                return "GET " + h.url();
            }
            if (readiness instanceof LaunchRecord.Readiness.PortFile p) {
                return "the port file " + p.portFile() + " naming port " + p.port() + " and a connection to it";
            }
            return "describing the cluster at " + Ports.HOST + ":" + readiness.port();
        }

        boolean ready() throws Exception {
            int probed = readiness instanceof LaunchRecord.Readiness.Kafka k ? k.probePort() : readiness.port();
            if (!Ports.accepts(probed)) {
                return false;
            }
            if (readiness instanceof LaunchRecord.Readiness.Http h) {
                int status = http.send(HttpRequest.newBuilder(h.url()).timeout(Duration.ofSeconds(3)).GET().build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode();
                return h.expectedStatus() == 0 ? status > 0 : status == h.expectedStatus();
            }
            if (readiness instanceof LaunchRecord.Readiness.PortFile p) {
                return JavaService.readPort(p.portFile()) == p.port();
            }
            if (kafka == null) {
                kafka = new KafkaBroker.ReadinessProbe(probed);
            }
            return kafka.ready();
        }

        @Override
        public void close() {
            if (kafka != null) {
                kafka.close();
            }
        }
    }
}
