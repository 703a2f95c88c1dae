package io.snapbus.thrift.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snapbus.thrift.BackendService;
import io.snapbus.thrift.FrontendService;
import io.snapbus.thrift.HeartbeatService;
import io.snapbus.thrift.TBackend;
import io.snapbus.thrift.TFinishTaskRequest;
import io.snapbus.thrift.THeartbeatResult;
import io.snapbus.thrift.TMasterInfo;
import io.snapbus.thrift.TNetworkAddress;
import io.snapbus.thrift.TStatus;
import io.snapbus.thrift.TStatusCode;
import io.snapbus.thrift.TTaskType;
import java.util.List;
import org.apache.thrift.TApplicationException;
import org.apache.thrift.protocol.TBinaryProtocol;
import org.apache.thrift.transport.TSocket;
import org.junit.jupiter.api.Test;

/** Several Doris services on one port, with the wire of each unchanged. */
class MergedProcessorTest {

    @Test
    void onePortAnswersSubmitTasksAndHeartbeatOnTheSameConnection() throws Exception {
        try (FakeStorageNode node = new FakeStorageNode();
                ThriftServer server = ThriftServer.serving("node", ThriftServerConfig.defaults(),
                        new BackendService.Processor<>(node), new HeartbeatService.Processor<>(node)).start()) {
            node.bound(server.port());
            TSocket socket = new TSocket("127.0.0.1", server.port(), 5_000);
            socket.open();
            try {
                // Plain Doris-style clients, no service prefix in the method name, sharing one socket.
                TBinaryProtocol protocol = new TBinaryProtocol(socket);
                BackendService.Client backend = new BackendService.Client(protocol);
                HeartbeatService.Client heartbeat = new HeartbeatService.Client(protocol);

                assertThat(backend.submit_tasks(List.of()).getStatus().getStatus_code())
                        .as("submit_tasks before any heartbeat").isEqualTo(TStatusCode.CANCELLED);
                THeartbeatResult beat = heartbeat.heartbeat(
                        new TMasterInfo(new TNetworkAddress("127.0.0.1", 9020), 1, 1L));
                assertThat(beat.getStatus().getStatus_code()).isEqualTo(TStatusCode.OK);
                assertThat(beat.getBackend_info().getBe_port()).isEqualTo(server.port());
                assertThat(beat.getBackend_info().getHttp_port()).isEqualTo(FakeStorageNode.HTTP_PORT);
                assertThat(backend.submit_tasks(List.of()).getStatus().getStatus_code())
                        .as("submit_tasks after the heartbeat").isEqualTo(TStatusCode.OK);
            } finally {
                socket.close();
            }
            assertThat(server.connectionsAccepted()).isEqualTo(1);
        }
    }

    @Test
    void methodOfNoMergedServiceGetsUnknownMethodAndTheConnectionStaysUsable() throws Exception {
        try (FakeStorageNode node = new FakeStorageNode();
                ThriftServer server = ThriftServer.serving("node", ThriftServerConfig.defaults(),
                        new BackendService.Processor<>(node), new HeartbeatService.Processor<>(node)).start()) {
            TSocket socket = new TSocket("127.0.0.1", server.port(), 5_000);
            socket.open();
            try {
                TBinaryProtocol protocol = new TBinaryProtocol(socket);
                FrontendService.Client wrongService = new FrontendService.Client(protocol);
                TFinishTaskRequest finish = new TFinishTaskRequest(new TBackend("127.0.0.1", 9060, 8040),
                        TTaskType.MAKE_SNAPSHOT, 1L, new TStatus(TStatusCode.OK));

                assertThatThrownBy(() -> wrongService.finishTask(finish))
                        .isInstanceOfSatisfying(TApplicationException.class,
                                e -> assertThat(e.getType()).isEqualTo(TApplicationException.UNKNOWN_METHOD))
                        .hasMessageContaining("finishTask");
                HeartbeatService.Client heartbeat = new HeartbeatService.Client(protocol);
                assertThat(heartbeat.heartbeat(new TMasterInfo(new TNetworkAddress("127.0.0.1", 9020), 1, 1L))
                        .getStatus().getStatus_code()).isEqualTo(TStatusCode.OK);
            } finally {
                socket.close();
            }
        }
    }

    @Test
    void servesEveryMethodOfEveryMergedService() {
        BackendServiceStub backend = new BackendServiceStub();
        MergedProcessor merged = MergedProcessor.of(
                new BackendService.Processor<>(backend), new HeartbeatService.Processor<>(master -> null));

        assertThat(merged.methods()).containsExactlyInAnyOrder(
                "submit_tasks", "make_snapshot", "release_snapshot",
                "snapbus_load_write", "snapbus_load_publish", "snapbus_load_abort", "snapbus_read_rows",
                "heartbeat");
    }

    @Test
    void refusesServicesThatShareAMethodName() {
        BackendServiceStub backend = new BackendServiceStub();

        assertThatThrownBy(() -> MergedProcessor.of(
                        new BackendService.Processor<>(backend), new BackendService.Processor<>(backend)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageEndingWith("[make_snapshot, release_snapshot, snapbus_load_abort, snapbus_load_publish, "
                        + "snapbus_load_write, snapbus_read_rows, submit_tasks]");
    }
}
