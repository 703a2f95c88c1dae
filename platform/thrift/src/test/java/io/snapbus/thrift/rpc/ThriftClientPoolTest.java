package io.snapbus.thrift.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.snapbus.thrift.BackendService;
import io.snapbus.thrift.TAgentResult;
import io.snapbus.thrift.TSnapshotRequest;
import io.snapbus.thrift.TStatusCode;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.thrift.transport.TTransportException;
import org.junit.jupiter.api.Test;

/** The client pool against a real server on 127.0.0.1: reuse, bounds, expiry and failures. */
class ThriftClientPoolTest {

    private static final TSnapshotRequest SNAPSHOT = new TSnapshotRequest(10_005L, 368_169_781);

    @Test
    void sequentialCallsReuseOneConnection() throws Exception {
        try (ThriftServer server = serve(new BackendServiceStub());
                ThriftClientPool<BackendService.Client> pool = ThriftClientPool.backendService(ThriftClientConfig.defaults())) {
            for (int i = 0; i < 5; i++) {
                String path = "/snapshot/" + i;
                assertThat(pool.call(server.endpoint(), client -> client.release_snapshot(path))
                        .getStatus().getStatus_code()).isEqualTo(TStatusCode.OK);
            }

            assertThat(pool.connectionsOpened()).isEqualTo(1);
            assertThat(server.connectionsAccepted()).isEqualTo(1);
            assertThat(pool.idleConnections(server.endpoint())).isEqualTo(1);
        }
    }

    @Test
    void callOutlivingTheSocketTimeoutFailsAsTimedOutAndItsConnectionIsNeverReused() throws Exception {
        CountDownLatch lateAnswerSent = new CountDownLatch(1);
        BackendServiceStub slowSnapshots = new BackendServiceStub() {
            @Override
            public TAgentResult make_snapshot(TSnapshotRequest request) {
                sleepUninterruptibly(Duration.ofMillis(1_500));
                lateAnswerSent.countDown();
                return ok();
            }
        };
        ThriftClientConfig config = ThriftClientConfig.defaults().withSocketTimeout(Duration.ofMillis(250));
        try (ThriftServer server = serve(slowSnapshots);
                ThriftClientPool<BackendService.Client> pool = ThriftClientPool.backendService(config)) {
            ThriftEndpoint endpoint = server.endpoint();

            assertThatThrownBy(() -> pool.call(endpoint, client -> client.make_snapshot(SNAPSHOT)))
                    .isInstanceOfSatisfying(ThriftCallException.class, e -> {
                        assertThat(e.failure()).isEqualTo(ThriftCallException.Failure.TIMED_OUT);
                        assertThat(e.endpoint()).isEqualTo(endpoint);
                        assertThat(e.service()).isEqualTo("BackendService");
                        assertThat(e.nothingSent()).isFalse();
                        assertThat(e).hasMessage("BackendService call to " + endpoint
                                + " failed (TIMED_OUT): no answer within the socket timeout of 250 ms");
                    });
            assertThat(lateAnswerSent.getCount()).as("the call failed before the handler answered").isEqualTo(1);
            assertThat(pool.idleConnections(endpoint)).isZero();

            // The late answer now sits on the timed-out socket; reusing it would pair it with the next call.
            assertThat(lateAnswerSent.await(5, TimeUnit.SECONDS)).isTrue();
            TAgentResult next = pool.call(endpoint, client -> client.release_snapshot("/snapshot/1"));

            assertThat(next.getStatus().getStatus_code()).isEqualTo(TStatusCode.OK);
            assertThat(pool.connectionsOpened()).isEqualTo(2);
            assertThat(server.connectionsAccepted()).isEqualTo(2);
        }
    }

    @Test
    void borrowedClientThatTimedOutIsClosedInsteadOfReturned() throws Exception {
        BackendServiceStub slowSnapshots = new BackendServiceStub() {
            @Override
            public TAgentResult make_snapshot(TSnapshotRequest request) {
                sleepUninterruptibly(Duration.ofMillis(500));
                return ok();
            }
        };
        ThriftClientConfig config = ThriftClientConfig.defaults().withSocketTimeout(Duration.ofMillis(100));
        try (ThriftServer server = serve(slowSnapshots);
                ThriftClientPool<BackendService.Client> pool = ThriftClientPool.backendService(config)) {
            try (PooledClient<BackendService.Client> lease = pool.borrow(server.endpoint())) {
                assertThatThrownBy(() -> lease.client().make_snapshot(SNAPSHOT))
                        .isInstanceOf(TTransportException.class);
            }

            assertThat(pool.idleConnections(server.endpoint())).isZero();
        }
    }

    @Test
    void idleConnectionsPerEndpointAreBounded() throws Exception {
        ThriftClientConfig config = ThriftClientConfig.defaults().withMaxIdlePerEndpoint(1);
        try (ThriftServer server = serve(new BackendServiceStub());
                ThriftClientPool<BackendService.Client> pool = ThriftClientPool.backendService(config)) {
            PooledClient<BackendService.Client> first = pool.borrow(server.endpoint());
            PooledClient<BackendService.Client> second = pool.borrow(server.endpoint());
            first.client().release_snapshot("/a");
            second.client().release_snapshot("/b");
            first.close();
            second.close();

            assertThat(pool.connectionsOpened()).isEqualTo(2);
            assertThat(pool.idleConnections(server.endpoint())).isEqualTo(1);
            await().atMost(Duration.ofSeconds(5)).until(() -> server.openConnections() == 1);
        }
    }

