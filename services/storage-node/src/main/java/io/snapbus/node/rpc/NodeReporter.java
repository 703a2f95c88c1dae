package io.snapbus.node.rpc;

import io.snapbus.node.tablet.TabletMeta;
import io.snapbus.node.tablet.TabletStore;
import io.snapbus.thrift.FrontendService;
import io.snapbus.thrift.TReportRequest;
import io.snapbus.thrift.TTablet;
import io.snapbus.thrift.TTabletInfo;
import io.snapbus.thrift.TTaskType;
import io.snapbus.thrift.rpc.ThriftClientPool;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.apache.thrift.TException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Periodic reports to the owning agent: the running task signatures (so a lost task can be re-sent) and the state of
 * every tablet replica (versions, last failed version, sizes). A missed report is simply sent again next period.
 */
public final class NodeReporter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(NodeReporter.class);

    private final NodeIdentity identity;
    private final ThriftClientPool<FrontendService.Client> agents;
    private final TabletStore store;
    private final Supplier<Map<TTaskType, Set<Long>>> runningTasks;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "node-reporter");
        t.setDaemon(true);
        return t;
    });
    private final AtomicLong reportVersion = new AtomicLong(System.currentTimeMillis());

    public NodeReporter(NodeIdentity identity, ThriftClientPool<FrontendService.Client> agents, TabletStore store,
            Supplier<Map<TTaskType, Set<Long>>> runningTasks) {
        this.identity = identity;
        this.agents = agents;
        this.store = store;
        this.runningTasks = runningTasks;
    }

    public void start(Duration taskInterval, Duration tabletInterval) {
        scheduler.scheduleWithFixedDelay(this::reportTasks, taskInterval.toMillis(), taskInterval.toMillis(),
                TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(this::reportTablets, tabletInterval.toMillis(), tabletInterval.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** A full report soon, e.g. when a new agent became the owner. */
    public void reportSoon() {
        scheduler.execute(() -> {
            reportTasks();
            reportTablets();
        });
    }

    void reportTasks() {
        TReportRequest request = newRequest();
        request.setTasks(runningTasks.get());
        send(request, "task");
    }

    void reportTablets() {
        TReportRequest request = newRequest();
        Map<Long, TTablet> tablets = new HashMap<>();
        for (TabletMeta meta : store.all()) {
            tablets.put(meta.tabletId(), new TTablet(List.of(tabletInfo(meta))));
        }
        request.setTablets(tablets);
        send(request, "tablet");
    }

    /** A replica's state as Doris's TTabletInfo, plus our last_failed_version. */
    public static TTabletInfo tabletInfo(TabletMeta meta) {
        TTabletInfo info = new TTabletInfo(meta.tabletId(), meta.schemaHash(), meta.version(), 0L, meta.rowCount(),
                meta.dataSize());
        info.setTotal_version_count(meta.versionCount());
        info.setPartition_id(meta.partitionId());
        info.setReplica_id(meta.replicaId());
        info.setLast_failed_version(meta.lastFailedVersion());
        return info;
    }

    private TReportRequest newRequest() {
        TReportRequest request = new TReportRequest(identity.backend());
        request.setReport_version(reportVersion.incrementAndGet());
        return request;
    }

    private void send(TReportRequest request, String kind) {
        identity.target().current().ifPresent(owner -> {
            try {
                agents.call(owner.agent(), c -> c.report(request));
            } catch (TException e) {
                log.debug("{} report to {} failed ({}); the next period sends a fresh one", kind, owner.agent(),
                        e.getMessage());
            } catch (RuntimeException e) {
                log.warn("{} report failed", kind, e);
            }
        });
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
