package io.snapbus.agent;

import io.snapbus.agent.catalog.BackendDirectory;
import io.snapbus.agent.catalog.JobStates;
import io.snapbus.agent.frontend.FrontendHandler;
import io.snapbus.agent.frontend.FrontendServer;
import io.snapbus.agent.ownership.AgentTaskConsumer;
import io.snapbus.agent.ownership.BackendHeartbeats;
import io.snapbus.agent.ownership.Ownership;
import io.snapbus.agent.report.ResultPublisher;
import io.snapbus.agent.task.BatchSubmitter;
import io.snapbus.agent.task.SubmittedTasks;
import io.snapbus.kafka.KafkaClients;
import io.snapbus.thrift.BackendService;
import io.snapbus.thrift.HeartbeatService;
import io.snapbus.thrift.rpc.ThriftClientConfig;
import io.snapbus.thrift.rpc.ThriftClientPool;
import io.snapbus.thrift.rpc.ThriftEndpoint;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import org.apache.avro.specific.SpecificRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * One backend agent: follows the catalog (backends) and backup-jobs (job states), serves the FrontendService nodes
 * report to, heartbeats the backends it owns and submits the agent-task batches of its partitions. Started after
 * the topics are provisioned, stopped in reverse order (the group hand-over first).
 */
public final class BackendAgent implements SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(BackendAgent.class);
    private static final Duration CATCH_UP_TIMEOUT = Duration.ofSeconds(60);

    private final AgentProperties properties;
    private final KafkaClients clients;
    private final KafkaTemplate<String, SpecificRecord> template;
    private final Ownership ownership = new Ownership();
    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private volatile boolean running;
    private volatile FrontendServer frontend;
    private volatile BackendHeartbeats heartbeats;

    public BackendAgent(AgentProperties properties, KafkaClients clients,
            KafkaTemplate<String, SpecificRecord> template) {
        this.properties = properties;
        this.clients = clients;
        this.template = template;
    }

    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        try {
            startParts();
            running = true;
        } catch (RuntimeException e) {
            closeStarted();
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closeStarted();
            throw new IllegalStateException("interrupted while starting", e);
        }
        log.info("backend agent {} running: FrontendService on {}, group {}", properties.id(), frontend.endpoint(),
                properties.groupId());
    }

    private void startParts() throws InterruptedException {
        BackendDirectory backends = opened(new BackendDirectory(clients));
        JobStates jobs = opened(new JobStates(clients));
        backends.start();
        jobs.start();
        if (!backends.awaitCaughtUp(CATCH_UP_TIMEOUT) || !jobs.awaitCaughtUp(CATCH_UP_TIMEOUT)) {
            throw new IllegalStateException("the catalog and backup-jobs topics could not be read within "
                    + CATCH_UP_TIMEOUT);
        }
        ThriftClientPool<BackendService.Client> nodes = opened(ThriftClientPool.backendService(
                ThriftClientConfig.defaults().withSocketTimeout(properties.backendRpcTimeout())
                        .withMaxIdlePerEndpoint(BatchSubmitter.LOAD_CALL_PARALLELISM)));
        ThriftClientPool<HeartbeatService.Client> heartbeatPool = opened(ThriftClientPool.heartbeatService(
                ThriftClientConfig.defaults().withConnectTimeout(properties.heartbeatTimeout())
                        .withSocketTimeout(properties.heartbeatTimeout())));
        ResultPublisher publisher = new ResultPublisher(template, clients.catalogue(), properties.id(),
                Duration.ofSeconds(30));
        SubmittedTasks submitted = new SubmittedTasks();
        heartbeats = new BackendHeartbeats(properties.id(), backends, ownership, heartbeatPool,
                () -> frontend.endpoint(), publisher, properties.heartbeatInterval(),
                properties.statusRepublishInterval());
        frontend = new FrontendServer(properties.id(), properties.frontendHost(), properties.frontendPort(),
                new FrontendHandler(backends, jobs, publisher, heartbeats, submitted));
        frontend.start();
        started.push(frontend);
        heartbeats.start();
        started.push(heartbeats);
        AgentTaskConsumer consumer = new AgentTaskConsumer(clients, properties.groupId(), properties.id(),
                new BatchSubmitter(backends, nodes, publisher, submitted, properties.unknownBackendWait()),
                ownership, heartbeats);
        consumer.start();
        started.push(consumer);
        if (properties.portFile() != null) {
            // Written last: whoever waits for it may send tasks at once.
            new FrontendPortFile(properties.portFile()).write(frontend.endpoint().port());
        }
    }

    private <T extends AutoCloseable> T opened(T part) {
        started.push(part);
        return part;
    }

    /** Where nodes owned by this agent send their reports. */
    public ThriftEndpoint frontendEndpoint() {
        return frontend.endpoint();
    }

    public String id() {
        return properties.id();
    }

    /** Whether this agent owns the backend now (its agent-tasks partition is assigned here). */
    /** Heartbeat rounds this agent completed since it started (0 before). */
    public long heartbeatRounds() {
        BackendHeartbeats current = heartbeats;
        return current == null ? 0 : current.rounds();
    }

    public boolean owns(long backendId) {
        return ownership.owns(backendId);
    }

    public Ownership.Snapshot ownership() {
        return ownership.current();
    }

    @Override
    public synchronized void stop() {
        if (!running) {
            return;
        }
        running = false;
        closeStarted();
        log.info("backend agent {} stopped", properties.id());
    }

    private void closeStarted() {
        while (!started.isEmpty()) {
            AutoCloseable part = started.pop();
            try {
                part.close();
            } catch (Exception e) {
                log.warn("stopping {} failed", part.getClass().getSimpleName(), e);
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
