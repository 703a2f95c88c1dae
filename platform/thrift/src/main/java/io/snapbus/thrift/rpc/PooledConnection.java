package io.snapbus.thrift.rpc;

import org.apache.thrift.TServiceClient;

/** One open socket with its generated client, as the pool keeps it between borrows. */
record PooledConnection<C extends TServiceClient>(
        ThriftEndpoint endpoint, FailureTrackingTransport transport, C client, long lastReturnedNanos) {

    PooledConnection<C> returnedAt(long nanos) {
        return new PooledConnection<>(endpoint, transport, client, nanos);
    }

    boolean reusable() {
        return !transport.failed() && transport.isOpen();
    }

    void close() {
        transport.close();
    }
}
