package io.snapbus.local;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One KRaft Kafka node (broker and controller in one process) on 127.0.0.1. Node 1 is named {@code kafka} and stores
 * its log under {@code <data>/kafka}; with more brokers ({@link LocalStackConfig#kafkaBrokers()}) node N is named
 * {@code kafka-N} and stores under {@code <data>/kafka-N}, and every node is a voter of the controller quorum. Formats
 * the storage on first start and reuses it (same cluster id, same data) after.
 */
public final class KafkaBroker extends ProcessComponent {

    public static final String NAME = "kafka";
    private static final Logger log = LoggerFactory.getLogger(KafkaBroker.class);

    private final int nodeId;
    private final int port;
    private final int controllerPort;
    private final String clusterId;

    private KafkaBroker(String name, LocalProcess process, int nodeId, int port, int controllerPort, String clusterId,
                        Duration stopTimeout) {
        super(name, process, stopTimeout);
        this.nodeId = nodeId;
        this.port = port;
        this.controllerPort = controllerPort;
        this.clusterId = clusterId;
    }

    /** The component name of node {@code nodeId}: {@code kafka}, {@code kafka-2}, ... */
    public static String nameOf(int nodeId) {
        return nodeId == 1 ? NAME : NAME + "-" + nodeId;
    }

    static Path storageOf(StackLayout layout, int nodeId) {
        return nodeId == 1 ? layout.kafka() : layout.dataDir().resolve(nameOf(nodeId));
    }

    /** Starts the single broker and returns once an admin client can describe the cluster. */
    public static KafkaBroker start(LocalStackConfig config) {
        return startAll(config).get(0);
    }

    /**
     * Starts {@link LocalStackConfig#kafkaBrokers()} nodes at once (a quorum of several voters elects a leader only
     * when a majority runs) and returns once each can describe the cluster; on a failure the started ones are stopped.
     */
    public static List<KafkaBroker> startAll(LocalStackConfig config) {
        StackLayout layout = new StackLayout(config.dataDir());
        JavaRuntime java = JavaRuntime.require(NAME, config.javaHome(), "javaHome");
        int brokers = config.kafkaBrokers();
        for (int node = 1; node <= brokers; node++) {
            PidFile.refuseIfRunning(nameOf(node), layout.pidFile(nameOf(node)));
        }
        KafkaCredentials credentials = config.kafkaSecurity() == LocalStackConfig.KafkaSecurity.SASL_SSL
                ? KafkaCredentials.ensure(config) : null;
        boolean autoPorts = config.kafkaPort() == 0 || config.kafkaControllerPort() == 0;
        for (int attempt = 1; ; attempt++) {
            List<KafkaSettings.BrokerPorts> ports = pickPorts(config, credentials != null);
            String voters = IntStream.rangeClosed(1, brokers)
                    .mapToObj(node -> node + "@" + Ports.HOST + ":" + ports.get(node - 1).controller())
                    .collect(Collectors.joining(","));
            // Read on every attempt: one that lost its port to another process has formatted the storage already,
            // and Kafka's Formatter refuses to format it again under a new cluster id.
            String clusterId = existingClusterId(layout, brokers);
            try {
                List<KafkaBroker> started = brokers == 1
                        ? List.of(launch(config, layout, java, 1, ports.get(0), voters, clusterId, credentials))
                        : launchAll(config, layout, java, ports, voters, clusterId, credentials);
                if (credentials != null) {
                    ensureScramUser(started, ports.get(0), credentials);
                }
                return started;
            } catch (Startup.PortTaken e) {
                if (!autoPorts || attempt >= 2) {
                    throw e;
                }
                log.info("kafka: a port picked for it was taken meanwhile; retrying with fresh ports");
            }
        }
    }

    /**
     * The SCRAM user is created at format time; a storage formatted before the stack was secured lacks it, so it is
     * (re)written through the PLAINTEXT inter-broker listener at every secured start (idempotent).
     */
    private static void ensureScramUser(List<KafkaBroker> started, KafkaSettings.BrokerPorts first,
                                        KafkaCredentials credentials) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, Ports.HOST + ":" + first.plaintext());
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "30000");
        try (Admin admin = Admin.create(props)) {
            admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(KafkaCredentials.USER,
                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), credentials.kafkaPassword())))
                    .all().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            started.forEach(KafkaBroker::stop);
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new LocalComponentException(NAME, "cannot create the SCRAM user " + KafkaCredentials.USER + ": " + e, e);
        }
    }

    private static List<KafkaSettings.BrokerPorts> pickPorts(LocalStackConfig config, boolean secured) {
        int perNode = secured ? 3 : 2;
        int[] free = Ports.pickFree(perNode * config.kafkaBrokers());
        List<KafkaSettings.BrokerPorts> ports = new ArrayList<>();
        for (int i = 0; i < config.kafkaBrokers(); i++) {
            int client = free[perNode * i];
            int controller = free[perNode * i + 1];
            if (i == 0 && config.kafkaPort() != 0) {
                client = config.kafkaPort();
                Ports.requireFree(NAME, client, "kafkaPort");
            }
            if (i == 0 && config.kafkaControllerPort() != 0) {
                controller = config.kafkaControllerPort();
                Ports.requireFree(NAME, controller, "kafkaControllerPort");
            }
            ports.add(new KafkaSettings.BrokerPorts(client, secured ? free[perNode * i + 2] : client, controller));
        }
        return ports;
    }

    /** The cluster id some node's storage already holds (every node then joins it), or a new one. */
    private static String existingClusterId(StackLayout layout, int brokers) {
        for (int node = 1; node <= brokers; node++) {
            String id = KafkaStorage.readClusterId(storageOf(layout, node), node);
            if (id != null) {
                return id;
            }
        }
        return null;
    }

    private static List<KafkaBroker> launchAll(LocalStackConfig config, StackLayout layout, JavaRuntime java,
                                               List<KafkaSettings.BrokerPorts> ports, String voters, String existingId,
                                               KafkaCredentials credentials) {
        String clusterId = existingId != null ? existingId : Uuid.randomUuid().toString();
        List<CompletableFuture<KafkaBroker>> starts = new ArrayList<>();
        for (int node = 1; node <= ports.size(); node++) {
            int id = node;
            CompletableFuture<KafkaBroker> start = new CompletableFuture<>();
            Thread thread = new Thread(() -> {
                try {
                    start.complete(launch(config, layout, java, id, ports.get(id - 1), voters, clusterId, credentials));
                } catch (Throwable t) {
                    start.completeExceptionally(t);
                }
            }, "snapbus-local-start-" + nameOf(id));
            thread.setDaemon(true);
            thread.start();
            starts.add(start);
        }
        List<KafkaBroker> started = new ArrayList<>();
        RuntimeException failure = null;
        for (CompletableFuture<KafkaBroker> start : starts) {
            try {
                started.add(start.join());
            } catch (CompletionException e) {
                RuntimeException cause = e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
                if (failure == null) {
                    failure = cause;
                } else {
                    failure.addSuppressed(cause);
                }
            }
        }
        if (failure != null) {
            started.forEach(KafkaBroker::stop);
            throw failure;
        }
        return List.copyOf(started);
    }

    /**
     * Kafka's own collector settings, unless the runner asks its services for others ({@link
     * JavaService#EXTRA_JVM_OPTIONS}: the integration tests' C1-only JIT and serial collector, cheaper for a broker
     * that lives a few minutes, as for the services).
     */
    private static List<String> jvmTuning() {
        List<String> extra = JavaService.extraJvmOptions();
        return extra.isEmpty() ? List.of("-XX:+UseG1GC", "-XX:MaxGCPauseMillis=20",
                "-XX:InitiatingHeapOccupancyPercent=35") : extra;
    }

    private static KafkaBroker launch(LocalStackConfig config, StackLayout layout, JavaRuntime java, int nodeId,
                                      KafkaSettings.BrokerPorts ports, String voters, String existingClusterId,
                                      KafkaCredentials credentials) {
        long started = System.nanoTime();
        String name = nameOf(nodeId);
        int port = ports.client();
        int controllerPort = ports.controller();
        Path storage = StackLayout.createDirectories(name, storageOf(layout, nodeId));
        Path serverProperties = layout.conf().resolve(name + "-server.properties");
        Path logbackXml = layout.conf().resolve(name + "-logback.xml");
        StackLayout.write(name, serverProperties,
                KafkaSettings.serverProperties(config, storage, nodeId, ports, voters, credentials));
        StackLayout.write(name, logbackXml, KafkaSettings.logbackConfig());
        String clusterId = KafkaStorage.readClusterId(storage, nodeId);
        if (clusterId == null) {
            clusterId = KafkaStorage.format(layout, name, storage, nodeId,
                    existingClusterId != null ? existingClusterId : Uuid.randomUuid().toString(),
                    credentials == null ? null : credentials.scramArgument());
        }

        JvmCommand command = JvmCommand.of(java, config, name, config.kafkaHeap(),
                Stream.concat(jvmTuning().stream(), Stream.of("-Dlogback.configurationFile=" + logbackXml)).toList(),
                config.kafkaClasspath(), true, Optional.empty(), "kafka.Kafka", List.of(serverProperties.toString()));
        LocalProcess process = LocalProcess.launch(new LocalProcess.Spec(name, command.command(), command.environment(),
                layout.tmp(name), layout, config.stopWithOwner()));
        String bootstrap = Ports.HOST + ":" + port;
        // The probe speaks PLAINTEXT: on a secured node it uses the inter-broker listener, and needs no credentials.
        try (ReadinessProbe probe = new ReadinessProbe(ports.plaintext())) {
            Startup.awaitReady(process, "describing the cluster at " + bootstrap, probe::ready, config.startupTimeout(),
                    config.stopTimeout(), hints(layout, port, controllerPort),
                    "see its log below; if the data folder " + storage + " was damaged or written by another Kafka version,"
                            + " remove it to start fresh");
        }
        LaunchRecord.of(name, command, config, layout.tmp(name), new LaunchRecord.Readiness.Kafka(port,
                ports.plaintext()))
                .write(layout);
        log.info("{}: ready on {} ({}controller port {}, cluster {}, pid {}) in {} ms; log {}", name, bootstrap,
                credentials == null ? "" : "SASL_SSL, ", controllerPort, clusterId, process.pid(),
                (System.nanoTime() - started) / 1_000_000, process.logFile());
        return new KafkaBroker(name, process, nodeId, port, controllerPort, clusterId, config.stopTimeout());
    }

    /** The KRaft node id (1, 2, ...). */
    public int nodeId() {
        return nodeId;
    }

    /** {@code 127.0.0.1:<port>}, for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return Ports.HOST + ":" + port;
    }

    public int port() {
        return port;
    }

    public int controllerPort() {
        return controllerPort;
    }

    /** The KRaft cluster id, kept in {@code <data>/kafka/meta.properties} across restarts. */
    public String clusterId() {
        return clusterId;
    }

    private static List<Startup.Hint> hints(StackLayout layout, int port, int controllerPort) {
        return List.of(
                Startup.Hint.of("Address already in use|BindException", "port " + port + " or " + controllerPort + " on 127.0.0.1 was"
                        + " taken by another process; free it or choose other ports (LocalStackConfig.kafkaPort /"
                        + " kafkaControllerPort, 0 picks free ones)"),
                Startup.Hint.of("InconsistentClusterIdException|meta\\.properties|CorruptRecordException|KafkaStorageException"
                        + "|CorruptSnapshotException|InvalidRecordException|not formatted|Failed to read|Invalid cluster"
                        + "|Error while reading|MalformedInputException|quorum-state",
                        "data folder " + layout.kafka() + " looks corrupt: remove it to start fresh"),
                Startup.Hint.of("ClassNotFoundException|NoClassDefFoundError|Could not find or load main class",
                        "the broker's classpath is incomplete: LocalStackConfig.kafkaClasspath (default: this JVM's"
                                + " java.class.path) must hold kafka_2.13 and its dependencies"));
    }

    /** Cheap port probe first; then one admin client, reused, asks the broker to describe the cluster. */
    static final class ReadinessProbe implements AutoCloseable {
        private final int port;
        private Admin admin;

        ReadinessProbe(int port) {
            this.port = port;
        }

        boolean ready() throws Exception {
            if (!Ports.accepts(port)) {
                return false;
            }
            if (admin == null) {
                Properties props = new Properties();
                props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, Ports.HOST + ":" + port);
                props.put(AdminClientConfig.CLIENT_ID_CONFIG, "snapbus-local-readiness");
                props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "3000");
                props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "5000");
                admin = Admin.create(props);
            }
            return !admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty();
        }

        @Override
        public void close() {
            if (admin != null) {
                admin.close(Duration.ofSeconds(2));
            }
        }
    }
}
