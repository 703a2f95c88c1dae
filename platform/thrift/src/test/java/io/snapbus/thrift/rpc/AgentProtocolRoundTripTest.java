package io.snapbus.thrift.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.snapbus.thrift.BackendService;
import io.snapbus.thrift.FrontendService;
import io.snapbus.thrift.HeartbeatService;
import io.snapbus.thrift.TAgentResult;
import io.snapbus.thrift.TAgentServiceVersion;
import io.snapbus.thrift.TAgentTaskRequest;
import io.snapbus.thrift.TFinishTaskRequest;
import io.snapbus.thrift.THeartbeatResult;
import io.snapbus.thrift.TMasterInfo;
import io.snapbus.thrift.TNetworkAddress;
import io.snapbus.thrift.TSnapshotRequest;
import io.snapbus.thrift.TStatusCode;
import io.snapbus.thrift.TStorageBackendType;
import io.snapbus.thrift.TTaskType;
import io.snapbus.thrift.TUploadReq;
import io.snapbus.thrift.TypesConstants;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The backup path over real sockets: an agent submits MAKE_SNAPSHOT and UPLOAD to a storage node, and the
 * node reports each result back with finishTask, as Doris's FE and BE do.
 */
class AgentProtocolRoundTripTest {

    private static final long TABLET_ID = 10_005L;
    private static final int SCHEMA_HASH = 368_169_781;
    private static final long VISIBLE_VERSION = 7L;
    private static final long SNAPSHOT_SIGNATURE = TABLET_ID; // Doris signs a backup snapshot task with the tablet id
    private static final long UPLOAD_SIGNATURE = 90_001L;
    private static final long JOB_ID = 42L;
    private static final Duration REPORT_TIMEOUT = Duration.ofSeconds(10);

    @Test
    void nodeReportsSnapshotAndUploadResultsToTheAgentThatHeartbeatedIt() throws Exception {
        RecordingAgent agent = new RecordingAgent();
        try (FakeStorageNode node = new FakeStorageNode();
                ThriftServer agentServer = ThriftServer.serving("agent FrontendService",
                        ThriftServerConfig.defaults(), new FrontendService.Processor<>(agent)).start();
                ThriftServer nodeServer = ThriftServer.serving("node BackendService+HeartbeatService",
                        ThriftServerConfig.defaults(),
                        new BackendService.Processor<>(node), new HeartbeatService.Processor<>(node)).start();
                ThriftClientPool<BackendService.Client> backends =
                        ThriftClientPool.backendService(ThriftClientConfig.defaults());
                ThriftClientPool<HeartbeatService.Client> heartbeats =
                        ThriftClientPool.heartbeatService(ThriftClientConfig.defaults())) {
            node.bound(nodeServer.port());
            ThriftEndpoint nodeEndpoint = nodeServer.endpoint();

            // The heartbeat tells the node where to report (TMasterInfo.network_address).
            TMasterInfo master = new TMasterInfo(agentServer.endpoint().toNetworkAddress(), 1, 1L);
            THeartbeatResult heartbeat = heartbeats.call(nodeEndpoint, client -> client.heartbeat(master));
            assertThat(heartbeat.getStatus().getStatus_code()).isEqualTo(TStatusCode.OK);
            assertThat(heartbeat.getBackend_info().getBe_port()).isEqualTo(nodeServer.port());

            String snapshotTabletDir = FakeStorageNode.SNAPSHOT_ROOT + "/" + TABLET_ID + "/" + SCHEMA_HASH;
            String repositoryTabletDir = "file:///backups/__palo_repository_repo/__ss_label1/__ss_content"
                    + "/__db_1/__tbl_2/__part_3/__idx_4/__" + TABLET_ID;
            List<TAgentTaskRequest> batch = List.of(snapshotTask(), uploadTask(snapshotTabletDir, repositoryTabletDir));

            TAgentResult submitted = backends.call(nodeEndpoint, client -> client.submit_tasks(batch));
            assertThat(submitted.getStatus().getStatus_code()).isEqualTo(TStatusCode.OK);

            TFinishTaskRequest snapshotDone = agent.nextFinished(REPORT_TIMEOUT);
            TFinishTaskRequest uploadDone = agent.nextFinished(REPORT_TIMEOUT);

            // The node decoded every field the agent sent.
            assertThat(node.received()).containsExactlyElementsOf(batch);

            assertThat(snapshotDone.getBackend().getHost()).isEqualTo("127.0.0.1");
            assertThat(snapshotDone.getBackend().getBe_port()).isEqualTo(nodeServer.port());
            assertThat(snapshotDone.getBackend().getHttp_port()).isEqualTo(FakeStorageNode.HTTP_PORT);
            assertThat(snapshotDone.getTask_type()).isEqualTo(TTaskType.MAKE_SNAPSHOT);
            assertThat(snapshotDone.getSignature()).isEqualTo(SNAPSHOT_SIGNATURE);
            assertThat(snapshotDone.getTask_status().getStatus_code()).isEqualTo(TStatusCode.OK);
            assertThat(snapshotDone.getTask_status().isSetError_msgs()).isFalse();
            assertThat(snapshotDone.getSnapshot_path()).isEqualTo(FakeStorageNode.SNAPSHOT_ROOT);
            assertThat(snapshotDone.getSnapshot_files())
                    .containsExactly(TABLET_ID + ".hdr", "rowset_0_" + VISIBLE_VERSION + ".avro");
            assertThat(snapshotDone.isSetTablet_files()).isFalse();

            assertThat(uploadDone.getBackend()).isEqualTo(snapshotDone.getBackend());
            assertThat(uploadDone.getTask_type()).isEqualTo(TTaskType.UPLOAD);
            assertThat(uploadDone.getSignature()).isEqualTo(UPLOAD_SIGNATURE);
            assertThat(uploadDone.getTask_status().getStatus_code()).isEqualTo(TStatusCode.OK);
            assertThat(uploadDone.getTablet_files()).containsExactly(Map.entry(TABLET_ID, List.of(
                    FakeStorageNode.withChecksum(TABLET_ID + ".hdr"),
                    FakeStorageNode.withChecksum("rowset_0_1.avro"))));
            assertThat(uploadDone.isSetSnapshot_path()).isFalse();
            assertThat(uploadDone.isSetSnapshot_files()).isFalse();

            assertThat(agent.pendingFinished()).isZero();
        }
    }

