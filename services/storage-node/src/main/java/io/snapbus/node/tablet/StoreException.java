package io.snapbus.node.tablet;

import io.snapbus.thrift.TStatusCode;
import java.util.Objects;

/** A tablet-store operation failed; {@link #code()} is the Doris status a storage node reports for it. */
public final class StoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final TStatusCode code;

    public StoreException(TStatusCode code, String message) {
        super(message);
        this.code = Objects.requireNonNull(code, "code");
    }

    public StoreException(TStatusCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = Objects.requireNonNull(code, "code");
    }

    public TStatusCode code() {
        return code;
    }

    static StoreException io(String what, Exception cause) {
        return new StoreException(TStatusCode.IO_ERROR, what + ": " + cause, cause);
    }

    static StoreException invalid(String message) {
        return new StoreException(TStatusCode.INVALID_ARGUMENT, message);
    }

    @Override
    public String toString() {
        return "StoreException[" + code + "]: " + getMessage();
    }
}
