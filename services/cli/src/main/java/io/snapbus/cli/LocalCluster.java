package io.snapbus.cli;

import io.snapbus.local.JavaService;
import io.snapbus.local.LocalStack;
import io.snapbus.local.LocalStackConfig;
import io.snapbus.local.Starts;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The whole embedded default as processes on 127.0.0.1: the infrastructure (KRaft broker, schema registry) plus one
 * job-service, backend-agents and storage nodes, all under one data folder. Closing it stops exactly these.
 */
public final class LocalCluster implements AutoCloseable {
    public static final String NODE_MAIN = "io.snapbus.node.StorageNodeMain";
    public static final String JOB_SERVICE_MAIN = "io.snapbus.jobs.JobServiceApplication";
    public static final String AGENT_MAIN = "io.snapbus.agent.BackendAgentApplication";

    private final LocalStack stack;
    private final List<JavaService> services = new ArrayList<>();
    private final List<JavaService> nodes = new ArrayList<>();
    private final List<JavaService> agents = new ArrayList<>();
    private JavaService jobService;
    private Runnable jobServiceLauncher;
    private Map<String, String> jobServiceSettings;
    private final List<Map<String, String>> nodeSettings = new ArrayList<>();
    private LocalStackConfig config;
    private String jobServiceHeap = DEFAULT_HEAP;
    private String nodeHeap = DEFAULT_HEAP;
    /** Service name to the base URL of its health and metrics endpoints (docs/observability.md). */
    private final Map<String, URI> management = new java.util.concurrent.ConcurrentHashMap<>();

    /** Maximum heap of every service unless a caller chooses another for the job-service. */
    public static final String DEFAULT_HEAP = "512m";
    private static final String NODE_METRICS_PORT = "snapbus.node.metrics_port";
    private static final String AGENT_MANAGEMENT_PORT = "snapbus.agent.management-port";

    private LocalCluster(LocalStack stack) {
        this.stack = stack;
    }

    /** Starts everything; on any failure what was started is stopped again. */
    public static LocalCluster start(LocalStackConfig config, int storageNodes, int backendAgents) {
        return start(config, storageNodes, backendAgents, Map.of());
    }

    /** As {@link #start(LocalStackConfig, int, int)}, with extra {@code snapbus.node.*} settings for every node. */
    public static LocalCluster start(LocalStackConfig config, int storageNodes, int backendAgents,
            Map<String, String> nodeProperties) {
        return start(config, storageNodes, backendAgents, nodeProperties, Map.of());
    }

    /** As above, with extra settings for the job-service too (e.g. {@code snapbus.jobs.credentials-file}). */
    public static LocalCluster start(LocalStackConfig config, int storageNodes, int backendAgents,
            Map<String, String> nodeProperties, Map<String, String> jobServiceProperties) {
        return start(config, storageNodes, backendAgents, nodeProperties, jobServiceProperties, DEFAULT_HEAP);
    }

    /** As above, with the job-service's maximum heap (e.g. {@code 1g}); the other services keep the default. */
    public static LocalCluster start(LocalStackConfig config, int storageNodes, int backendAgents,
            Map<String, String> nodeProperties, Map<String, String> jobServiceProperties, String jobServiceHeap) {
        return start(config, storageNodes, backendAgents, nodeProperties, jobServiceProperties, jobServiceHeap,
                DEFAULT_HEAP);
    }

