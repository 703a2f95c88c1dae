package io.snapbus.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.snapbus.local.JavaService;
import io.snapbus.local.LocalStackConfig;
import io.snapbus.node.tablet.MoveStep;
import io.snapbus.node.tablet.TabletStore;
import io.snapbus.node.tablet.TabletStoreConfig;
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
import org.apache.avro.generic.GenericRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The node as its own process, SIGKILLed while a MOVE stands at a debug point: after a restart the tablet is wholly
 * its old data (killed before the intent) or wholly the backup (after it), and the repeated MOVE answers OK.
 */
class MoveCrashIntegrationTest {
    private static final long SOURCE = 80001L;
    private static final long TARGET = 80002L;
    private static final int HASH = NodeFixture.SCHEMA_HASH;

    @TempDir
    Path dir;
    private JavaService node;
    private final ThriftClientPool<BackendService.Client> backends = ThriftClientPool.backendService(
            ThriftClientConfig.defaults());
    private final ThriftClientPool<HeartbeatService.Client> heartbeats = ThriftClientPool.heartbeatService(
            ThriftClientConfig.defaults());
    private long signature = 1;

    @AfterEach
    void stop() {
        if (node != null) {
            node.stop();
        }
        backends.close();
        heartbeats.close();
    }

    @ParameterizedTest
    @EnumSource(value = MoveStep.class, names = {"STAGED", "LIVE_RETIRED"})
    void aNodeKilledDuringAMoveHasTheOldOrTheNewTabletAfterRestartAndTheRepeatedMoveCompletes(MoveStep killAt)
            throws Exception {
        try (RecordingAgent agent = new RecordingAgent()) {
            node = startNode(Optional.of(killAt), agent, 1);
            Path restoreDir = backUpAndDownload(agent);
            TAgentTaskRequest move = Tasks.move(signature++, 9001, TARGET, HASH, restoreDir.toString(), true);
            submit(move);
            Path marker = dir.resolve("node/restore/paused-at-" + killAt);
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(marker));

            ProcessHandle.of(node.pid()).orElseThrow().destroyForcibly();
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> !node.isAlive());

            boolean committed = killAt != MoveStep.STAGED;
            try (TabletStore restarted = TabletStore.open(dir.resolve("node"), TabletStoreConfig.defaults()
                    .withCompactionEnabled(false))) {
                assertThat(restarted.meta(TARGET).version()).isEqualTo(committed ? 4 : 2);
                assertThat(rows(restarted, TARGET)).hasSize(committed ? 600 : 50)
                        .isEqualTo(committed ? rows(restarted, SOURCE) : rows(restarted, TARGET));
                if (!committed) {
                    assertThat(rows(restarted, TARGET)).allSatisfy(r -> assertThat(r).contains("\"id\": 9"));
                }
            }

            node = startNode(Optional.empty(), agent, 2);
            TFinishTaskRequest again = run(agent, Tasks.move(signature++, 9001, TARGET, HASH, restoreDir.toString(),
                    true));
            assertThat(again.getFinish_tablet_infos().get(0).getVersion()).isEqualTo(4);
            assertThat(again.getFinish_tablet_infos().get(0).getRow_count()).isEqualTo(600);
        }
        node.stop();
        try (TabletStore after = TabletStore.open(dir.resolve("node"), TabletStoreConfig.defaults()
                .withCompactionEnabled(false))) {
            assertThat(rows(after, TARGET)).isEqualTo(rows(after, SOURCE));
        }
    }

    /** SOURCE backed up at version 4 to a filesystem repository; TARGET with other rows at version 2, downloaded. */
    private Path backUpAndDownload(RecordingAgent agent) throws Exception {
        run(agent, Tasks.create(signature++, SOURCE, HASH));
        load(SOURCE, 2, NodeFixture.rows(0, 200));
        load(SOURCE, 3, NodeFixture.rows(200, 200));
        load(SOURCE, 4, NodeFixture.rows(400, 200));
        run(agent, Tasks.create(signature++, TARGET, HASH));
        load(TARGET, 2, NodeFixture.rows(90_000, 50));
        TFinishTaskRequest snapshot = run(agent, Tasks.snapshot(signature++, SOURCE, HASH, 4));
        Path tabletDir = Path.of(snapshot.getSnapshot_path(), Long.toString(SOURCE), Integer.toString(HASH));
        String location = dir.resolve("repo").toUri().toString();
        String remote = location + "/" + RepositoryLayout.tabletDir("r", "snap", 1, 2, 3, 4, SOURCE);
        run(agent, Tasks.upload(signature++, 9001, location, Map.of(tabletDir.toString(), remote), Map.of()));
        TFinishTaskRequest restore = run(agent, Tasks.restoreSnapshot(signature++, TARGET, HASH));
        Path restoreDir = Path.of(restore.getSnapshot_path(), Long.toString(TARGET), Integer.toString(HASH));
        run(agent, Tasks.download(signature++, 9001, location, Map.of(remote, restoreDir.toString()), Map.of()));
        return restoreDir;
    }

    private JavaService startNode(Optional<MoveStep> pauseAt, RecordingAgent agent, long epoch) throws Exception {
        JavaService started = JavaService.start(LocalStackConfig.defaults(dir.resolve("stack")), new JavaService.Spec(
                "node-1", StorageNodeMain.class.getName(), List.of(), Map.of(
                        "snapbus.node.storage_root_path", dir.resolve("node").toString(),
                        "snapbus.node.be_port", "0",
                        "snapbus.node.compaction_interval_seconds", "0",
                        "snapbus.node.debug_pause_move_at", pauseAt.map(Enum::name).orElse("")),
                "snapbus.node.port_file", "256m", Optional.empty()));
        TMasterInfo info = new TMasterInfo(new TNetworkAddress("127.0.0.1", agent.endpoint().port()), 1, epoch);
        heartbeats.call(new ThriftEndpoint("127.0.0.1", started.port()), c -> c.heartbeat(info));
        return started;
    }

    private ThriftEndpoint endpoint() {
        return new ThriftEndpoint("127.0.0.1", node.port());
    }

    private void load(long tablet, long version, String ndjson) throws Exception {
        long txn = tablet * 100 + version;
        var write = backends.call(endpoint(), c -> c.snapbus_load_write(new TSnapbusLoadWriteRequest(txn, tablet,
                HASH, TSnapbusLoadFormat.NDJSON, ByteBuffer.wrap(ndjson.getBytes(StandardCharsets.UTF_8)))));
        assertThat(write.getStatus().getStatus_code()).isEqualTo(TStatusCode.OK);
        var publish = backends.call(endpoint(), c -> c.snapbus_load_publish(
                new TSnapbusLoadPublishRequest(txn, tablet, version)));
        assertThat(publish.getStatus().getStatus_code()).isEqualTo(TStatusCode.OK);
    }

    private void submit(TAgentTaskRequest task) throws Exception {
        var answer = backends.call(endpoint(), c -> c.submit_tasks(List.of(task)));
        assertThat(answer.getStatus().getStatus_code()).isEqualTo(TStatusCode.OK);
    }

    private TFinishTaskRequest run(RecordingAgent agent, TAgentTaskRequest task) throws Exception {
        submit(task);
        TFinishTaskRequest finished = agent.awaitFinish(task.getTask_type(), task.getSignature());
        assertThat(finished.getTask_status().getStatus_code()).as("%s", finished.getTask_status())
                .isEqualTo(TStatusCode.OK);
        return finished;
    }

    private static List<String> rows(TabletStore store, long tablet) {
        return store.readRows(tablet).stream().map(GenericRecord::toString).toList();
    }
}
