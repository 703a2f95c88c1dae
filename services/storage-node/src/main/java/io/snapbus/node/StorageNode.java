package io.snapbus.node;

import io.snapbus.node.observe.NodeHttpEndpoint;
import io.snapbus.node.observe.NodeMetrics;
import io.snapbus.node.rpc.AgentLoaderProgress;
import io.snapbus.node.rpc.BackendServiceHandler;
import io.snapbus.node.rpc.FinishReporter;
import io.snapbus.node.rpc.HeartbeatHandler;
import io.snapbus.node.rpc.NodeIdentity;
import io.snapbus.node.rpc.NodeReporter;
import io.snapbus.node.rpc.ReportTarget;
import io.snapbus.node.tablet.TabletStore;
import io.snapbus.node.tablet.TabletStoreConfig;
import io.snapbus.node.task.CheckConsistencyRunner;
import io.snapbus.node.task.CreateTabletRunner;
import io.snapbus.node.restore.CapacityGuard;
import io.snapbus.node.restore.DownloadExecutor;
import io.snapbus.node.task.DownloadRunner;
import io.snapbus.node.task.DropTabletRunner;
import io.snapbus.node.task.MoveRunner;
import io.snapbus.node.task.ReleaseSnapshotRunner;
import io.snapbus.node.task.SnapshotRunner;
import io.snapbus.node.task.TaskDispatcher;
import io.snapbus.node.task.UploadRunner;
import io.snapbus.node.upload.BandwidthLimiter;
import io.snapbus.node.upload.CredentialResolver;
import io.snapbus.node.upload.UploadExecutor;
import io.snapbus.thrift.BackendService;
import io.snapbus.thrift.FrontendService;
import io.snapbus.thrift.HeartbeatService;
import io.snapbus.thrift.TTaskType;
import io.snapbus.thrift.rpc.ThriftClientConfig;
import io.snapbus.thrift.rpc.ThriftClientPool;
import io.snapbus.thrift.rpc.ThriftEndpoint;
import io.snapbus.thrift.rpc.ThriftServer;
import io.snapbus.thrift.rpc.ThriftServerConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import org.apache.thrift.transport.TTransportException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A storage node: the tablet store on local disk, served over Doris's agent protocol (BackendService and
 * HeartbeatService on one port), reporting finished tasks, upload progress and tablet state to the agent that owns
 * it.
 */