    @Test
    void nodeWithoutHeartbeatRefusesTasksAsDorisDoes() throws Exception {
        try (FakeStorageNode node = new FakeStorageNode();
                ThriftServer nodeServer = ThriftServer.serving("node BackendService",
                        ThriftServerConfig.defaults(), new BackendService.Processor<>(node)).start();
                ThriftClientPool<BackendService.Client> backends =
                        ThriftClientPool.backendService(ThriftClientConfig.defaults())) {
            TAgentResult result = backends.call(nodeServer.endpoint(), client -> client.submit_tasks(List.of(snapshotTask())));

            assertThat(result.getStatus().getStatus_code()).isEqualTo(TStatusCode.CANCELLED);
            assertThat(result.getStatus().getError_msgs()).containsExactly("Have not get FE Master heartbeat yet");
            assertThat(node.received()).isEmpty();
        }
    }

    /** What Doris's SnapshotTask.toThrift sends for a backup. */
    private static TAgentTaskRequest snapshotTask() {
        TSnapshotRequest snapshot = new TSnapshotRequest(TABLET_ID, SCHEMA_HASH);
        snapshot.setVersion(VISIBLE_VERSION);
        snapshot.setList_files(true);
        snapshot.setPreferred_snapshot_version(TypesConstants.TPREFER_SNAPSHOT_REQ_VERSION);
        snapshot.setTimeout(86_400L);
        snapshot.setIs_copy_tablet_task(false);
        TAgentTaskRequest task = new TAgentTaskRequest(TAgentServiceVersion.V1, TTaskType.MAKE_SNAPSHOT, SNAPSHOT_SIGNATURE);
        task.setSnapshot_req(snapshot);
        return task;
    }

    /** What Doris's UploadTask sends for a filesystem repository (no broker: a placeholder address). */
    private static TAgentTaskRequest uploadTask(String source, String destination) {
        TUploadReq upload = new TUploadReq(JOB_ID, Map.of(source, destination), new TNetworkAddress("127.0.0.1", 0));
        upload.setStorage_backend(TStorageBackendType.LOCAL);
        upload.setLocation("file:///backups");
        TAgentTaskRequest task = new TAgentTaskRequest(TAgentServiceVersion.V1, TTaskType.UPLOAD, UPLOAD_SIGNATURE);
        task.setUpload_req(upload);
        return task;
    }
}
