package io.snapbus.thrift.rpc;

import org.apache.thrift.TServiceClient;

/**
 * A client borrowed from a {@link ThriftClientPool}, for use in try-with-resources: closing it returns the
 * connection to the pool, unless the connection failed or {@link #invalidate()} was called.
 *
 * <p>Not thread-safe: one borrower at a time, like the connection underneath.
 *
 * @param <C> the generated client type
 */
public final class PooledClient<C extends TServiceClient> implements AutoCloseable {

    private final ThriftClientPool<C> pool;
    private final PooledConnection<C> connection;
    private boolean returned;

    PooledClient(ThriftClientPool<C> pool, PooledConnection<C> connection) {
        this.pool = pool;
        this.connection = connection;
    }

    public C client() {
        if (returned) {
            throw new IllegalStateException("client for " + connection.endpoint() + " was already returned to the pool");
        }
        return connection.client();
    }

    public ThriftEndpoint endpoint() {
        return connection.endpoint();
    }

    /**
     * Marks the connection as unusable, so {@link #close()} closes it instead of pooling it. Transport
     * failures do this automatically; call it after any other doubt (e.g. an unexpected exception between
     * send and receive).
     */
    public void invalidate() {
        connection.transport().markFailed();
    }

    @Override
    public void close() {
        if (!returned) {
            returned = true;
            pool.giveBack(connection);
        }
    }
}
