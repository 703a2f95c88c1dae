package io.snapbus.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.snapbus.local.JavaService;
import io.snapbus.local.LocalStackConfig;
import io.snapbus.repository.Md5;
import io.snapbus.repository.RepositoryLayout;
import io.snapbus.thrift.BackendService;
import io.snapbus.thrift.HeartbeatService;
import io.snapbus.thrift.TAgentTaskRequest;
import io.snapbus.thrift.TFinishTaskRequest;
import io.snapbus.thrift.TMasterInfo;
import io.snapbus.thrift.TNetworkAddress;
import io.snapbus.thrift.TSnapbusLoadFormat;
import io.snapbus.thrift.TSnapbusLoadPublishRequest;
import io.snapbus.thrift.TSnapbusLoadWriteRequest;
import io.snapbus.thrift.TStatusCode;
import io.snapbus.thrift.TTaskType;
import io.snapbus.thrift.rpc.ThriftClientConfig;
import io.snapbus.thrift.rpc.ThriftClientPool;
import io.snapbus.thrift.rpc.ThriftEndpoint;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The node as its own process, killed with SIGKILL in the middle of an upload and started again. */
class NodeRestartIntegrationTest {
    private static final long TABLET = 70001L;
    private static final int LOADS = 12;

    @TempDir
    Path dir;
    private JavaService node;
    private final ThriftClientPool<BackendService.Client> backends = ThriftClientPool.backendService(
            ThriftClientConfig.defaults());
    private final ThriftClientPool<HeartbeatService.Client> heartbeats = ThriftClientPool.heartbeatService(
            ThriftClientConfig.defaults());

    @AfterEach
    void stop() {
        if (node != null) {
            node.stop();
        }
        backends.close();
        heartbeats.close();
    }

    @Test
    void aNodeKilledMidUploadKeepsItsTabletsAndSnapshotsAndTheResentUploadCompletes() throws Exception {
        try (RecordingAgent agent = new RecordingAgent()) {
            node = startNode();
            heartbeat(agent, 1);
            createAndLoad(agent);
            TFinishTaskRequest snapshot = run(agent, Tasks.snapshot(10, TABLET, NodeFixture.SCHEMA_HASH, LOADS + 1));
            Path snapshotRoot = Path.of(snapshot.getSnapshot_path());
            Path tabletDir = snapshotRoot.resolve(Long.toString(TABLET))
                    .resolve(Integer.toString(NodeFixture.SCHEMA_HASH));
            String location = dir.resolve("repo").toUri().toString();
            String tabletPath = RepositoryLayout.tabletDir("r", "snap", 1001, 2001, 3001, 4001, TABLET);
            Path remote = dir.resolve("repo").resolve(tabletPath);
            TAgentTaskRequest upload = Tasks.upload(11, 7001, location,
                    Map.of(tabletDir.toString(), location + "/" + tabletPath), Map.of());
            submit(upload);
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> countStored(remote) >= 2);

            ProcessHandle.of(node.pid()).orElseThrow().destroyForcibly();
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> !node.isAlive());
            long storedBeforeRestart = countStored(remote);
            assertThat(storedBeforeRestart).as("the kill came mid-upload")
                    .isLessThan(snapshot.getSnapshot_files().size());
            assertThat(agent.finishCount(TTaskType.UPLOAD, 11)).isZero();

            node = startNode();
            heartbeat(agent, 2);
            assertThat(tabletDir).as("the pending snapshot survived").isDirectory();
            assertThat(SnapshotAndUploadIntegrationTest.listNames(tabletDir))
                    .containsExactlyInAnyOrderElementsOf(snapshot.getSnapshot_files());
            TFinishTaskRequest again = run(agent, Tasks.snapshot(12, TABLET, NodeFixture.SCHEMA_HASH, LOADS + 1));
            assertThat(again.getSnapshot_files()).hasSameSizeAs(snapshot.getSnapshot_files());

            TFinishTaskRequest finished = run(agent, upload.deepCopy());

