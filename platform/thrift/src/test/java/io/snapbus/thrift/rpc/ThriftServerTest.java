package io.snapbus.thrift.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.snapbus.thrift.BackendService;
import io.snapbus.thrift.TAgentResult;
import io.snapbus.thrift.TSnapshotRequest;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.thrift.transport.TTransportException;
import org.junit.jupiter.api.Test;

/** Server lifecycle: binding, reporting the port, refusing a taken port, and stopping promptly. */
class ThriftServerTest {

    @Test
    void startReturnsListeningOnTheFreePortItReports() throws Exception {
        try (ThriftServer server = ThriftServer.serving("test", ThriftServerConfig.defaults(),
                new BackendService.Processor<>(new BackendServiceStub())).start()) {
            assertThat(server.isRunning()).isTrue();
            assertThat(server.port()).isPositive();
            assertThat(server.endpoint()).isEqualTo(new ThriftEndpoint("127.0.0.1", server.port()));
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress("127.0.0.1", server.port()), 1_000);
                assertThat(probe.isConnected()).isTrue();
            }
        }
    }

    @Test
    void startFailsClearlyWhenThePortIsTaken() throws Exception {
        try (ThriftServer first = ThriftServer.serving("first", ThriftServerConfig.defaults(),
                new BackendService.Processor<>(new BackendServiceStub())).start()) {
            ThriftServer second = ThriftServer.serving("second", ThriftServerConfig.defaults().withPort(first.port()),
                    new BackendService.Processor<>(new BackendServiceStub()));

            assertThatThrownBy(second::start)
                    .isInstanceOf(TTransportException.class)
                    .hasMessageContaining(String.valueOf(first.port()));
            assertThat(second.isRunning()).isFalse();
        }
    }

    @Test
    void aServerStartsOnlyOnce() throws Exception {
        try (ThriftServer server = ThriftServer.serving("test", ThriftServerConfig.defaults(),
                new BackendService.Processor<>(new BackendServiceStub())).start()) {
            assertThatThrownBy(server::start).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void stopRightAfterStartEndsTheServerAndItsThreads() throws Exception {
        for (int i = 0; i < 25; i++) {
            ThriftServer server = ThriftServer.serving("restart", ThriftServerConfig.defaults(),
                    new BackendService.Processor<>(new BackendServiceStub())).start();
            long started = System.nanoTime();

            server.stop();

            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
        }
        assertThat(Thread.getAllStackTraces().keySet())
                .noneMatch(thread -> thread.getName().startsWith("thrift-restart-") && thread.isAlive());
    }

    @Test
    void stopEndsIdlePooledConnectionsPromptly() throws Exception {
        ThriftServer server = ThriftServer.serving("test", ThriftServerConfig.defaults(),
                new BackendService.Processor<>(new BackendServiceStub())).start();
        try (ThriftClientPool<BackendService.Client> pool = ThriftClientPool.backendService(ThriftClientConfig.defaults())) {
            pool.call(server.endpoint(), client -> client.release_snapshot("/a"));
            assertThat(pool.idleConnections(server.endpoint())).isEqualTo(1);
            long started = System.nanoTime();

            server.stop();

            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
            assertThat(server.isRunning()).isFalse();
            assertThat(server.openConnections()).isZero();
            assertThatThrownBy(() -> pool.call(server.endpoint(), client -> client.release_snapshot("/b")))
                    .isInstanceOf(ThriftCallException.class);
        } finally {
            server.stop();
        }
    }

    @Test
    void stopInterruptsARunningHandlerAndItsCallerFails() throws Exception {
        CountDownLatch handlerRunning = new CountDownLatch(1);
        BackendServiceStub stuck = new BackendServiceStub() {
            @Override
            public TAgentResult make_snapshot(TSnapshotRequest request) {
                handlerRunning.countDown();
                try {
                    Thread.sleep(60_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("stopped");
                }
                return ok();
            }
        };
        ThriftServer server = ThriftServer.serving("test", ThriftServerConfig.defaults(),
                new BackendService.Processor<>(stuck)).start();
        try (ThriftClientPool<BackendService.Client> pool = ThriftClientPool.backendService(ThriftClientConfig.defaults())) {
            CompletableFuture<TAgentResult> call = CompletableFuture.supplyAsync(() -> {
                try {
                    return pool.call(server.endpoint(), client -> client.make_snapshot(new TSnapshotRequest(1L, 2)));
                } catch (ThriftCallException e) {
                    throw new IllegalStateException(e);
                }
            });
            assertThat(handlerRunning.await(5, TimeUnit.SECONDS)).isTrue();
            long started = System.nanoTime();

            server.stop();

            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
            await().atMost(Duration.ofSeconds(5)).until(call::isDone);
            assertThat(call).isCompletedExceptionally();
        } finally {
            server.stop();
        }
    }
}
