package io.snapbus.agent.task;

import io.snapbus.avro.AgentTask;
import io.snapbus.avro.AgentTaskBatch;
import io.snapbus.avro.CheckConsistencyRequest;
import io.snapbus.avro.Column;
import io.snapbus.avro.CreateTabletRequest;
import io.snapbus.avro.DownloadRequest;
import io.snapbus.avro.DropTabletRequest;
import io.snapbus.avro.MoveRequest;
import io.snapbus.avro.ReleaseSnapshotRequest;
import io.snapbus.avro.RepositoryRef;
import io.snapbus.avro.SnapshotRequest;
import io.snapbus.avro.StorageType;
import io.snapbus.avro.TabletRef;
import io.snapbus.avro.UploadRequest;
import io.snapbus.thrift.TAgentServiceVersion;
import io.snapbus.thrift.TAgentTaskRequest;
import io.snapbus.thrift.TCheckConsistencyReq;
import io.snapbus.thrift.TDownloadReq;
import io.snapbus.thrift.TDropTabletReq;
import io.snapbus.thrift.TMoveDirReq;
import io.snapbus.thrift.TKeysType;
import io.snapbus.thrift.TNetworkAddress;
import io.snapbus.thrift.TReleaseSnapshotRequest;
import io.snapbus.thrift.TSnapbusColumn;
import io.snapbus.thrift.TSnapbusCreateTabletReq;
import io.snapbus.thrift.TSnapshotRequest;
import io.snapbus.thrift.TStorageBackendType;
import io.snapbus.thrift.TStorageMedium;
import io.snapbus.thrift.TTaskType;
import io.snapbus.thrift.TUploadReq;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns agent tasks from Kafka into Doris's TAgentTaskRequest, as Doris's FE builds them for backup and restore.
 * Pure: no I/O.
 * A task whose request does not match the batch's type is an {@link IllegalArgumentException}.
 */
public final class TaskTranslator {
    /** Doris's placeholder broker address for repositories that need no broker. */
    static final TNetworkAddress NO_BROKER = new TNetworkAddress("127.0.0.1", 0);
    /** Broker property naming the credential entry the node resolves itself; never the secret. */
    public static final String CREDENTIAL_REF_PROPERTY = "snapbus.credential_ref";

    private static final Map<String, String> S3_PROPERTIES = Map.of(
            "s3.endpoint", "AWS_ENDPOINT",
            "s3.region", "AWS_REGION",
            "s3.path_style", "use_path_style");

    private TaskTranslator() {}

    public static List<TAgentTaskRequest> translate(AgentTaskBatch batch) {
        return batch.getTasks().stream().map(task -> translate(batch, task)).toList();
    }

    public static TAgentTaskRequest translate(AgentTaskBatch batch, AgentTask task) {
        return switch (batch.getTaskType()) {
            case MAKE_SNAPSHOT -> snapshot(task, request(task, SnapshotRequest.class));
            case UPLOAD -> upload(batch.getJobId(), task, request(task, UploadRequest.class));
            case RELEASE_SNAPSHOT -> release(task, request(task, ReleaseSnapshotRequest.class));
            case CREATE -> create(task, request(task, CreateTabletRequest.class));
            case DROP -> drop(task, request(task, DropTabletRequest.class));
            case DOWNLOAD -> download(batch.getJobId(), task, request(task, DownloadRequest.class));
            case MOVE -> move(batch.getJobId(), task, request(task, MoveRequest.class));
            case CHECK_CONSISTENCY -> checkConsistency(task, request(task, CheckConsistencyRequest.class));
            default -> throw new IllegalArgumentException("task type " + batch.getTaskType()
                    + " is not an agent task this agent submits");
        };
    }

    static TAgentTaskRequest snapshot(AgentTask task, SnapshotRequest request) {
        TabletRef tablet = tablet(task);
        TSnapshotRequest snapshot = new TSnapshotRequest(tablet.getTabletId(), tablet.getSchemaHash());
        if (request.getVersion() > 0) {
            // Doris's SnapshotTask sets the version only if > 0: a restore snapshot of a new replica takes its end version
            snapshot.setVersion(request.getVersion());
        }
        snapshot.setTimeout(request.getTimeoutSeconds());
        snapshot.setList_files(request.getListFiles());
        snapshot.setPreferred_snapshot_version(request.getPreferredSnapshotVersion());
        TAgentTaskRequest out = task(TTaskType.MAKE_SNAPSHOT, task.getSignature());
        out.setSnapshot_req(snapshot);
        return out;
    }

    static TAgentTaskRequest upload(long jobId, AgentTask task, UploadRequest request) {
        RepositoryRef repository = request.getRepository();
        TUploadReq upload = new TUploadReq(jobId, new HashMap<>(request.getSrcDestMap()), NO_BROKER.deepCopy());
        upload.setLocation(repository.getLocation());
        upload.setStorage_backend(backendType(repository));
        upload.setBroker_prop(brokerProperties(repository));
        TAgentTaskRequest out = task(TTaskType.UPLOAD, task.getSignature());
        out.setUpload_req(upload);
        return out;
    }

    /** How a node reaches the repository: S3, or a path of its own filesystem. */
    private static TStorageBackendType backendType(RepositoryRef repository) {
        return repository.getStorageType() == StorageType.S3 ? TStorageBackendType.S3 : TStorageBackendType.LOCAL;
    }

