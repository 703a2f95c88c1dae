package io.snapbus.agent.ownership;

import io.snapbus.agent.catalog.BackendDirectory;
import io.snapbus.agent.report.ResultPublisher;
import io.snapbus.avro.BackendDef;
import io.snapbus.avro.BackendHeartbeat;
import io.snapbus.avro.BackendStatusRecord;
import io.snapbus.thrift.HeartbeatService;
import io.snapbus.thrift.THeartbeatResult;
import io.snapbus.thrift.TMasterInfo;
import io.snapbus.thrift.TStatusCode;
import io.snapbus.thrift.rpc.ThriftClientPool;
import io.snapbus.thrift.rpc.ThriftEndpoint;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.thrift.TException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Heartbeats every backend this agent owns, telling each node to report to this agent's FrontendService, and
 * publishes each backend's liveness to the backends topic when it changes (and again every so often).
 */
public final class BackendHeartbeats implements AutoCloseable {
    private final java.util.concurrent.atomic.AtomicLong rounds = new java.util.concurrent.atomic.AtomicLong();
    private static final Logger log = LoggerFactory.getLogger(BackendHeartbeats.class);
    private static final int CLUSTER_ID = 1;

    /** What the agent last knew of a backend, as published. */
    private record Liveness(boolean alive, String host, int bePort, long lastHeartbeatMs, String lastError,
            long nodeStartTimeMs, String version, Map<String, List<Long>> runningTasks) {
        boolean sameAs(Liveness other) {
            return other != null && alive == other.alive && bePort == other.bePort && host.equals(other.host)
                    && lastError.equals(other.lastError) && nodeStartTimeMs == other.nodeStartTimeMs
                    && version.equals(other.version) && runningTasks.equals(other.runningTasks);
        }
    }

    private record Published(Liveness liveness, long atMs) {}

