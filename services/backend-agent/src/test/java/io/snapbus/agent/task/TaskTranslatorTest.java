package io.snapbus.agent.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snapbus.avro.AgentTask;
import io.snapbus.avro.AgentTaskBatch;
import io.snapbus.avro.CheckConsistencyRequest;
import io.snapbus.avro.Column;
import io.snapbus.avro.CreateTabletRequest;
import io.snapbus.avro.DownloadRequest;
import io.snapbus.avro.DropTabletRequest;
import io.snapbus.avro.MoveRequest;
import io.snapbus.avro.KeysType;
import io.snapbus.avro.ReleaseSnapshotRequest;
import io.snapbus.avro.RepositoryRef;
import io.snapbus.avro.SnapshotRequest;
import io.snapbus.avro.StorageType;
import io.snapbus.avro.TabletRef;
import io.snapbus.avro.TaskType;
import io.snapbus.avro.UploadRequest;
import io.snapbus.thrift.TAgentServiceVersion;
import io.snapbus.thrift.TAgentTaskRequest;
import io.snapbus.thrift.TKeysType;
import io.snapbus.thrift.TStorageBackendType;
import io.snapbus.thrift.TStorageMedium;
import io.snapbus.thrift.TTaskType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TaskTranslatorTest {
    private static final TabletRef TABLET = TabletRef.newBuilder().setDbId(1).setTableId(2).setPartitionId(3)
            .setIndexId(4).setTabletId(5).setSchemaHash(66).build();

    @Test
    void aSnapshotTaskCarriesTabletVersionTimeoutAndTheSnapshotFormatExplicitly() {
        TAgentTaskRequest request = only(TaskType.MAKE_SNAPSHOT, task(TABLET,
                SnapshotRequest.newBuilder().setVersion(7).setTimeoutSeconds(1800).build()));

        assertThat(request.getProtocol_version()).isEqualTo(TAgentServiceVersion.V1);
        assertThat(request.getTask_type()).isEqualTo(TTaskType.MAKE_SNAPSHOT);
        assertThat(request.getSignature()).isEqualTo(99);
        var snapshot = request.getSnapshot_req();
        assertThat(snapshot.getTablet_id()).isEqualTo(5);
        assertThat(snapshot.getSchema_hash()).isEqualTo(66);
        assertThat(snapshot.getVersion()).isEqualTo(7);
        assertThat(snapshot.getTimeout()).isEqualTo(1800);
        assertThat(snapshot.isList_files()).isTrue();
        assertThat(snapshot.isSetPreferred_snapshot_version()).isTrue();
        assertThat(snapshot.getPreferred_snapshot_version()).isEqualTo(4);
    }

    @Test
    void aRestoreSnapshotWithVersionMinusOneLeavesTheVersionUnsetSoTheNodeTakesItsEndVersion() {
        TAgentTaskRequest request = only(TaskType.MAKE_SNAPSHOT, task(TABLET,
                SnapshotRequest.newBuilder().setVersion(-1).setTimeoutSeconds(1800).build()));

        assertThat(request.getSnapshot_req().isSetVersion()).isFalse();
    }

    @Test
    void aDownloadCarriesTheRepositoryAsAnUploadDoesAndAMoveTheTabletAndItsSnapshotDir() {
        RepositoryRef repository = RepositoryRef.newBuilder().setRepoId(1).setName("s3repo")
                .setStorageType(StorageType.S3).setLocation("s3://bucket/prefix")
                .setProperties(Map.of("s3.endpoint", "http://127.0.0.1:9000", "s3.region", "us-east-1"))
                .setCredentialRef("backup-reader").build();
        TAgentTaskRequest download = only(TaskType.DOWNLOAD, task(null, DownloadRequest.newBuilder()
                .setSrcDestMap(Map.of("s3://bucket/prefix/__50001", "/snap/5/66")).setRepository(repository)
                .build()));

        assertThat(download.getTask_type()).isEqualTo(TTaskType.DOWNLOAD);
        var req = download.getDownload_req();
        assertThat(req.getJob_id()).isEqualTo(42);
        assertThat(req.getSrc_dest_map()).containsExactly(Map.entry("s3://bucket/prefix/__50001", "/snap/5/66"));
        assertThat(req.getLocation()).isEqualTo("s3://bucket/prefix");
        assertThat(req.getStorage_backend()).isEqualTo(TStorageBackendType.S3);
        assertThat(req.getBroker_addr().getHostname()).isEqualTo("127.0.0.1");
        assertThat(req.getBroker_prop()).containsEntry("AWS_ENDPOINT", "http://127.0.0.1:9000")
                .containsEntry(TaskTranslator.CREDENTIAL_REF_PROPERTY, "backup-reader")
                .doesNotContainKey("AWS_SECRET_KEY");

        TAgentTaskRequest move = only(TaskType.MOVE, task(TABLET, MoveRequest.newBuilder().setSrc("/snap/5/66")
                .build()));

        assertThat(move.getTask_type()).isEqualTo(TTaskType.MOVE);
        var dirMove = move.getMove_dir_req();
        assertThat(dirMove.getTablet_id()).isEqualTo(5);
        assertThat(dirMove.getSchema_hash()).isEqualTo(66);
        assertThat(dirMove.getSrc()).isEqualTo("/snap/5/66");
        assertThat(dirMove.getJob_id()).isEqualTo(42);
        assertThat(dirMove.isOverwrite()).isTrue();
    }

    @Test
    void anS3UploadGetsDorisPropertyNamesAndTheCredentialNameButNoSecret() {
        RepositoryRef repository = RepositoryRef.newBuilder().setRepoId(1).setName("s3repo")
                .setStorageType(StorageType.S3).setLocation("s3://bucket/prefix")
                .setProperties(Map.of("s3.endpoint", "http://127.0.0.1:9000", "s3.region", "us-east-1",
                        "s3.path_style", "true", "s3.unrelated", "x"))
                .setCredentialRef("backup-writer").build();
        TAgentTaskRequest request = only(TaskType.UPLOAD, task(null, UploadRequest.newBuilder()
                .setSrcDestMap(Map.of("/snap/5/66", "s3://bucket/prefix/t5")).setRepository(repository).build()));

        var upload = request.getUpload_req();
        assertThat(upload.getJob_id()).isEqualTo(42);
        assertThat(upload.getSrc_dest_map()).containsExactly(Map.entry("/snap/5/66", "s3://bucket/prefix/t5"));
        assertThat(upload.getBroker_addr().getHostname()).isEqualTo("127.0.0.1");
        assertThat(upload.getBroker_addr().getPort()).isZero();
        assertThat(upload.getLocation()).isEqualTo("s3://bucket/prefix");
        assertThat(upload.getStorage_backend()).isEqualTo(TStorageBackendType.S3);
        assertThat(upload.getBroker_prop()).containsOnly(
                Map.entry("AWS_ENDPOINT", "http://127.0.0.1:9000"), Map.entry("AWS_REGION", "us-east-1"),
                Map.entry("use_path_style", "true"), Map.entry("snapbus.credential_ref", "backup-writer"));
    }

    @Test
    void aFilesystemUploadUsesTheLocalBackend() {
        RepositoryRef repository = RepositoryRef.newBuilder().setRepoId(1).setName("fs")
                .setStorageType(StorageType.FILESYSTEM).setLocation("file:///tmp/repo").build();
        TAgentTaskRequest request = only(TaskType.UPLOAD, task(null, UploadRequest.newBuilder()
                .setSrcDestMap(Map.of()).setRepository(repository).build()));

        assertThat(request.getUpload_req().getStorage_backend()).isEqualTo(TStorageBackendType.LOCAL);
        assertThat(request.getUpload_req().getBroker_prop()).isEmpty();
    }

    @Test
    void aReleaseNamesTheSnapshotPathAndTablet() {
        TAgentTaskRequest request = only(TaskType.RELEASE_SNAPSHOT, task(TABLET,
                ReleaseSnapshotRequest.newBuilder().setSnapshotPath("/data/snapshot/x").build()));

        assertThat(request.getRelease_snapshot_req().getSnapshot_path()).isEqualTo("/data/snapshot/x");
        assertThat(request.getRelease_snapshot_req().getTablet_id()).isEqualTo(5);
    }

    @Test
    void aCreateCarriesTheTabletsPlaceSchemaAndReplica() {
        TAgentTaskRequest request = only(TaskType.CREATE, task(TABLET, CreateTabletRequest.newBuilder()
                .setReplicaId(500).setVersion(3).setKeysType(KeysType.UNIQUE_KEYS).setStorageMedium("ssd")
                .setColumns(List.of(Column.newBuilder().setName("id").setType("BIGINT").setIsKey(true)
                        .setNullable(false).build()))
                .build()));

        var create = request.getSnapbus_create_tablet_req();
        assertThat(create.getTablet_id()).isEqualTo(5);
        assertThat(create.getSchema_hash()).isEqualTo(66);
        assertThat(create.getTable_id()).isEqualTo(2);
        assertThat(create.getPartition_id()).isEqualTo(3);
        assertThat(create.getIndex_id()).isEqualTo(4);
        assertThat(create.getReplica_id()).isEqualTo(500);
        assertThat(create.getVersion()).isEqualTo(3);
        assertThat(create.getKeys_type()).isEqualTo(TKeysType.UNIQUE_KEYS);
        assertThat(create.getStorage_medium()).isEqualTo(TStorageMedium.SSD);
        assertThat(create.getColumns()).singleElement().satisfies(c -> {
            assertThat(c.getName()).isEqualTo("id");
            assertThat(c.getType()).isEqualTo("BIGINT");
            assertThat(c.isIs_key()).isTrue();
            assertThat(c.isNullable()).isFalse();
        });
    }

    @Test
    void aDropIsDorisDropTaskWithTabletSchemaHashAndReplica() {
        TAgentTaskRequest request = only(TaskType.DROP, task(TABLET, DropTabletRequest.newBuilder()
                .setReplicaId(500).build()));

        assertThat(request.getTask_type()).isEqualTo(TTaskType.DROP);
        assertThat(request.getTask_type().getValue()).isEqualTo(1);
        assertThat(request.getSignature()).isEqualTo(99);
        var drop = request.getDrop_tablet_req();
        assertThat(drop.getTablet_id()).isEqualTo(5);
        assertThat(drop.getSchema_hash()).isEqualTo(66);
        assertThat(drop.getReplica_id()).isEqualTo(500);
        assertThat(drop.isIs_drop_table_or_partition()).isTrue();
    }

    @Test
    void aConsistencyCheckIsDorisCheckConsistencyTaskWithTabletSchemaHashAndVersion() {
        TAgentTaskRequest request = only(TaskType.CHECK_CONSISTENCY, task(TABLET, CheckConsistencyRequest.newBuilder()
                .setVersion(12).build()));

        assertThat(request.getTask_type()).isEqualTo(TTaskType.CHECK_CONSISTENCY);
        assertThat(request.getTask_type().getValue()).isEqualTo(10);
        assertThat(request.getSignature()).isEqualTo(99);
        var check = request.getCheck_consistency_req();
        assertThat(check.getTablet_id()).isEqualTo(5);
        assertThat(check.getSchema_hash()).isEqualTo(66);
        assertThat(check.getVersion()).isEqualTo(12);
        assertThat(check.getVersion_hash()).isZero();
    }

    @Test
    void aRequestThatDoesNotMatchTheBatchTypeIsRejected() {
        AgentTask task = task(TABLET, ReleaseSnapshotRequest.newBuilder().setSnapshotPath("/x").build());
        assertThatThrownBy(() -> TaskTranslator.translate(batch(TaskType.MAKE_SNAPSHOT, task)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected SnapshotRequest");
    }

    private static TAgentTaskRequest only(TaskType type, AgentTask task) {
        List<TAgentTaskRequest> requests = TaskTranslator.translate(batch(type, task));
        assertThat(requests).hasSize(1);
        return requests.get(0);
    }

    private static AgentTask task(TabletRef tablet, Object request) {
        return AgentTask.newBuilder().setSignature(99).setTablet(tablet).setRequest(request).build();
    }

    private static AgentTaskBatch batch(TaskType type, AgentTask task) {
        return AgentTaskBatch.newBuilder().setBatchId("b").setJobId(42).setBackendId(10001).setTaskType(type)
                .setCreatedAtMs(0).setTasks(List.of(task)).build();
    }
}
