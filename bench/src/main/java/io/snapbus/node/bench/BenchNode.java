package io.snapbus.node.bench;

import io.snapbus.node.StorageNode;
import io.snapbus.node.StorageNodeConfig;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import io.snapbus.thrift.BackendService;
import io.snapbus.thrift.HeartbeatService;
import io.snapbus.thrift.TAgentServiceVersion;
import io.snapbus.thrift.TAgentTaskRequest;
import io.snapbus.thrift.TDownloadReq;
import io.snapbus.thrift.TFinishTaskRequest;
import io.snapbus.thrift.TMasterInfo;
import io.snapbus.thrift.TNetworkAddress;
import io.snapbus.thrift.TSnapshotRequest;
import io.snapbus.thrift.TStatusCode;
import io.snapbus.thrift.TStorageBackendType;
import io.snapbus.thrift.TTaskType;
import io.snapbus.thrift.TUploadReq;
import io.snapbus.thrift.rpc.ThriftClientConfig;
import io.snapbus.thrift.rpc.ThriftClientPool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;

/**
 * A real storage node in this JVM, driven as an agent drives it: tasks go through BackendService over Thrift and the
 * benchmark waits for their finish reports at its own FrontendService, to which a heartbeat pointed the node.
 */
final class BenchNode implements AutoCloseable {
    /**
     * Tablets per UPLOAD and per DOWNLOAD task: Doris's defaults (the backup batch,
     * restore_download_snapshot_batch_size).
     */
    static final int TABLETS_PER_TASK = 10;

    private final StorageNodeConfig config;
    private final BenchAgent agent;
    private final StorageNode node;
    private final ThriftClientPool<BackendService.Client> backends;
    private final ThriftClientPool<HeartbeatService.Client> heartbeats;
    private long signature = 1;

    private BenchNode(StorageNodeConfig config, BenchAgent agent, StorageNode node,
            ThriftClientPool<BackendService.Client> backends,
            ThriftClientPool<HeartbeatService.Client> heartbeats) {
        this.config = config;
        this.agent = agent;
        this.node = node;
        this.backends = backends;
        this.heartbeats = heartbeats;
    }

    /**
     * The node's defaults, overridden by {@code -Dsnapbus.node.<setting>} system properties (through
     * {@code SNAPBUS_JAVA_OPTS}), so a setting such as {@code download_file_parallelism} can be compared; data under
     * the work dir, a free port, no compaction.
     */
    static StorageNodeConfig config(Path storageRoot) {
        Properties settings = new Properties();
        settings.putAll(System.getProperties());
        settings.setProperty("snapbus.node.storage_root_path", storageRoot.toString());
        StorageNodeConfig loaded = StorageNodeConfig.load(Optional.empty(), Map.of(), settings);
        return loaded.toBuilder().bePort(0).compactionInterval(Duration.ZERO).build();
    }

    static BenchNode start(StorageNodeConfig config) throws Exception {
        BenchAgent agent = new BenchAgent();
        StorageNode node = null;
        ThriftClientPool<BackendService.Client> backends = null;
        try {
            node = StorageNode.start(config);
            backends = ThriftClientPool.backendService(ThriftClientConfig.defaults());
            BenchNode started = new BenchNode(config, agent, node, backends,
                    ThriftClientPool.heartbeatService(ThriftClientConfig.defaults()));
            TMasterInfo owner = new TMasterInfo(new TNetworkAddress("127.0.0.1", agent.endpoint().port()), 1, 1);
            started.heartbeats.call(node.endpoint(), c -> c.heartbeat(owner));
            return started;
        } catch (Exception | Error e) {
            if (backends != null) {
                backends.close();
            }
            if (node != null) {
                node.close();
            }
            agent.close();
            throw e;
        }
    }

    StorageNodeConfig config() {
        return config;
    }

    StorageNode node() {
        return node;
    }

    /** MAKE_SNAPSHOT (no version: the tablet's newest) of tablets {@code firstTablet ..}, all sent at once. */
    List<SnapshotDir> snapshotAll(long firstTablet, int tablets) throws Exception {
        List<TAgentTaskRequest> tasks = new ArrayList<>();
        for (int t = 0; t < tablets; t++) {
            TSnapshotRequest request = new TSnapshotRequest(firstTablet + t, BenchData.SCHEMA_HASH);
            request.setList_files(true);
            TAgentTaskRequest task = new TAgentTaskRequest(TAgentServiceVersion.V1, TTaskType.MAKE_SNAPSHOT,
                    signature++);
            task.setSnapshot_req(request);
            tasks.add(task);
        }
        List<SnapshotDir> snapshots = new ArrayList<>();
        for (TFinishTaskRequest report : submitAndWait(tasks)) {
            Path root = Path.of(report.getSnapshot_path());
            long tabletId = firstTablet + (report.getSignature() - tasks.get(0).getSignature());
            Path tabletDir = root.resolve(Long.toString(tabletId)).resolve(Integer.toString(BenchData.SCHEMA_HASH));
            long bytes = 0;
            for (String file : report.getSnapshot_files()) {
                bytes += Files.size(tabletDir.resolve(file));
            }
            snapshots.add(new SnapshotDir(tabletId, root, tabletDir, report.getSnapshot_files(), bytes));
        }
        return snapshots;
    }