    private final String agentId;
    private final BackendDirectory backends;
    private final Ownership ownership;
    private final ThriftClientPool<HeartbeatService.Client> pool;
    private final Supplier<ThriftEndpoint> frontend;
    private final ResultPublisher publisher;
    private final Duration interval;
    private final Duration republishInterval;
    private final Map<Long, Liveness> known = new ConcurrentHashMap<>();
    private final Map<Long, Published> published = new ConcurrentHashMap<>();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "backend-heartbeats");
        t.setDaemon(true);
        return t;
    });

    public BackendHeartbeats(String agentId, BackendDirectory backends, Ownership ownership,
            ThriftClientPool<HeartbeatService.Client> pool, Supplier<ThriftEndpoint> frontend,
            ResultPublisher publisher, Duration interval, Duration republishInterval) {
        this.agentId = agentId;
        this.backends = backends;
        this.ownership = ownership;
        this.pool = pool;
        this.frontend = frontend;
        this.publisher = publisher;
        this.interval = interval;
        this.republishInterval = republishInterval;
    }

    public void start() {
        scheduler.scheduleWithFixedDelay(this::beatAll, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** A round now, e.g. right after this agent was assigned partitions. */
    public void beatSoon() {
        if (!scheduler.isShutdown()) {
            scheduler.execute(this::beatAll);
        }
    }

    /** Heartbeat rounds completed (every owned backend beaten once): what a test waits on to see rounds happen. */
    public long rounds() {
        return rounds.get();
    }

    private void beatAll() {
        try {
            Ownership.Snapshot owned = ownership.current();
            for (BackendDef backend : backends.all()) {
                if (owned.owns(backend.getId())) {
                    beat(backend, owned.epoch());
                } else if (known.remove(backend.getId()) != null) {
                    published.remove(backend.getId());
                    log.info("backend {} is no longer owned by {}; heartbeats stopped", backend.getId(), agentId);
                }
            }
        } catch (RuntimeException e) {
            log.warn("heartbeat round failed", e);
        }
        rounds.incrementAndGet();
    }

    private void beat(BackendDef backend, long epoch) {
        ThriftEndpoint self = frontend.get();
        TMasterInfo info = new TMasterInfo(self.toNetworkAddress(), CLUSTER_ID, epoch);
        info.setBackend_id(backend.getId());
        info.setBackend_ip(backend.getHost());
        Liveness before = known.get(backend.getId());
        Map<String, List<Long>> running = before == null ? Map.of() : before.runningTasks();
        Liveness now;
        try {
            THeartbeatResult result = pool.call(BackendDirectory.endpointOf(backend), c -> c.heartbeat(info));
            boolean accepted = result.getStatus().getStatus_code() == TStatusCode.OK;
            String error = accepted ? "" : String.valueOf(result.getStatus().getError_msgs());
            var node = result.getBackend_info();
            now = new Liveness(true, backend.getHost(), backend.getBePort(), System.currentTimeMillis(), error,
                    node.isSetBe_start_time() ? node.getBe_start_time() : 0,
                    node.isSetVersion() ? node.getVersion() : "", running);
            if (!accepted) {
                log.warn("backend {} refused the heartbeat of {} (epoch {}): {}", backend.getId(), agentId, epoch,
                        error);
            } else if (before == null || !before.alive()) {
                log.info("backend {} at {}:{} heartbeated by {} (epoch {})", backend.getId(), backend.getHost(),
                        backend.getBePort(), agentId, epoch);
            }
        } catch (TException e) {
            now = new Liveness(false, backend.getHost(), backend.getBePort(),
                    before == null ? 0 : before.lastHeartbeatMs(), Objects.toString(e.getMessage(), e.toString()),
                    before == null ? 0 : before.nodeStartTimeMs(), before == null ? "" : before.version(), running);
            if (before == null || before.alive()) {
                log.warn("backend {} did not answer the heartbeat: {}", backend.getId(), e.getMessage());
            }
        }
        if (!ownership.owns(backend.getId())) {
            return; // revoked while the call was out: the new owner speaks for it now
        }
        known.put(backend.getId(), now);
        publishIfNeeded(backend.getId(), now);
    }

    /** Records the node's task report and publishes it with the last known liveness. */
    public void runningTasks(long backendId, Map<String, List<Long>> running) {
        Liveness before = known.get(backendId);
        if (before == null) {
            BackendDef def = backends.get(backendId).orElse(null);
            before = new Liveness(true, def == null ? "" : def.getHost(), def == null ? 0 : def.getBePort(),
                    System.currentTimeMillis(), "", 0, "", Map.of());
        }
        Liveness now = new Liveness(before.alive(), before.host(), before.bePort(), before.lastHeartbeatMs(),
                before.lastError(), before.nodeStartTimeMs(), before.version(), Map.copyOf(running));
        known.put(backendId, now);
        publishIfNeeded(backendId, now);
    }

    private void publishIfNeeded(long backendId, Liveness now) {
        Published last = published.get(backendId);
        long nowMs = System.currentTimeMillis();
        if (last != null && now.sameAs(last.liveness()) && nowMs - last.atMs() < republishInterval.toMillis()) {
            return;
        }
        BackendStatusRecord record = BackendStatusRecord.newBuilder()
                .setBackendId(backendId)
                .setAgentId(agentId)
                .setReportedAtMs(nowMs)
                .setPart(BackendHeartbeat.newBuilder()
                        .setAlive(now.alive())
                        .setHost(now.host())
                        .setBePort(now.bePort())
                        .setLastHeartbeatMs(now.lastHeartbeatMs())
                        .setLastError(now.lastError())
                        .setNodeStartTimeMs(now.nodeStartTimeMs())
                        .setVersion(now.version())
                        .setRunningTasks(now.runningTasks())
                        .build())
                .build();
        try {
            publisher.publishBackendStatus(List.of(record), List.of(Long.toString(backendId)));
            published.put(backendId, new Published(now, nowMs));
        } catch (ResultPublisher.PublishException e) {
            log.warn("status of backend {} not published: {}", backendId, e.getMessage());
        }
    }

    /** Backends heartbeated by this agent now (for tests and metrics). */
    public java.util.Set<Long> heartbeated() {
        return java.util.Set.copyOf(known.keySet());
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
