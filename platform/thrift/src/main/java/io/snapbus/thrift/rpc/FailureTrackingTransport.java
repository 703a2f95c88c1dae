package io.snapbus.thrift.rpc;

import org.apache.thrift.transport.TTransport;
import org.apache.thrift.transport.TTransportException;
import org.apache.thrift.transport.layered.TLayeredTransport;

/**
 * A pass-through transport that remembers whether any I/O failed, so a pooled connection that saw a
 * timeout or a reset is closed instead of reused (after a read timeout the late answer would still be
 * on the socket and be taken for the answer to the next call).
 */
final class FailureTrackingTransport extends TLayeredTransport {

    private volatile boolean failed;

    FailureTrackingTransport(TTransport inner) {
        super(inner);
    }

    boolean failed() {
        return failed;
    }

    void markFailed() {
        failed = true;
    }

    @Override
    public boolean isOpen() {
        return getInnerTransport().isOpen();
    }

    @Override
    public void open() throws TTransportException {
        try {
            getInnerTransport().open();
        } catch (TTransportException e) {
            failed = true;
            throw e;
        }
    }

    @Override
    public void close() {
        getInnerTransport().close();
    }

    @Override
    public int read(byte[] buf, int off, int len) throws TTransportException {
        try {
            return getInnerTransport().read(buf, off, len);
        } catch (TTransportException e) {
            failed = true;
            throw e;
        }
    }

    @Override
    public int readAll(byte[] buf, int off, int len) throws TTransportException {
        try {
            return getInnerTransport().readAll(buf, off, len);
        } catch (TTransportException e) {
            failed = true;
            throw e;
        }
    }

    @Override
    public void write(byte[] buf, int off, int len) throws TTransportException {
        try {
            getInnerTransport().write(buf, off, len);
        } catch (TTransportException e) {
            failed = true;
            throw e;
        }
    }

    @Override
    public void flush() throws TTransportException {
        try {
            getInnerTransport().flush();
        } catch (TTransportException e) {
            failed = true;
            throw e;
        }
    }
}
