package io.snapbus.thrift.rpc;

import io.snapbus.thrift.BackendService;
import io.snapbus.thrift.FrontendService;
import io.snapbus.thrift.HeartbeatService;
import io.snapbus.thrift.TAgentResult;
import io.snapbus.thrift.TAgentTaskRequest;
import io.snapbus.thrift.TBackend;
import io.snapbus.thrift.TBackendInfo;
import io.snapbus.thrift.TFinishTaskRequest;
import io.snapbus.thrift.THeartbeatResult;
import io.snapbus.thrift.TMasterInfo;
import io.snapbus.thrift.TSnapbusLoadAbortRequest;
import io.snapbus.thrift.TSnapbusLoadPublishRequest;
import io.snapbus.thrift.TSnapbusLoadResult;
import io.snapbus.thrift.TSnapbusLoadWriteRequest;
import io.snapbus.thrift.TSnapbusReadRowsRequest;
import io.snapbus.thrift.TSnapbusReadRowsResult;
import io.snapbus.thrift.TSnapshotRequest;
import io.snapbus.thrift.TStatus;
import io.snapbus.thrift.TStatusCode;
import io.snapbus.thrift.TUploadReq;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Test double of a storage node: serves BackendService and HeartbeatService, runs MAKE_SNAPSHOT and UPLOAD
 * tasks without touching disk, and reports each to the agent named by the last heartbeat, like a Doris
 * node does.
 */
final class FakeStorageNode implements BackendService.Iface, HeartbeatService.Iface, AutoCloseable {

    static final String SNAPSHOT_ROOT = "/data/snapbus/snapshot/20261124120000.7.86400";
    static final int HTTP_PORT = 8040;

    private final ThriftClientPool<FrontendService.Client> agents =
            ThriftClientPool.frontendService(ThriftClientConfig.defaults());
    private final ExecutorService taskWorker = Executors.newSingleThreadExecutor();
    private final List<TAgentTaskRequest> received = new CopyOnWriteArrayList<>();
    private volatile ThriftEndpoint agent;
    private volatile int bePort;

    /** Called once the node's own server is bound, so its reports name the right port. */
    void bound(int port) {
        this.bePort = port;
    }

    List<TAgentTaskRequest> received() {
        return received;
    }

    TBackend identity() {
        return new TBackend("127.0.0.1", bePort, HTTP_PORT);
    }

    // ---- HeartbeatService

    @Override
    public THeartbeatResult heartbeat(TMasterInfo master) {
        agent = ThriftEndpoint.of(master.getNetwork_address());
        return new THeartbeatResult(new TStatus(TStatusCode.OK), new TBackendInfo(bePort, HTTP_PORT));
    }

    // ---- BackendService

    @Override
    public TAgentResult submit_tasks(List<TAgentTaskRequest> tasks) {
        ThriftEndpoint reportTo = agent;
        if (reportTo == null) {
            // What a Doris node answers before its first heartbeat.
            TStatus status = new TStatus(TStatusCode.CANCELLED);
            status.addToError_msgs("Have not get FE Master heartbeat yet");
            return new TAgentResult(status);
        }
        for (TAgentTaskRequest task : tasks) {
            received.add(task);
            taskWorker.execute(() -> runAndReport(task, reportTo));
        }
        return new TAgentResult(new TStatus(TStatusCode.OK));
    }

    @Override
    public TAgentResult make_snapshot(TSnapshotRequest request) {
        TAgentResult result = new TAgentResult(new TStatus(TStatusCode.OK));
        result.setSnapshot_path(SNAPSHOT_ROOT);
        return result;
    }

    @Override
    public TAgentResult release_snapshot(String snapshotPath) {
        return new TAgentResult(new TStatus(TStatusCode.OK));
    }

    @Override
    public TSnapbusLoadResult snapbus_load_write(TSnapbusLoadWriteRequest request) {
        return new TSnapbusLoadResult(new TStatus(TStatusCode.NOT_IMPLEMENTED_ERROR));
    }

    @Override
    public TSnapbusLoadResult snapbus_load_publish(TSnapbusLoadPublishRequest request) {
        return new TSnapbusLoadResult(new TStatus(TStatusCode.NOT_IMPLEMENTED_ERROR));
    }

    @Override
    public TSnapbusLoadResult snapbus_load_abort(TSnapbusLoadAbortRequest request) {
        return new TSnapbusLoadResult(new TStatus(TStatusCode.NOT_IMPLEMENTED_ERROR));
    }

    @Override
    public TSnapbusReadRowsResult snapbus_read_rows(TSnapbusReadRowsRequest request) {
        return new TSnapbusReadRowsResult(new TStatus(TStatusCode.NOT_IMPLEMENTED_ERROR));
    }

    // ---- task execution

    /** The files a snapshot of this tablet at this version consists of, as this fake node names them. */
    static List<String> snapshotFiles(long tabletId, long version) {
        return List.of(tabletId + ".hdr", "rowset_0_" + version + ".avro");
    }

    /** The names an upload reports for a file: {@code <name>.<md5 hex>}, md5 here taken over the name. */
    static String withChecksum(String fileName) {
        try {
            byte[] md5 = MessageDigest.getInstance("MD5").digest(fileName.getBytes(StandardCharsets.UTF_8));
            return fileName + "." + HexFormat.of().formatHex(md5);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private void runAndReport(TAgentTaskRequest task, ThriftEndpoint reportTo) {
        TFinishTaskRequest finish = new TFinishTaskRequest(
                identity(), task.getTask_type(), task.getSignature(), new TStatus(TStatusCode.OK));
        switch (task.getTask_type()) {
            case MAKE_SNAPSHOT -> {
                TSnapshotRequest snapshot = task.getSnapshot_req();
                finish.setSnapshot_path(SNAPSHOT_ROOT);
                finish.setSnapshot_files(new ArrayList<>(snapshotFiles(snapshot.getTablet_id(), snapshot.getVersion())));
            }
            case UPLOAD -> finish.setTablet_files(uploadedFiles(task.getUpload_req()));
            default -> finish.setTask_status(notImplemented(task));
        }
        try {
            agents.call(reportTo, client -> client.finishTask(finish));
        } catch (ThriftCallException e) {
            throw new IllegalStateException(e);
        }
    }

    /** For each {@code <root>/<tablet>/<schema_hash>} source dir, the checksummed names of its files. */
    private static Map<Long, List<String>> uploadedFiles(TUploadReq upload) {
        Map<Long, List<String>> files = new LinkedHashMap<>();
        for (String source : upload.getSrc_dest_map().keySet()) {
            long tabletId = Long.parseLong(Path.of(source).getParent().getFileName().toString());
            List<String> names = new ArrayList<>();
            for (String file : snapshotFiles(tabletId, 1)) {
                names.add(withChecksum(file));
            }
            files.put(tabletId, names);
        }
        return files;
    }

    private static TStatus notImplemented(TAgentTaskRequest task) {
        TStatus status = new TStatus(TStatusCode.NOT_IMPLEMENTED_ERROR);
        status.addToError_msgs("test node does not run " + task.getTask_type());
        return status;
    }

    @Override
    public void close() throws InterruptedException {
        taskWorker.shutdown();
        taskWorker.awaitTermination(5, TimeUnit.SECONDS);
        agents.close();
    }
}