    @Test
    void connectionIdleLongerThanTheIdleTimeoutIsReplaced() throws Exception {
        ThriftClientConfig config = ThriftClientConfig.defaults().withIdleTimeout(Duration.ofMillis(50));
        try (ThriftServer server = serve(new BackendServiceStub());
                ThriftClientPool<BackendService.Client> pool = ThriftClientPool.backendService(config)) {
            pool.call(server.endpoint(), client -> client.release_snapshot("/a"));
            Thread.sleep(150);
            pool.call(server.endpoint(), client -> client.release_snapshot("/b"));

            assertThat(pool.connectionsOpened()).isEqualTo(2);
            await().atMost(Duration.ofSeconds(5)).until(() -> server.openConnections() == 1);
        }
    }

    @Test
    void unreachableEndpointFailsAsConnectFailedWithNothingSent() throws Exception {
        int unusedPort;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            unusedPort = probe.getLocalPort();
        }
        ThriftEndpoint nobody = new ThriftEndpoint("127.0.0.1", unusedPort);
        try (ThriftClientPool<BackendService.Client> pool = ThriftClientPool.backendService(ThriftClientConfig.defaults())) {
            assertThatThrownBy(() -> pool.call(nobody, client -> client.release_snapshot("/a")))
                    .isInstanceOfSatisfying(ThriftCallException.class, e -> {
                        assertThat(e.failure()).isEqualTo(ThriftCallException.Failure.CONNECT_FAILED);
                        assertThat(e.nothingSent()).isTrue();
                        assertThat(e).hasMessageContaining("127.0.0.1:" + unusedPort);
                    });
            assertThat(pool.connectionsOpened()).isZero();
        }
    }

    @Test
    void handlerFailureArrivesAsRemoteError() throws Exception {
        BackendServiceStub failing = new BackendServiceStub() {
            @Override
            public TAgentResult release_snapshot(String snapshotPath) {
                throw new IllegalStateException("disk on fire");
            }
        };
        try (ThriftServer server = serve(failing);
                ThriftClientPool<BackendService.Client> pool = ThriftClientPool.backendService(ThriftClientConfig.defaults())) {
            assertThatThrownBy(() -> pool.call(server.endpoint(), client -> client.release_snapshot("/a")))
                    .isInstanceOfSatisfying(ThriftCallException.class,
                            e -> assertThat(e.failure()).isEqualTo(ThriftCallException.Failure.REMOTE_ERROR))
                    .hasMessageContaining("internal error in the peer's handler");
        }
    }

    @Test
    void aRepeatableCallOnConnectionsARestartedPeerClosedIsMadeAgainOnANewConnection() throws Exception {
        int port;
        try (ThriftClientPool<BackendService.Client> pool = ThriftClientPool.backendService(
                ThriftClientConfig.defaults())) {
            ThriftEndpoint endpoint;
            try (ThriftServer first = serve(new BackendServiceStub(), 0)) {
                endpoint = first.endpoint();
                port = first.port();
                pool.call(endpoint, client -> client.release_snapshot("/a"));
                assertThat(pool.idleConnections(endpoint)).isEqualTo(1);
            }
            try (ThriftServer restarted = serve(new BackendServiceStub(), port)) {
                assertThatThrownBy(() -> pool.call(endpoint, client -> client.release_snapshot("/b")))
                        .isInstanceOfSatisfying(ThriftCallException.class, e -> assertThat(e.failure())
                                .isEqualTo(ThriftCallException.Failure.CONNECTION_LOST));
                pool.call(endpoint, client -> client.release_snapshot("/c")); // an idle connection to it again
            }
            try (ThriftServer again = serve(new BackendServiceStub(), port)) {
                long before = pool.connectionsOpened();
                assertThat(pool.callRepeatable(endpoint, client -> client.release_snapshot("/d"))
                        .getStatus().getStatus_code()).isEqualTo(TStatusCode.OK);
                assertThat(pool.connectionsOpened()).isEqualTo(before + 1);
                assertThat(again.connectionsAccepted()).isEqualTo(1);
            }
        }
    }

    @Test
    void closingThePoolClosesItsIdleConnectionsAndRefusesNewBorrows() throws Exception {
        try (ThriftServer server = serve(new BackendServiceStub())) {
            ThriftClientPool<BackendService.Client> pool = ThriftClientPool.backendService(ThriftClientConfig.defaults());
            pool.call(server.endpoint(), client -> client.release_snapshot("/a"));
            await().atMost(Duration.ofSeconds(5)).until(() -> server.openConnections() == 1);

            pool.close();

            assertThat(pool.idleConnections(server.endpoint())).isZero();
            await().atMost(Duration.ofSeconds(5)).until(() -> server.openConnections() == 0);
            assertThatThrownBy(() -> pool.borrow(server.endpoint()))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("closed");
        }
    }

    private static ThriftServer serve(BackendService.Iface handler) throws TTransportException {
        return serve(handler, 0);
    }

    private static ThriftServer serve(BackendService.Iface handler, int port) throws TTransportException {
        return ThriftServer.serving("test BackendService", ThriftServerConfig.defaults().withPort(port),
                new BackendService.Processor<>(handler)).start();
    }

    /** Sleeps even when interrupted, like a handler stuck in I/O that ignores interrupts. */
    static void sleepUninterruptibly(Duration duration) {
        long deadline = System.nanoTime() + duration.toNanos();
        boolean interrupted = false;
        while (System.nanoTime() < deadline) {
            try {
                Thread.sleep(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
