package io.snapbus.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.snapbus.thrift.BackendService;
import io.snapbus.thrift.HeartbeatService;
import io.snapbus.thrift.TAgentResult;
import io.snapbus.thrift.TAgentTaskRequest;
import io.snapbus.thrift.TFinishTaskRequest;
import io.snapbus.thrift.TMasterInfo;
import io.snapbus.thrift.TNetworkAddress;
import io.snapbus.thrift.TSnapbusLoadFormat;
import io.snapbus.thrift.TSnapbusLoadPublishRequest;
import io.snapbus.thrift.TSnapbusLoadResult;
import io.snapbus.thrift.TSnapbusLoadWriteRequest;
import io.snapbus.thrift.TStatusCode;
import io.snapbus.thrift.rpc.ThriftClientConfig;
import io.snapbus.thrift.rpc.ThriftClientPool;
import io.snapbus.thrift.rpc.ThriftEndpoint;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** A storage node on a temp dir, owned (by heartbeat) by a recording test agent, plus a client to drive it. */
final class NodeFixture implements AutoCloseable {
    static final int SCHEMA_HASH = 368169781;

    final RecordingAgent agent;
    final ThriftClientPool<BackendService.Client> backends = ThriftClientPool.backendService(
            ThriftClientConfig.defaults().withSocketTimeout(Duration.ofSeconds(30)));
    final ThriftClientPool<HeartbeatService.Client> heartbeats = ThriftClientPool.heartbeatService(
            ThriftClientConfig.defaults());
    private final AtomicLong signatures = new AtomicLong(100);
    private final AtomicLong txns = new AtomicLong(1);
    StorageNode node;
    private final Path root;

    NodeFixture(Path root) throws Exception {
        this(root, StorageNodeConfig.defaults(root).toBuilder().bePort(0).build());
    }

    NodeFixture(Path root, StorageNodeConfig config) throws Exception {
        this.root = root;
        this.agent = new RecordingAgent();
        this.node = StorageNode.start(config);
        heartbeat(1);
    }

    ThriftEndpoint endpoint() {
        return node.endpoint();
    }

    void heartbeat(long epoch) throws Exception {
        TMasterInfo info = new TMasterInfo(new TNetworkAddress(agent.endpoint().host(), agent.endpoint().port()), 1,
                epoch);
        info.setBackend_id(10002L);
        var result = heartbeats.call(node.endpoint(), c -> c.heartbeat(info));
        assertThat(result.getStatus().getStatus_code()).isEqualTo(TStatusCode.OK);
    }

    long nextSignature() {
        return signatures.incrementAndGet();
    }

    TAgentResult submit(TAgentTaskRequest... tasks) throws Exception {
        return backends.call(node.endpoint(), c -> c.submit_tasks(List.of(tasks)));
    }

    /** Submits one task and waits for its finish report. */
    TFinishTaskRequest run(TAgentTaskRequest task) throws Exception {
        TAgentResult submitted = submit(task);
        assertThat(submitted.getStatus().getStatus_code()).as("%s", submitted.getStatus()).isEqualTo(TStatusCode.OK);
        return agent.awaitFinish(task.getTask_type(), task.getSignature());
    }

    void createTablet(long tabletId) throws Exception {
        TFinishTaskRequest finished = run(Tasks.create(nextSignature(), tabletId, SCHEMA_HASH));
        assertThat(finished.getTask_status().getStatus_code()).as("%s", finished.getTask_status())
                .isEqualTo(TStatusCode.OK);
    }

    /** Writes NDJSON rows as a transaction and publishes them as the given version. */
    TSnapbusLoadResult load(long tabletId, long version, String ndjson) throws Exception {
        long txn = txns.incrementAndGet();
        TSnapbusLoadWriteRequest write = new TSnapbusLoadWriteRequest(txn, tabletId, SCHEMA_HASH,
                TSnapbusLoadFormat.NDJSON, ByteBuffer.wrap(ndjson.getBytes(StandardCharsets.UTF_8)));
        TSnapbusLoadResult written = backends.call(node.endpoint(), c -> c.snapbus_load_write(write));
        assertThat(written.getStatus().getStatus_code()).as("%s", written.getStatus()).isEqualTo(TStatusCode.OK);
        return backends.call(node.endpoint(), c -> c.snapbus_load_publish(
                new TSnapbusLoadPublishRequest(txn, tabletId, version)));
    }

    /** {@code rows} rows of NDJSON with ids starting at {@code firstId}. */
    static String rows(int firstId, int rows) {
        StringBuilder out = new StringBuilder();
        for (int i = firstId; i < firstId + rows; i++) {
            out.append("{\"id\":").append(i).append(",\"city\":\"city-").append(i % 17)
                    .append("\",\"amount\":\"").append(i % 1000).append(".25\"}\n");
        }
        return out.toString();
    }

    Path root() {
        return root;
    }

    @Override
    public void close() {
        if (node != null) {
            node.close();
        }
        backends.close();
        heartbeats.close();
        agent.close();
    }
}