            assertThat(finished.getTablet_files().get(TABLET)).hasSize(snapshot.getSnapshot_files().size());
            for (String stored : finished.getTablet_files().get(TABLET)) {
                var name = RepositoryLayout.parseChecksummed(stored).orElseThrow();
                assertThat(snapshot.getSnapshot_files()).contains(name.name());
                assertThat(Md5.of(remote.resolve(stored))).isEqualTo(name.md5());
                assertThat(Md5.of(tabletDir.resolve(name.name()))).isEqualTo(name.md5());
            }
            long totalBytes = 0;
            for (String file : snapshot.getSnapshot_files()) {
                totalBytes += Files.size(tabletDir.resolve(file));
            }
            assertThat(finished.getCopy_size()).as("files finished before the kill are not copied again")
                    .isLessThan(totalBytes);
        }
    }

    private JavaService startNode() {
        // Uploads throttled to ~150 KB/s and one file at a time, so the kill lands in the middle of one.
        return JavaService.start(LocalStackConfig.defaults(dir.resolve("stack")), new JavaService.Spec("node-1",
                StorageNodeMain.class.getName(), List.of(), Map.of(
                        "snapbus.node.storage_root_path", dir.resolve("node").toString(),
                        "snapbus.node.be_port", "0",
                        "snapbus.node.upload_file_parallelism", "1",
                        "snapbus.node.upload_progress_every_files", "1",
                        "snapbus.node.upload_max_bytes_per_second", "150000",
                        "snapbus.node.compaction_interval_seconds", "0"),
                "snapbus.node.port_file", "256m", Optional.empty()));
    }

    private ThriftEndpoint endpoint() {
        return new ThriftEndpoint("127.0.0.1", node.port());
    }

    private void heartbeat(RecordingAgent agent, long epoch) throws Exception {
        TMasterInfo info = new TMasterInfo(new TNetworkAddress("127.0.0.1", agent.endpoint().port()), 1, epoch);
        heartbeats.call(endpoint(), c -> c.heartbeat(info));
    }

    private void createAndLoad(RecordingAgent agent) throws Exception {
        run(agent, Tasks.create(1, TABLET, NodeFixture.SCHEMA_HASH));
        for (int v = 2; v <= LOADS + 1; v++) {
            long txn = 100 + v;
            byte[] rows = NodeFixture.rows(v * 4000, 4000).getBytes(StandardCharsets.UTF_8);
            var write = backends.call(endpoint(), c -> c.snapbus_load_write(new TSnapbusLoadWriteRequest(txn, TABLET,
                    NodeFixture.SCHEMA_HASH, TSnapbusLoadFormat.NDJSON, ByteBuffer.wrap(rows))));
            assertThat(write.getStatus().getStatus_code()).isEqualTo(TStatusCode.OK);
            int version = v;
            var publish = backends.call(endpoint(), c -> c.snapbus_load_publish(
                    new TSnapbusLoadPublishRequest(txn, TABLET, version)));
            assertThat(publish.getStatus().getStatus_code()).isEqualTo(TStatusCode.OK);
        }
    }

    private void submit(TAgentTaskRequest task) throws Exception {
        var answer = backends.call(endpoint(), c -> c.submit_tasks(List.of(task)));
        assertThat(answer.getStatus().getStatus_code()).isEqualTo(TStatusCode.OK);
    }

    private TFinishTaskRequest run(RecordingAgent agent, TAgentTaskRequest task) throws Exception {
        long before = agent.finishCount(task.getTask_type(), task.getSignature());
        submit(task);
        Awaitility.await().atMost(Duration.ofSeconds(90))
                .until(() -> agent.finishCount(task.getTask_type(), task.getSignature()) > before);
        TFinishTaskRequest finished = agent.finished.stream()
                .filter(f -> f.getTask_type() == task.getTask_type() && f.getSignature() == task.getSignature())
                .reduce((a, b) -> b).orElseThrow();
        assertThat(finished.getTask_status().getStatus_code()).as("%s", finished.getTask_status())
                .isEqualTo(TStatusCode.OK);
        return finished;
    }

    private static long countStored(Path remote) throws Exception {
        if (!Files.isDirectory(remote)) {
            return 0;
        }
        return SnapshotAndUploadIntegrationTest.listNames(remote).stream()
                .filter(n -> RepositoryLayout.parseChecksummed(n).isPresent()).count();
    }
}
