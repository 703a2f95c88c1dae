package io.snapbus.local;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded default's infrastructure: a KRaft broker, the schema registry and (on request) an S3 server,
 * each in its own process on 127.0.0.1, all data under one folder. Start it, use the endpoints, close it.
 *
 * <pre>{@code
 * try (LocalStack stack = LocalStack.start(LocalStackConfig.defaults(dataDir))) {
 *     props.put("bootstrap.servers", stack.bootstrapServers());
 *     props.put("schema.registry.url", stack.registryConfluentUrl());
 * }
 * }</pre>
 */
public final class LocalStack implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LocalStack.class);

    private final LocalStackConfig config;
    private final StackLayout layout;
    private final List<KafkaBroker> brokers;
    private final KafkaCredentials kafkaCredentials;
    private final SchemaRegistry registry;
    private S3Server s3;
    private boolean stopped;
    /** Endpoints of the services started on this stack (health, metrics), by key; written with the stack's own. */
    private final Map<String, String> serviceEndpoints = new java.util.concurrent.ConcurrentSkipListMap<>();

    private LocalStack(LocalStackConfig config, List<KafkaBroker> brokers, SchemaRegistry registry, S3Server s3) {
        this.config = config;
        this.layout = new StackLayout(config.dataDir());
        this.brokers = List.copyOf(brokers);
        this.kafkaCredentials = config.kafkaSecurity() == LocalStackConfig.KafkaSecurity.SASL_SSL
                ? KafkaCredentials.ensure(config) : null;
        this.registry = registry;
        this.s3 = s3;
    }

    /**
     * Starts the broker and the registry (and the S3 server if {@link LocalStackConfig#s3Enabled()}) in parallel and
     * returns when all of them serve. If one fails, the others are stopped and its {@link LocalComponentException}
     * is thrown (the others' failures, if any, are attached as suppressed).
     */
    public static LocalStack start(LocalStackConfig config) {
        long started = System.nanoTime();
        StackLayout.createDirectories("stack", config.dataDir());
        CompletableFuture<List<KafkaBroker>> kafka = Starts.async(() -> KafkaBroker.startAll(config));
        CompletableFuture<SchemaRegistry> registry = Starts.async(() -> SchemaRegistry.start(config));
        CompletableFuture<S3Server> s3 = config.s3Enabled() ? Starts.async(() -> S3Server.start(config))
                : CompletableFuture.completedFuture(null);
        List<RuntimeException> failures = new ArrayList<>();
        List<LocalComponent> running = new ArrayList<>();
        List<KafkaBroker> k = awaitAll(kafka, failures, running);
        SchemaRegistry r = await(registry, failures, running);
        S3Server s = await(s3, failures, running);
        if (!failures.isEmpty()) {
            running.forEach(LocalComponent::stop);
            Starts.throwFirst(failures);
        }
        LocalStack stack = new LocalStack(config, k, r, s);
        stack.writeEndpoints();
        log.info("local stack ready in {} ms: {}", (System.nanoTime() - started) / 1_000_000, stack);
        return stack;
    }

    private static List<KafkaBroker> awaitAll(CompletableFuture<List<KafkaBroker>> future,
                                              List<RuntimeException> failures, List<LocalComponent> running) {
        List<KafkaBroker> brokers = Starts.waitFor(future, failures);
        if (brokers != null) {
            running.addAll(brokers);
        }
        return brokers;
    }

    /** Waits for a component's start even when interrupted (so nothing started is left untracked). */
    private static <T extends LocalComponent> T await(CompletableFuture<T> future, List<RuntimeException> failures,
                                                      List<LocalComponent> running) {
        T component = Starts.waitFor(future, failures);
        if (component != null) {
            running.add(component);
        }
        return component;
    }

    /** {@code 127.0.0.1:<port>[,127.0.0.1:<port>...]}, every broker, for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return brokers.stream().map(KafkaBroker::bootstrapServers).collect(Collectors.joining(","));
    }

    /** The replication snapbus's topics should have on these brokers: as many as there are, up to 3. */
    public short kafkaReplicationFactor() {
        return (short) Math.min(3, brokers.size());
    }

    /**
     * The standard Spring Boot settings ({@code spring.kafka.*}, {@code spring.config.import}) a service needs to
     * reach these brokers besides their addresses: none for PLAINTEXT; for SASL_SSL the protocol, trust store, SCRAM
     * mechanism and JAAS line, passwords as placeholders of a config tree (never the passwords themselves).
     */
    public Map<String, String> kafkaClientSettings() {
        return kafkaCredentials == null ? Map.of() : kafkaCredentials.springClientSettings();
    }

    /**
     * Plain Kafka client configs (passwords included) for a client in this JVM, such as a test reading a topic;
     * empty for PLAINTEXT.
     */
    public Map<String, String> kafkaClientConfigs() {
        return kafkaCredentials == null ? Map.of() : kafkaCredentials.clientConfigs();
    }

    /** The registry's base URL, {@code http://127.0.0.1:<port>}. */
    public String registryUrl() {
        return registry.url();
    }

    /** The registry's Confluent-compatible API, {@code …/apis/ccompat/v7}: what Confluent clients call the registry URL. */
    public String registryConfluentUrl() {
        return registry.confluentUrl();
    }

    /** Apicurio's v2 API, {@code …/apis/registry/v2}. */
    public String registryV2Url() {
        return registry.v2Url();
    }

    /** Apicurio's v3 API, {@code …/apis/registry/v3}. */
    public String registryV3Url() {
        return registry.v3Url();
    }

    /** The S3 server's endpoint and credentials, once it runs. */
    public synchronized Optional<S3Endpoint> s3() {
        return Optional.ofNullable(s3).map(S3Server::endpoint);
    }

    /** Starts the S3 server if it does not run yet (idempotent) and returns its endpoint. */
    public synchronized S3Endpoint startS3() {
        if (stopped) {
            throw new IllegalStateException("the local stack in " + config.dataDir() + " was stopped");
        }
        if (s3 == null) {
            s3 = S3Server.start(config);
            writeEndpoints();
        }
        return s3.endpoint();
    }

    public Path dataDir() {
        return config.dataDir();
    }

    public LocalStackConfig config() {
        return config;
    }

    /** The first broker (node 1). */
    public KafkaBroker kafka() {
        return brokers.get(0);
    }

    /** Every broker, node 1 first. */
    public List<KafkaBroker> brokers() {
        return brokers;
    }

    public SchemaRegistry registry() {
        return registry;
    }

    /** The running components, in start order (the brokers, registry, then s3 if started). */
    public synchronized List<LocalComponent> components() {
        List<LocalComponent> all = new ArrayList<>(brokers);
        all.add(registry);
        if (s3 != null) {
            all.add(s3);
        }
        return List.copyOf(all);
    }

    /** Stops every component (SIGTERM, then SIGKILL after the stop timeout). Idempotent. */
    public synchronized void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        long started = System.nanoTime();
        // Registry and S3 do not need the broker: stop all three at once rather than one after the other.
        List<Thread> stoppers = new ArrayList<>();
        for (LocalComponent component : components()) {
            Thread thread = new Thread(component::stop, "snapbus-local-stop-" + component.name());
            thread.start();
            stoppers.add(thread);
        }
        for (Thread thread : stoppers) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            Files.deleteIfExists(layout.endpointsFile());
        } catch (IOException e) {
            log.debug("cannot delete {}: {}", layout.endpointsFile(), e.toString());
        }
        LaunchRecord.deleteAll(layout);
        log.info("local stack in {} stopped in {} ms", config.dataDir(), (System.nanoTime() - started) / 1_000_000);
    }

    @Override
    public void close() {
        stop();
    }

    /**
     * Stops a stack that another JVM started in {@code dataDir} (the CLI's {@code down}): for each pid file, the
     * process is stopped only if it is alive and its command line still carries this data folder's marker, so a
     * recycled pid is never touched. Stale pid files are removed.
     *
     * @return what was stopped, e.g. {@code ["kafka (pid 4242)"]}; empty if nothing ran
     */
    public static List<String> stopFromPidFiles(Path dataDir) {
        StackLayout layout = new StackLayout(dataDir);
        List<String> stopped = PidFile.stopAll(layout, LocalStackConfig.defaults(dataDir).stopTimeout());
        LaunchRecord.deleteAll(layout);
        try {
            Files.deleteIfExists(layout.endpointsFile());
        } catch (IOException e) {
            log.debug("cannot delete {}: {}", layout.endpointsFile(), e.toString());
        }
        if (!stopped.isEmpty()) {
            log.info("stopped {} of the local stack in {}", stopped, layout.dataDir());
        }
        return stopped;
    }

    /**
     * What runs from {@code dataDir} according to its pid files (only processes that are still the ones started
     * there), and where they listen; for another JVM such as the CLI's {@code status}.
     */
    public static RunningStack running(Path dataDir) {
        StackLayout layout = new StackLayout(dataDir);
        Map<String, Long> pids = new TreeMap<>();
        PidFile.live(layout).forEach((component, process) -> pids.put(component, process.pid()));
        Properties endpoints = new Properties();
        if (!pids.isEmpty() && Files.isRegularFile(layout.endpointsFile())) {
            try (var in = Files.newBufferedReader(layout.endpointsFile())) {
                endpoints.load(in);
            } catch (IOException e) {
                log.warn("cannot read {}: {}", layout.endpointsFile(), e.toString());
            }
        }
        return new RunningStack(dataDir, pids, endpoints);
    }

    /**
     * A stack seen from outside: live component name to pid, and the endpoints it wrote (keys
     * {@code bootstrap.servers}, {@code registry.url}, {@code registry.confluent.url}, {@code s3.endpoint}, ...).
     */
    public record RunningStack(Path dataDir, Map<String, Long> pids, Properties endpoints) {
        public boolean isRunning() {
            return !pids.isEmpty();
        }
    }

    /**
     * Records where a service started on this stack answers (e.g. {@code node-1.metrics.url}), so {@code status}
     * prints it with the stack's own endpoints.
     */
    public synchronized void recordEndpoint(String key, String value) {
        serviceEndpoints.put(key, value);
        writeEndpoints();
    }

    /** A port on 127.0.0.1 that was free a moment ago, for a service's extra listener (its health and metrics). */
    public static int freePort() {
        return Ports.pickFree(1)[0];
    }

    /** Where the running stack listens, for other JVMs (the CLI's commands); never holds the S3 secret. */
    private synchronized void writeEndpoints() {
        Properties props = new Properties();
        serviceEndpoints.forEach(props::setProperty);
        props.setProperty("bootstrap.servers", bootstrapServers());
        props.setProperty("kafka.security.protocol", config.kafkaSecurity().name());
        props.setProperty("registry.url", registryUrl());
        props.setProperty("registry.confluent.url", registryConfluentUrl());
        props.setProperty("registry.v2.url", registryV2Url());
        props.setProperty("registry.v3.url", registryV3Url());
        s3().ifPresent(e -> {
            props.setProperty("s3.endpoint", e.endpoint().toString());
            props.setProperty("s3.region", e.region());
            props.setProperty("s3.access-key", e.accessKey());
        });
        StackLayout.createDirectories("stack", layout.run());
        try (Writer out = Files.newBufferedWriter(layout.endpointsFile())) {
            props.store(out, "snapbus local stack in " + layout.dataDir());
        } catch (IOException e) {
            log.warn("cannot write {}: {}", layout.endpointsFile(), e.toString());
        }
    }

    @Override
    public String toString() {
        return "LocalStack[data=" + config.dataDir() + ", kafka=" + bootstrapServers()
                + (kafkaCredentials == null ? "" : " (SASL_SSL)") + ", registry=" + registry.url()
                + s3().map(e -> ", s3=" + e.endpoint()).orElse("") + "]";
    }
}
