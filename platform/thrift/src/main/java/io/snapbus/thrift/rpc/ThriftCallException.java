package io.snapbus.thrift.rpc;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import org.apache.thrift.TApplicationException;
import org.apache.thrift.TException;
import org.apache.thrift.transport.TTransportException;

/**
 * A failed call to a Thrift endpoint, saying which endpoint and what kind of failure, so callers can
 * decide between retrying, trying another replica and giving up.
 */
public final class ThriftCallException extends TException {

    /** What went wrong, from the caller's point of view. */
    public enum Failure {
        /** No connection could be opened (peer down, refused, connect timeout). Nothing was sent. */
        CONNECT_FAILED,
        /** The peer did not answer within the socket timeout. The call may or may not have run. */
        TIMED_OUT,
        /** The connection broke while sending or receiving. The call may or may not have run. */
        CONNECTION_LOST,
        /** The peer answered with an error (unknown method, handler threw, bad arguments). */
        REMOTE_ERROR,
        /** The bytes on the wire did not decode (a peer speaking another protocol or version). */
        PROTOCOL_ERROR,
    }

    private final ThriftEndpoint endpoint;
    private final String service;
    private final Failure failure;

    ThriftCallException(ThriftEndpoint endpoint, String service, Failure failure, String detail, Throwable cause) {
        super(service + " call to " + endpoint + " failed (" + failure + "): " + detail, cause);
        this.endpoint = endpoint;
        this.service = service;
        this.failure = failure;
    }

    public ThriftEndpoint endpoint() {
        return endpoint;
    }

    /** The pool's service name, e.g. {@code BackendService}. */
    public String service() {
        return service;
    }

    public Failure failure() {
        return failure;
    }

    /** True when nothing reached the peer, so retrying cannot run the call twice. */
    public boolean nothingSent() {
        return failure == Failure.CONNECT_FAILED;
    }

    static ThriftCallException connectFailed(
            ThriftEndpoint endpoint, String service, Duration connectTimeout, TTransportException cause) {
        Throwable root = cause.getCause() != null ? cause.getCause() : cause;
        String detail = root instanceof SocketTimeoutException
                ? "no connection within " + connectTimeout.toMillis() + " ms"
                : root instanceof ConnectException ? "connection refused" : String.valueOf(root.getMessage());
        return new ThriftCallException(endpoint, service, Failure.CONNECT_FAILED, detail, cause);
    }

    /** Classifies an exception thrown by a call on an open connection. */
    static ThriftCallException classify(
            ThriftEndpoint endpoint, String service, Duration socketTimeout, Exception cause) {
        if (cause instanceof ThriftCallException already) {
            return already;
        }
        if (cause instanceof TTransportException transport) {
            boolean timedOut = transport.getType() == TTransportException.TIMED_OUT
                    || transport.getCause() instanceof SocketTimeoutException;
            if (timedOut) {
                return new ThriftCallException(endpoint, service, Failure.TIMED_OUT,
                        "no answer within the socket timeout of " + socketTimeout.toMillis() + " ms", cause);
            }
            return new ThriftCallException(endpoint, service, Failure.CONNECTION_LOST,
                    String.valueOf(transport.getMessage()), cause);
        }
        if (cause instanceof TApplicationException application) {
            return new ThriftCallException(endpoint, service, Failure.REMOTE_ERROR,
                    applicationErrorName(application.getType()) + ": " + application.getMessage(), cause);
        }
        if (cause instanceof TException) {
            return new ThriftCallException(endpoint, service, Failure.PROTOCOL_ERROR,
                    String.valueOf(cause.getMessage()), cause);
        }
        return new ThriftCallException(endpoint, service, Failure.PROTOCOL_ERROR, cause.toString(), cause);
    }

    private static String applicationErrorName(int type) {
        return switch (type) {
            case TApplicationException.UNKNOWN_METHOD -> "unknown method";
            case TApplicationException.INVALID_MESSAGE_TYPE -> "invalid message type";
            case TApplicationException.WRONG_METHOD_NAME -> "wrong method name";
            case TApplicationException.BAD_SEQUENCE_ID -> "bad sequence id";
            case TApplicationException.MISSING_RESULT -> "missing result";
            case TApplicationException.INTERNAL_ERROR -> "internal error in the peer's handler";
            case TApplicationException.PROTOCOL_ERROR -> "protocol error";
            default -> "application error " + type;
        };
    }
}