    /**
     * As above, with the storage nodes' maximum heap too (a node holds its tablets' headers in memory: a third of a
     * million tablets needs more than the default).
     */
    public static LocalCluster start(LocalStackConfig config, int storageNodes, int backendAgents,
            Map<String, String> nodeProperties, Map<String, String> jobServiceProperties, String jobServiceHeap,
            String nodeHeap) {
        LocalStack stack = LocalStack.start(config);
        LocalCluster cluster = new LocalCluster(stack);
        cluster.config = config;
        cluster.jobServiceHeap = jobServiceHeap;
        cluster.nodeHeap = nodeHeap;
        try {
            // The storage nodes start side by side (plain Java, they share nothing at start).
            List<Map<String, String>> settingsOfNodes = new ArrayList<>();
            List<Supplier<JavaService>> nodeStarts = new ArrayList<>();
            for (int i = 1; i <= storageNodes; i++) {
                Map<String, String> settings = new java.util.HashMap<>(nodeProperties);
                settings.put("snapbus.node.storage_root_path", cluster.nodeRoot(i).toString());
                settings.put("snapbus.node.be_port", "0");
                settingsOfNodes.add(settings);
                String name = "node-" + i;
                // Health and metrics on a port of their own, kept across restarts of the node.
                nodeStarts.add(() -> cluster.launch(config, name, NODE_MAIN, "snapbus.node.port_file", settings,
                        "snapbus.node.be_port", nodeHeap, List.of(NODE_METRICS_PORT)));
            }
            List<JavaService> started = Starts.together(nodeStarts);
            for (int i = 1; i <= storageNodes; i++) {
                Map<String, String> settings = settingsOfNodes.get(i - 1);
                JavaService node = started.get(i - 1);
                cluster.nodes.add(node);
                settings.put(NODE_METRICS_PORT, node.systemProperty(NODE_METRICS_PORT));
                cluster.managed("node-" + i, URI.create("http://127.0.0.1:" + settings.get(NODE_METRICS_PORT)
                        + "/"), "health/readiness", "metrics");
                // A restarted node must come back on its port: the catalog knows it by host and port.
                settings.put("snapbus.node.be_port", Integer.toString(node.port()));
                cluster.nodeSettings.add(settings);
            }
            Map<String, String> jobSettings = new java.util.HashMap<>(jobServiceProperties);
            jobSettings.put("server.port", "0");
            jobSettings.put("server.address", "127.0.0.1");
            jobSettings.put("snapbus.backup.work-dir", config.dataDir().resolve("job-service").toString());
            cluster.jobServiceSettings = jobSettings;
            cluster.jobServiceLauncher = () -> {
                cluster.jobService = cluster.launch(config, "job-service", JOB_SERVICE_MAIN, "snapbus.jobs.port-file",
                        jobSettings, "server.port", cluster.jobServiceHeap, List.of());
                cluster.managed("job-service", cluster.jobServiceUrl().resolve("/actuator/"), "health/readiness",
                        "prometheus");
            };
            cluster.jobServiceLauncher.run();
            // The job-service, then the agents one by one: each provisions the topics and the registry's subjects
            // and rules as it starts, and started together they raced there (a rule created twice at once: 409).
            for (int i = 1; i <= backendAgents; i++) {
                JavaService agent = cluster.launch(config, "agent-" + i, AGENT_MAIN, "snapbus.agent.port-file",
                        Map.of("snapbus.agent.id", "agent-" + i, "snapbus.agent.frontend-port", "0"),
                        "snapbus.agent.frontend-port", DEFAULT_HEAP, List.of(AGENT_MANAGEMENT_PORT));
                cluster.agents.add(agent);
                cluster.managed("agent-" + i, URI.create("http://127.0.0.1:" + agent.systemProperty(AGENT_MANAGEMENT_PORT)
                        + "/actuator/"), "health/readiness", "prometheus");
            }
            return cluster;
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    /**
     * A small cluster whose jobs can be watched as they move (the CLI's {@code --watch}, the web console): one storage
     * node and one agent, uploads and downloads throttled to 60 000 bytes/s, progress events every 200 ms.
     */
    public static LocalCluster startWatchable(Path dataDir) {
        return start(LocalStackConfig.builder().dataDir(dataDir).startupTimeout(Duration.ofSeconds(180)).build(), 1, 1,
                Map.of("snapbus.node.upload_max_bytes_per_second", "60000",
                        "snapbus.node.download_max_bytes_per_second", "60000"),
                Map.of("snapbus.backup.progress-event-interval", "200ms",
                        "snapbus.restore.progress-event-interval", "200ms"));
    }

    /**
     * Starts one service; {@code portProperty} is the setting of the port it listens on, which `snapbus restart`
     * (and {@link io.snapbus.local.StackServices}) pins to the port it picked at this start.
     */
    private JavaService launch(LocalStackConfig config, String name, String main, String portFileProperty,
            Map<String, String> properties, String portProperty, String heap, List<String> freePortSettings) {
        Map<String, String> all = new java.util.HashMap<>(properties);
        all.put("snapbus.kafka.bootstrap-servers", stack.bootstrapServers());
        all.put("snapbus.kafka.registry.url", stack.registryUrl());
        all.put("snapbus.kafka.replication-factor", Short.toString(stack.kafkaReplicationFactor()));
        // How to authenticate to a SASL_SSL stack, as the standard spring.kafka.* settings; secrets by reference only.
        all.putAll(stack.kafkaClientSettings());
        // The services share the CLI's classpath, hence its logback.xml (WARN): give them their own (INFO), for
        // plain logback (storage node) and for Spring Boot (job-service, agents), which reads logging.config.
        all.put("logback.configurationFile", "snapbus/services-logback.xml");
        all.put("logging.config", "classpath:snapbus/services-logback.xml");
        JavaService service = JavaService.startOnFreePorts(config, new JavaService.Spec(name, main, List.of(), all,
                portFileProperty, heap, Optional.empty(), Optional.of(portProperty)), freePortSettings);
        synchronized (services) {
            services.add(service);
        }
        return service;
    }

    /** Records a service's health and metrics endpoints (for {@code status}: the stack's endpoints file). */
    private void managed(String service, URI base, String readiness, String metrics) {
        management.put(service, base);
        stack.recordEndpoint(service + ".readiness.url", base.resolve(readiness).toString());
        stack.recordEndpoint(service + ".metrics.url", base.resolve(metrics).toString());
    }

    /** The Prometheus scrape URL of a service ({@code job-service}, {@code agent-1}, {@code node-1}, ...). */
    public URI metricsUrl(String service) {
        URI base = requireManaged(service);
        return base.resolve(base.getPath().startsWith("/actuator") ? "prometheus" : "metrics");
    }

    /** The readiness URL of a service: 200 with {@code "UP"} once ready, 503 before. */
    public URI readinessUrl(String service) {
        return requireManaged(service).resolve("health/readiness");
    }

    private URI requireManaged(String service) {
        URI base = management.get(service);
        if (base == null) {
            throw new IllegalArgumentException("no service " + service + " in this cluster; there are "
                    + new java.util.TreeSet<>(management.keySet()));
        }
        return base;
    }

    /** SIGKILL to the job-service (no shutdown of any kind), then a new one on the same data. */
    public void killAndRestartJobService() {
        killJobService();
        startJobService();
    }

    /** SIGKILL to the job-service (no shutdown of any kind); returns once the process is gone. */
    public void killJobService() {
        kill(jobService);
    }

    /** A new job-service on the same data (after {@link #killJobService()}); returns once it listens. */
    public void startJobService() {
        jobServiceLauncher.run();
    }

    /** As {@link #killAndRestartJobService()}, the new job-service (and later ones) with these settings added. */
    public void killAndRestartJobService(Map<String, String> settings) {
        jobServiceSettings.putAll(settings);
        killAndRestartJobService();
    }

    /** SIGKILL to storage node {@code n} (1-based), then the same node again on its data and port. */
    public void killAndRestartNode(int n) {
        killAndRestartNode(n, Map.of());
    }

    /**
     * As {@link #killAndRestartNode(int)}, this start of the node with {@code settings} added (e.g. a debug point of
     * the node); a later restart goes without them.
     */
    public void killAndRestartNode(int n, Map<String, String> settings) {
        JavaService node = nodes.get(n - 1);
        kill(node);
        Map<String, String> all = new java.util.HashMap<>(nodeSettings.get(n - 1));
        all.putAll(settings);
        nodes.set(n - 1, launch(config, "node-" + n, NODE_MAIN, "snapbus.node.port_file", all,
                "snapbus.node.be_port", nodeHeap, List.of()));
    }

    /** SIGKILL to Kafka broker node {@code n} (1-based), which is not restarted: the others serve its partitions. */
    public void killBroker(int n) {
        io.snapbus.local.KafkaBroker broker = stack.brokers().get(n - 1);
        ProcessHandle.of(broker.pid()).ifPresent(ProcessHandle::destroyForcibly);
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (broker.isAlive() && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
    }

    /** SIGKILL to backend-agent {@code n} (1-based), which is not restarted: the others take over its backends. */
    public void killAgent(int n) {
        kill(agents.get(n - 1));
    }

    private void kill(JavaService service) {
        ProcessHandle.of(service.pid()).ifPresent(ProcessHandle::destroyForcibly);
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (service.isAlive() && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        services.remove(service);
    }

    public Path nodeRoot(int node) {
        return stack.dataDir().resolve("nodes").resolve("node-" + node);
    }

    /** Where the job-service writes the meta and job info files (snapbus.backup.work-dir). */
    public Path jobServiceWorkDir() {
        return config.dataDir().resolve("job-service");
    }

    /** The job-service process (its pid, for memory figures and profiling). */
    public JavaService jobService() {
        return jobService;
    }

    public URI jobServiceUrl() {
        return URI.create("http://127.0.0.1:" + jobService.port() + "/");
    }

    public List<JavaService> nodes() {
        return Collections.unmodifiableList(nodes);
    }

    public List<JavaService> agents() {
        return Collections.unmodifiableList(agents);
    }

    public LocalStack stack() {
        return stack;
    }

    @Override
    public void close() {
        List<JavaService> reversed = new ArrayList<>(services);
        Collections.reverse(reversed);
        reversed.forEach(JavaService::stop);
        stack.close();
    }
}
