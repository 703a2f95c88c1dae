package io.snapbus.node;

import io.snapbus.thrift.TAgentServiceVersion;
import io.snapbus.thrift.TAgentTaskRequest;
import io.snapbus.thrift.TDownloadReq;
import io.snapbus.thrift.TKeysType;
import io.snapbus.thrift.TMoveDirReq;
import io.snapbus.thrift.TNetworkAddress;
import io.snapbus.thrift.TReleaseSnapshotRequest;
import io.snapbus.thrift.TSnapbusColumn;
import io.snapbus.thrift.TSnapbusCreateTabletReq;
import io.snapbus.thrift.TSnapshotRequest;
import io.snapbus.thrift.TStorageBackendType;
import io.snapbus.thrift.TTaskType;
import io.snapbus.thrift.TUploadReq;
import java.util.List;
import java.util.Map;

/** Builders of agent task requests, as an agent would send them. */
final class Tasks {
    static final List<TSnapbusColumn> COLUMNS = List.of(
            new TSnapbusColumn("id", "BIGINT", true, false),
            new TSnapbusColumn("city", "VARCHAR(32)", false, true),
            new TSnapbusColumn("amount", "DECIMAL(18,2)", false, true));

    private Tasks() {}

    static TAgentTaskRequest create(long signature, long tabletId, int schemaHash) {
        TSnapbusCreateTabletReq request = new TSnapbusCreateTabletReq(tabletId, schemaHash, 2001L, 3001L, 4001L, 1L,
                COLUMNS);
        request.setReplica_id(tabletId * 10);
        request.setKeys_type(TKeysType.DUP_KEYS);
        TAgentTaskRequest task = task(TTaskType.CREATE, signature);
        task.setSnapbus_create_tablet_req(request);
        return task;
    }

    static TAgentTaskRequest snapshot(long signature, long tabletId, int schemaHash, long version) {
        TAgentTaskRequest task = restoreSnapshot(signature, tabletId, schemaHash);
        task.getSnapshot_req().setVersion(version);
        return task;
    }

    static TAgentTaskRequest checkConsistency(long signature, long tabletId, int schemaHash, long version) {
        TAgentTaskRequest task = task(TTaskType.CHECK_CONSISTENCY, signature);
        task.setCheck_consistency_req(new io.snapbus.thrift.TCheckConsistencyReq(tabletId, schemaHash, version, 0));
        return task;
    }

    static TAgentTaskRequest upload(long signature, long jobId, String location, Map<String, String> srcDest,
            Map<String, String> brokerProperties) {
        TUploadReq request = new TUploadReq(jobId, srcDest, new TNetworkAddress("127.0.0.1", 0));
        request.setBroker_prop(brokerProperties);
        request.setLocation(location);
        request.setStorage_backend(location.startsWith("s3:") ? TStorageBackendType.S3 : TStorageBackendType.LOCAL);
        TAgentTaskRequest task = task(TTaskType.UPLOAD, signature);
        task.setUpload_req(request);
        return task;
    }

    /** A MAKE_SNAPSHOT with no version: the tablet's end version, as a restore snapshots a new replica. */
    static TAgentTaskRequest restoreSnapshot(long signature, long tabletId, int schemaHash) {
        TSnapshotRequest request = new TSnapshotRequest(tabletId, schemaHash);
        request.setList_files(true);
        request.setPreferred_snapshot_version(4);
        request.setTimeout(3600);
        TAgentTaskRequest task = task(TTaskType.MAKE_SNAPSHOT, signature);
        task.setSnapshot_req(request);
        return task;
    }

    static TAgentTaskRequest download(long signature, long jobId, String location, Map<String, String> srcDest,
            Map<String, String> brokerProperties) {
        TDownloadReq request = new TDownloadReq(jobId, srcDest,
                new TNetworkAddress("127.0.0.1", 0));
        request.setBroker_prop(brokerProperties);
        request.setLocation(location);
        request.setStorage_backend(location.startsWith("s3:") ? TStorageBackendType.S3 : TStorageBackendType.LOCAL);
        TAgentTaskRequest task = task(TTaskType.DOWNLOAD, signature);
        task.setDownload_req(request);
        return task;
    }

    static TAgentTaskRequest move(long signature, long jobId, long tabletId, int schemaHash, String src,
            boolean overwrite) {
        TAgentTaskRequest task = task(TTaskType.MOVE, signature);
        task.setMove_dir_req(new TMoveDirReq(tabletId, schemaHash, src, jobId, overwrite));
        return task;
    }

    static TAgentTaskRequest release(long signature, String snapshotPath) {
        TAgentTaskRequest task = task(TTaskType.RELEASE_SNAPSHOT, signature);
        task.setRelease_snapshot_req(new TReleaseSnapshotRequest(snapshotPath));
        return task;
    }

    static TAgentTaskRequest task(TTaskType type, long signature) {
        return new TAgentTaskRequest(TAgentServiceVersion.V1, type, signature);
    }
}