    /** UPLOAD tasks of {@value #TABLETS_PER_TASK} tablets each to a filesystem repository, all sent at once. */
    void uploadAll(List<SnapshotDir> snapshots, Path repository, boolean fsync, LongFunction<String> remoteDir)
            throws Exception {
        uploadAll(snapshots, repository.toUri().toString(), TStorageBackendType.LOCAL,
                Map.of("fs.fsync", Boolean.toString(fsync)), remoteDir);
    }

    void uploadAll(List<SnapshotDir> snapshots, String location, TStorageBackendType backend,
            Map<String, String> properties, LongFunction<String> remoteDir) throws Exception {
        List<TAgentTaskRequest> tasks = new ArrayList<>();
        for (int i = 0; i < snapshots.size(); i += TABLETS_PER_TASK) {
            Map<String, String> srcDest = new LinkedHashMap<>();
            for (SnapshotDir s : snapshots.subList(i, Math.min(snapshots.size(), i + TABLETS_PER_TASK))) {
                srcDest.put(s.tabletDir().toString(), location + "/" + remoteDir.apply(s.tabletId()));
            }
            TUploadReq request = new TUploadReq(1L, srcDest, new TNetworkAddress("127.0.0.1", 0));
            request.setLocation(location);
            request.setStorage_backend(backend);
            request.setBroker_prop(properties);
            TAgentTaskRequest task = new TAgentTaskRequest(TAgentServiceVersion.V1, TTaskType.UPLOAD, signature++);
            task.setUpload_req(request);
            tasks.add(task);
        }
        submitAndWait(tasks);
    }

    /**
     * DOWNLOAD tasks of {@value #TABLETS_PER_TASK} (repository tablet dir, local snapshot tablet dir) pairs each from a
     * filesystem repository, all sent at once, as a restore job sends them to one node; returns the bytes the node
     * reports it fetched.
     */
    long downloadAll(Map<String, Path> remoteToLocal, Path repository) throws Exception {
        String location = repository.toUri().toString();
        List<Map.Entry<String, Path>> pairs = new ArrayList<>(remoteToLocal.entrySet());
        List<TAgentTaskRequest> tasks = new ArrayList<>();
        for (int i = 0; i < pairs.size(); i += TABLETS_PER_TASK) {
            Map<String, String> srcDest = new LinkedHashMap<>();
            for (Map.Entry<String, Path> pair : pairs.subList(i, Math.min(pairs.size(), i + TABLETS_PER_TASK))) {
                srcDest.put(location + "/" + pair.getKey(), pair.getValue().toString());
            }
            TDownloadReq request = new TDownloadReq(1L, srcDest, new TNetworkAddress("127.0.0.1", 0));
            request.setLocation(location);
            request.setStorage_backend(TStorageBackendType.LOCAL);
            request.setBroker_prop(Map.of());
            TAgentTaskRequest task = new TAgentTaskRequest(TAgentServiceVersion.V1, TTaskType.DOWNLOAD,
                    signature++);
            task.setDownload_req(request);
            tasks.add(task);
        }
        long bytes = 0;
        for (TFinishTaskRequest report : submitAndWait(tasks)) {
            bytes += report.getCopy_size();
        }
        return bytes;
    }

    private List<TFinishTaskRequest> submitAndWait(List<TAgentTaskRequest> tasks) throws Exception {
        var answer = backends.call(node.endpoint(), c -> c.submit_tasks(tasks));
        if (answer.getStatus().getStatus_code() != TStatusCode.OK) {
            throw new IllegalStateException("the node refused the tasks: " + answer.getStatus());
        }
        List<TFinishTaskRequest> reports = new ArrayList<>();
        for (TAgentTaskRequest task : tasks) {
            TFinishTaskRequest report = agent.await(task.getSignature(), 3600);
            if (report.getTask_status().getStatus_code() != TStatusCode.OK) {
                throw new IllegalStateException(task.getTask_type() + " " + task.getSignature() + " failed: "
                        + report.getTask_status());
            }
            reports.add(report);
        }
        return reports;
    }

    @Override
    public void close() {
        heartbeats.close();
        backends.close();
        node.close();
        agent.close();
    }
}
