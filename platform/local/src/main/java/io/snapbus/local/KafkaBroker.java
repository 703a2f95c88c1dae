package io.snapbus.local;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node KRaft Kafka broker (broker and controller in one process, node 1) on 127.0.0.1, storing its log
 * under {@code <data>/kafka}. Formats that storage on first start and reuses it (same cluster id, same data) after.
 */
public final class KafkaBroker extends ProcessComponent {

    public static final String NAME = "kafka";
    private static final Logger log = LoggerFactory.getLogger(KafkaBroker.class);

    private final int port;
    private final int controllerPort;
    private final String clusterId;

    private KafkaBroker(LocalProcess process, int port, int controllerPort, String clusterId, Duration stopTimeout) {
        super(NAME, process, stopTimeout);
        this.port = port;
        this.controllerPort = controllerPort;
        this.clusterId = clusterId;
    }

    /** Starts the broker and returns once an admin client can describe the cluster. */
    public static KafkaBroker start(LocalStackConfig config) {
        StackLayout layout = new StackLayout(config.dataDir());
        JavaRuntime java = JavaRuntime.require(NAME, config.javaHome(), "javaHome");
        PidFile.refuseIfRunning(NAME, layout.pidFile(NAME));
        Path storage = layout.kafka();
        boolean autoPorts = config.kafkaPort() == 0 || config.kafkaControllerPort() == 0;
        for (int attempt = 1; ; attempt++) {
            int[] free = Ports.pickFree(2);
            int port = config.kafkaPort() != 0 ? config.kafkaPort() : free[0];
            int controllerPort = config.kafkaControllerPort() != 0 ? config.kafkaControllerPort() : free[1];
            if (config.kafkaPort() != 0) {
                Ports.requireFree(NAME, port, "kafkaPort");
            }
            if (config.kafkaControllerPort() != 0) {
                Ports.requireFree(NAME, controllerPort, "kafkaControllerPort");
            }
            // Read on every attempt: one that lost its port to another process has formatted the storage already,
            // and Kafka's Formatter refuses to format it again under a new cluster id.
            String existingClusterId = KafkaStorage.readClusterId(storage);
            try {
                return launch(config, layout, java, port, controllerPort, existingClusterId);
            } catch (Startup.PortTaken e) {
                if (!autoPorts || attempt >= 2) {
                    throw e;
                }
                log.info("kafka: a port picked for it was taken meanwhile; retrying with fresh ports");
            }
        }
    }

    private static KafkaBroker launch(LocalStackConfig config, StackLayout layout, JavaRuntime java, int port, int controllerPort,
                                      String existingClusterId) {
        long started = System.nanoTime();
        Path storage = StackLayout.createDirectories(NAME, layout.kafka());
        Path serverProperties = layout.conf().resolve("kafka-server.properties");
        Path logbackXml = layout.conf().resolve("kafka-logback.xml");
        StackLayout.write(NAME, serverProperties, KafkaSettings.serverProperties(config, storage, port, controllerPort));
        StackLayout.write(NAME, logbackXml, KafkaSettings.logbackConfig());
        String clusterId = existingClusterId != null ? existingClusterId : KafkaStorage.format(layout, storage);

        JvmCommand command = JvmCommand.of(java, config, NAME, config.kafkaHeap(),
                List.of("-XX:+UseG1GC", "-XX:MaxGCPauseMillis=20", "-XX:InitiatingHeapOccupancyPercent=35",
                        "-Dlogback.configurationFile=" + logbackXml),
                config.kafkaClasspath(), true, Optional.empty(), "kafka.Kafka", List.of(serverProperties.toString()));
        LocalProcess process = LocalProcess.launch(new LocalProcess.Spec(NAME, command.command(), command.environment(),
                layout.tmp(NAME), layout, config.stopWithOwner()));
        String bootstrap = Ports.HOST + ":" + port;
        try (ReadinessProbe probe = new ReadinessProbe(port)) {
            Startup.awaitReady(process, "describing the cluster at " + bootstrap, probe::ready, config.startupTimeout(),
                    config.stopTimeout(), hints(layout, port, controllerPort),
                    "see its log below; if the data folder " + storage + " was damaged or written by another Kafka version,"
                            + " remove it to start fresh");
        }
        LaunchRecord.of(NAME, command, config, layout.tmp(NAME), new LaunchRecord.Readiness.Kafka(port)).write(layout);
        log.info("kafka: ready on {} (controller port {}, cluster {}, pid {}) in {} ms; log {}", bootstrap, controllerPort, clusterId,
                process.pid(), (System.nanoTime() - started) / 1_000_000, process.logFile());
        return new KafkaBroker(process, port, controllerPort, clusterId, config.stopTimeout());
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