    /** DOWNLOAD as Doris's DownloadTask: remote tablet dir to local snapshot dir, with the repository as for UPLOAD. */
    static TAgentTaskRequest download(long jobId, AgentTask task, DownloadRequest request) {
        RepositoryRef repository = request.getRepository();
        TDownloadReq download = new TDownloadReq(jobId, new HashMap<>(request.getSrcDestMap()), NO_BROKER.deepCopy());
        download.setLocation(repository.getLocation());
        download.setStorage_backend(backendType(repository));
        download.setBroker_prop(brokerProperties(repository));
        TAgentTaskRequest out = task(TTaskType.DOWNLOAD, task.getSignature());
        out.setDownload_req(download);
        return out;
    }

    /** MOVE as Doris's DirMoveTask: the task's tablet, its downloaded snapshot dir, overwrite. */
    static TAgentTaskRequest move(long jobId, AgentTask task, MoveRequest request) {
        TabletRef tablet = tablet(task);
        TMoveDirReq move = new TMoveDirReq(tablet.getTabletId(), tablet.getSchemaHash(), request.getSrc(), jobId,
                request.getOverwrite());
        TAgentTaskRequest out = task(TTaskType.MOVE, task.getSignature());
        out.setMove_dir_req(move);
        return out;
    }

    /** CHECK_CONSISTENCY as Doris's CheckConsistencyTask: the task's tablet and schema hash, the version, hash 0. */
    static TAgentTaskRequest checkConsistency(AgentTask task, CheckConsistencyRequest request) {
        TabletRef tablet = tablet(task);
        TCheckConsistencyReq check = new TCheckConsistencyReq(tablet.getTabletId(), tablet.getSchemaHash(),
                request.getVersion(), 0L);
        TAgentTaskRequest out = task(TTaskType.CHECK_CONSISTENCY, task.getSignature());
        out.setCheck_consistency_req(check);
        return out;
    }

    /** The storage properties a node's uploader reads: S3 settings under Doris's names, and the credential name. */
    static Map<String, String> brokerProperties(RepositoryRef repository) {
        Map<String, String> properties = new HashMap<>();
        repository.getProperties().forEach((key, value) -> {
            String name = S3_PROPERTIES.get(key);
            if (name != null) {
                properties.put(name, value);
            }
        });
        if (repository.getCredentialRef() != null && !repository.getCredentialRef().isBlank()) {
            properties.put(CREDENTIAL_REF_PROPERTY, repository.getCredentialRef());
        }
        return properties;
    }

    static TAgentTaskRequest release(AgentTask task, ReleaseSnapshotRequest request) {
        TReleaseSnapshotRequest release = new TReleaseSnapshotRequest(request.getSnapshotPath());
        if (task.getTablet() != null) {
            release.setTablet_id(task.getTablet().getTabletId());
        }
        TAgentTaskRequest out = task(TTaskType.RELEASE_SNAPSHOT, task.getSignature());
        out.setRelease_snapshot_req(release);
        return out;
    }

    static TAgentTaskRequest create(AgentTask task, CreateTabletRequest request) {
        TabletRef tablet = tablet(task);
        List<TSnapbusColumn> columns = request.getColumns().stream().map(TaskTranslator::column).toList();
        TSnapbusCreateTabletReq create = new TSnapbusCreateTabletReq(tablet.getTabletId(), tablet.getSchemaHash(),
                tablet.getTableId(), tablet.getPartitionId(), tablet.getIndexId(), request.getVersion(), columns);
        create.setReplica_id(request.getReplicaId());
        create.setKeys_type(switch (request.getKeysType()) {
            case DUP_KEYS -> TKeysType.DUP_KEYS;
            case AGG_KEYS -> TKeysType.AGG_KEYS;
            case UNIQUE_KEYS -> TKeysType.UNIQUE_KEYS;
        });
        create.setStorage_medium(storageMedium(request.getStorageMedium()));
        TAgentTaskRequest out = task(TTaskType.CREATE, task.getSignature());
        out.setSnapbus_create_tablet_req(create);
        return out;
    }

    /** DROP as Doris's FE sends it for a dropped table or partition: tablet id, schema hash, replica id. */
    static TAgentTaskRequest drop(AgentTask task, DropTabletRequest request) {
        TabletRef tablet = tablet(task);
        TDropTabletReq drop = new TDropTabletReq(tablet.getTabletId());
        drop.setSchema_hash(tablet.getSchemaHash());
        drop.setReplica_id(request.getReplicaId());
        drop.setIs_drop_table_or_partition(request.getDropTableOrPartition());
        TAgentTaskRequest out = task(TTaskType.DROP, task.getSignature());
        out.setDrop_tablet_req(drop);
        return out;
    }

    private static TSnapbusColumn column(Column column) {
        return new TSnapbusColumn(column.getName(), column.getType(), column.getIsKey(), column.getNullable());
    }

    private static TStorageMedium storageMedium(String medium) {
        if (medium == null || medium.isBlank()) {
            return TStorageMedium.HDD;
        }
        try {
            return TStorageMedium.valueOf(medium.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown storage medium '" + medium + "' (HDD or SSD)", e);
        }
    }

    static TabletRef tablet(AgentTask task) {
        if (task.getTablet() == null) {
            throw new IllegalArgumentException("task " + task.getSignature() + " names no tablet");
        }
        return task.getTablet();
    }

    static <R> R request(AgentTask task, Class<R> type) {
        Object request = task.getRequest();
        if (!type.isInstance(request)) {
            throw new IllegalArgumentException("task " + task.getSignature() + " carries "
                    + (request == null ? "no request" : request.getClass().getSimpleName()) + ", expected "
                    + type.getSimpleName());
        }
        return type.cast(request);
    }

    private static TAgentTaskRequest task(TTaskType type, long signature) {
        return new TAgentTaskRequest(TAgentServiceVersion.V1, type, signature);
    }
}