public final class StorageNode implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StorageNode.class);

    private final StorageNodeConfig config;
    private final TabletStore store;
    private final ReportTarget target = new ReportTarget();
    private final ThriftClientPool<FrontendService.Client> agents;
    private final FinishReporter finishReporter;
    private final TaskDispatcher dispatcher;
    private final NodeReporter nodeReporter;
    private final ThriftServer server;
    private final NodeMetrics metrics;
    /** The health and metrics endpoint, when {@code metrics_port} is set. */
    private volatile NodeHttpEndpoint http;
    /** Tablets loaded and the Thrift port serving: readiness UP. */
    private volatile boolean ready;

    private StorageNode(StorageNodeConfig config, NodeMetrics metrics) {
        this.config = config;
        this.metrics = metrics;
        this.store = TabletStore.open(config.storageRoot(), storeConfig(config));
        this.agents = ThriftClientPool.frontendService(ThriftClientConfig.defaults()
                .withMaxIdlePerEndpoint(FinishReporter.SENDERS));
        NodeIdentity identity = new NodeIdentity(config.host(), this::port, target);
        this.finishReporter = new FinishReporter(identity, agents, config.finishReportMaxBackoff());
        CredentialResolver credentials = new CredentialResolver(config.credentialsFile());
        UploadExecutor uploads = new UploadExecutor(store, credentials, AgentLoaderProgress.ofUploads(target, agents), new BandwidthLimiter(config.uploadMaxBytesPerSecond()),
                config.uploadFileParallelism(), config.uploadProgressEveryFiles(), config.uploadVerifyChecksums(),
                config.uploadSyncFileSystem());
        RestoreSettings restore = config.restore();
        DownloadExecutor downloads = new DownloadExecutor(store, credentials,
                AgentLoaderProgress.ofDownloads(target, agents),
                new BandwidthLimiter(restore.downloadMaxBytesPerSecond()),
                new CapacityGuard(store.root(), restore.floodStageUsagePercent(),
                        restore.floodStageLeftCapacityBytes()), restore.downloadProgressEveryFiles(),
                restore.downloadFileParallelism(), restore.downloadSyncFileSystem());
        this.dispatcher = new TaskDispatcher(config.host(), finishReporter, Map.of(
                TTaskType.MAKE_SNAPSHOT, new TaskDispatcher.Worker(new SnapshotRunner(store),
                        config.makeSnapshotWorkerCount()),
                TTaskType.RELEASE_SNAPSHOT, new TaskDispatcher.Worker(new ReleaseSnapshotRunner(store),
                        config.releaseSnapshotWorkerCount()),
                TTaskType.UPLOAD, new TaskDispatcher.Worker(new UploadRunner(uploads), config.uploadWorkerCount()),
                TTaskType.CREATE, new TaskDispatcher.Worker(new CreateTabletRunner(store),
                        config.createTabletWorkerCount()),
                TTaskType.DROP, new TaskDispatcher.Worker(new DropTabletRunner(store),
                        config.dropTabletWorkerCount()),
                TTaskType.DOWNLOAD, new TaskDispatcher.Worker(new DownloadRunner(downloads),
                        restore.downloadWorkerCount()),
                TTaskType.MOVE, new TaskDispatcher.Worker(new MoveRunner(store), restore.moveWorkerCount()),
                TTaskType.CHECK_CONSISTENCY, new TaskDispatcher.Worker(new CheckConsistencyRunner(store),
                        restore.checkConsistencyWorkerCount())), metrics);
        this.nodeReporter = new NodeReporter(identity, agents, store, dispatcher::running);
        HeartbeatHandler heartbeats = new HeartbeatHandler(target, this::port, System.currentTimeMillis(),
                nodeReporter::reportSoon);
        this.server = ThriftServer.serving("storage-node",
                ThriftServerConfig.defaults().withBindHost(config.host()).withPort(config.bePort()),
                new BackendService.Processor<>(new BackendServiceHandler(config.host(), dispatcher, store)),
                new HeartbeatService.Processor<>(heartbeats));
    }

    /** Opens the store, starts serving and reporting; returns once the port accepts connections. */
    public static StorageNode start(StorageNodeConfig config) {
        NodeMetrics metrics = new NodeMetrics();
        // The health endpoint listens before the tablets are loaded, so readiness says DOWN while they load.
        StorageNode[] started = {null};
        NodeHttpEndpoint http = config.metricsPort().isPresent() ? NodeHttpEndpoint.start(config.host(),
                config.metricsPort().getAsInt(), metrics, () -> started[0] != null && started[0].ready) : null;
        StorageNode node;
        try {
            node = new StorageNode(config, metrics);
        } catch (RuntimeException | Error e) {
            if (http != null) {
                http.close();
            }
            throw e;
        }
        node.http = http;
        started[0] = node;
        try {
            node.server.start();
        } catch (TTransportException e) {
            node.close();
            throw new IllegalStateException("storage node cannot listen on " + config.host() + ":" + config.bePort()
                    + " (" + e.getMessage() + "); free the port or set snapbus.node.be_port", e);
        }
        node.nodeReporter.start(config.reportTaskInterval(), config.reportTabletInterval());
        node.ready = true;
        config.portFile().ifPresent(node::writePortFile);
        log.info("storage node serving on {}:{}, data in {}, {} tablets{}", config.host(), node.port(),
                config.storageRoot(), node.store.all().size(), http == null ? ""
                        : "; health and metrics on http://" + config.host() + ":" + http.port() + "/");
        return node;
    }

    public int port() {
        return server != null && server.isRunning() ? server.port() : config.bePort();
    }

    /** The health and metrics endpoint's port, when it serves one. */
    public java.util.OptionalInt metricsPort() {
        NodeHttpEndpoint current = http;
        return current == null ? java.util.OptionalInt.empty() : java.util.OptionalInt.of(current.port());
    }

    public NodeMetrics metrics() {
        return metrics;
    }

    public ThriftEndpoint endpoint() {
        return new ThriftEndpoint(config.host(), port());
    }

    public TabletStore store() {
        return store;
    }

    public ReportTarget reportTarget() {
        return target;
    }

    /** Finish reports not yet acknowledged by an agent. */
    public int pendingFinishReports() {
        return finishReporter.pending();
    }

    /** Sends of finish reports that reached no agent so far; each is retried. */
    public long failedFinishReportAttempts() {
        return finishReporter.failedAttempts();
    }

    private void writePortFile(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path temp = Files.createTempFile(file.toAbsolutePath().getParent(), ".port", ".tmp");
            Files.writeString(temp, Integer.toString(port()));
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the port file " + file, e);
        }
    }

    private static TabletStoreConfig storeConfig(StorageNodeConfig config) {
        TabletStoreConfig defaults = TabletStoreConfig.defaults();
        boolean compaction = !config.compactionInterval().isZero();
        return new TabletStoreConfig(config.compactionMinRowsets(),
                compaction ? config.compactionInterval() : defaults.compactionInterval(), compaction,
                config.snapshotExpire().toSeconds(), defaults.sweepInterval(), config.restore().debugPauseMoveAt());
    }

    @Override
    public void close() {
        ready = false;
        if (server != null) {
            server.stop();
        }
        nodeReporter.close();
        dispatcher.close();
        finishReporter.close();
        agents.close();
        store.close();
        if (http != null) {
            http.close();
        }
        log.info("storage node stopped");
    }
}
