package io.snapbus.thrift.rpc;

import io.snapbus.thrift.BackendService;
import io.snapbus.thrift.FrontendService;
import io.snapbus.thrift.HeartbeatService;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.apache.thrift.TConfiguration;
import org.apache.thrift.TServiceClient;
import org.apache.thrift.protocol.TBinaryProtocol;
import org.apache.thrift.protocol.TProtocol;
import org.apache.thrift.transport.TSocket;
import org.apache.thrift.transport.TTransportException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pool of blocking Thrift clients of one service, keyed by endpoint, speaking Doris's wire format
 * (plain TSocket + TBinaryProtocol, unframed) with connect and read timeouts.
 *
 * <p>Connections are opened on demand without limit (concurrency is bounded by the callers' own thread
 * pools); only idle connections are bounded, per endpoint. A connection that saw any transport error is
 * closed, never reused. Thread-safe.
 *
 * @param <C> the generated client type, e.g. {@code BackendService.Client}
 */
public final class ThriftClientPool<C extends TServiceClient> implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ThriftClientPool.class);

    private final String service;
    private final Function<TProtocol, C> clientFactory;
    private final ThriftClientConfig config;
    private final Map<ThriftEndpoint, Deque<PooledConnection<C>>> idle = new ConcurrentHashMap<>();
    private final AtomicLong opened = new AtomicLong();
    private volatile boolean closed;

    /**
     * @param service name used in logs and errors, e.g. {@code BackendService}
     * @param clientFactory builds a client on a protocol, e.g. {@code BackendService.Client::new}
     */
    public ThriftClientPool(String service, Function<TProtocol, C> clientFactory, ThriftClientConfig config) {
        this.service = Objects.requireNonNull(service, "service");
        this.clientFactory = Objects.requireNonNull(clientFactory, "clientFactory");
        this.config = Objects.requireNonNull(config, "config");
    }

    /** Clients for storage nodes: {@code submit_tasks}, snapshots and the load data path. */
    public static ThriftClientPool<BackendService.Client> backendService(ThriftClientConfig config) {
        return new ThriftClientPool<>("BackendService", BackendService.Client::new, config);
    }

    /** Clients for agents, as storage nodes call them: {@code finishTask}, {@code report}, progress. */
    public static ThriftClientPool<FrontendService.Client> frontendService(ThriftClientConfig config) {
        return new ThriftClientPool<>("FrontendService", FrontendService.Client::new, config);
    }

    /** Clients for the heartbeat a node answers. */
    public static ThriftClientPool<HeartbeatService.Client> heartbeatService(ThriftClientConfig config) {
        return new ThriftClientPool<>("HeartbeatService", HeartbeatService.Client::new, config);
    }

    public ThriftClientConfig config() {
        return config;
    }

    /**
     * Makes one call on a pooled connection and returns its result; any failure closes that connection
     * and is reported as a {@link ThriftCallException} naming the endpoint and the kind of failure. The call
     * is not retried: whether a retry is safe depends on the call (task signatures make Doris tasks safe).
     */
    public <R> R call(ThriftEndpoint endpoint, ThriftCall<? super C, R> call) throws ThriftCallException {
        try (PooledClient<C> lease = borrow(endpoint)) {
            try {
                return call.call(lease.client());
            } catch (Exception e) {
                // Whatever failed, we cannot be sure the stream is still aligned on a message boundary.
                lease.invalidate();
                throw ThriftCallException.classify(endpoint, service, config.socketTimeout(), e);
            }
        }
    }

    /**
     * As {@link #call}, for a call that is safe to make twice (a node runs a task signature once): when it fails with
     * CONNECTION_LOST on a pooled connection, the peer most likely closed its end (it restarted), so every idle
     * connection to it is dropped and the call is made once more on a new connection. A call on a new connection is
     * not repeated.
     */
    public <R> R callRepeatable(ThriftEndpoint endpoint, ThriftCall<? super C, R> call) throws ThriftCallException {
        Objects.requireNonNull(endpoint, "endpoint");
        if (closed) {
            throw new IllegalStateException(service + " client pool is closed");
        }
        PooledConnection<C> reused = takeIdle(endpoint);
        if (reused == null) {
            return call(endpoint, call);
        }
        try (PooledClient<C> lease = new PooledClient<>(this, reused)) {
            try {
                return call.call(lease.client());
            } catch (Exception e) {
                lease.invalidate();
                ThriftCallException failure = ThriftCallException.classify(endpoint, service, config.socketTimeout(), e);
                if (failure.failure() != ThriftCallException.Failure.CONNECTION_LOST) {
                    throw failure;
                }
            }
        }
        dropIdle(endpoint);
        return call(endpoint, call);
    }

    /** Closes every idle connection to {@code endpoint}. */
    private void dropIdle(ThriftEndpoint endpoint) {
        Deque<PooledConnection<C>> deque = idle.get(endpoint);
        if (deque == null) {
            return;
        }
        List<PooledConnection<C>> dropped;
        synchronized (deque) {
            dropped = new ArrayList<>(deque);
            deque.clear();
        }
        dropped.forEach(PooledConnection::close);
    }

    /**
     * Borrows a client for several calls in a row; close the returned handle (try-with-resources) to give the
     * connection back. Reuses an idle connection when one is fresh enough, else opens a new one.
     */
    public PooledClient<C> borrow(ThriftEndpoint endpoint) throws ThriftCallException {
        Objects.requireNonNull(endpoint, "endpoint");
        if (closed) {
            throw new IllegalStateException(service + " client pool is closed");
        }
        PooledConnection<C> reused = takeIdle(endpoint);
        return new PooledClient<>(this, reused != null ? reused : open(endpoint));
    }

    /** Idle connections currently pooled for an endpoint (for tests and metrics). */
    public int idleConnections(ThriftEndpoint endpoint) {
        Deque<PooledConnection<C>> deque = idle.get(endpoint);
        if (deque == null) {
            return 0;
        }
        synchronized (deque) {
            return deque.size();
        }
    }

    /** Connections opened since the pool was created (for tests and metrics). */
    public long connectionsOpened() {
        return opened.get();
    }

    /** Closes every idle connection; connections still borrowed are closed when given back. */
    @Override
    public void close() {
        closed = true;
        List<PooledConnection<C>> toClose = new ArrayList<>();
        for (Deque<PooledConnection<C>> deque : idle.values()) {
            synchronized (deque) {
                toClose.addAll(deque);
                deque.clear();
            }
        }
        toClose.forEach(PooledConnection::close);
    }

    void giveBack(PooledConnection<C> connection) {
        if (closed || !connection.reusable() || config.maxIdlePerEndpoint() == 0) {
            connection.close();
            return;
        }
        Deque<PooledConnection<C>> deque = idle.computeIfAbsent(connection.endpoint(), e -> new ArrayDeque<>());
        PooledConnection<C> evicted = null;
        synchronized (deque) {
            // Newest first: borrowers take the most recently used one, the oldest is the one to drop.
            deque.addFirst(connection.returnedAt(System.nanoTime()));
            if (deque.size() > config.maxIdlePerEndpoint()) {
                evicted = deque.removeLast();
            }
        }
        if (evicted != null) {
            evicted.close();
        }
        if (closed) {
            close(); // lost a race with close(): do not leave the connection behind
        }
    }

    private PooledConnection<C> takeIdle(ThriftEndpoint endpoint) {
        Deque<PooledConnection<C>> deque = idle.get(endpoint);
        if (deque == null) {
            return null;
        }
        long oldestAllowed = System.nanoTime() - config.idleTimeout().toNanos();
        List<PooledConnection<C>> expired = new ArrayList<>();
        PooledConnection<C> found = null;
        synchronized (deque) {
            PooledConnection<C> candidate = deque.pollFirst();
            if (candidate != null && candidate.lastReturnedNanos() - oldestAllowed >= 0 && candidate.reusable()) {
                found = candidate;
            } else if (candidate != null) {
                // Everything behind an expired connection is older still.
                expired.add(candidate);
                expired.addAll(deque);
                deque.clear();
            }
        }
        expired.forEach(PooledConnection::close);
        return found;
    }

    private PooledConnection<C> open(ThriftEndpoint endpoint) throws ThriftCallException {
        FailureTrackingTransport transport;
        try {
            TSocket socket = new TSocket(
                    new TConfiguration(),
                    endpoint.host(),
                    endpoint.port(),
                    (int) config.socketTimeout().toMillis(),
                    (int) config.connectTimeout().toMillis());
            transport = new FailureTrackingTransport(socket);
            transport.open();
        } catch (TTransportException e) {
            throw ThriftCallException.connectFailed(endpoint, service, config.connectTimeout(), e);
        }
        opened.incrementAndGet();
        log.debug("opened {} connection to {}", service, endpoint);
        C client = clientFactory.apply(new TBinaryProtocol(transport));
        return new PooledConnection<>(endpoint, transport, client, System.nanoTime());
    }
}
