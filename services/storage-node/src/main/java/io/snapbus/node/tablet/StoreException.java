package io.snapbus.node.tablet;

import io.snapbus.thrift.TStatusCode;
import java.util.Objects;

/** A tablet-store operation failed; {@link #code()} is the Doris status a storage node reports for it. */
public final class StoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final TStatusCode code;
    private final String codeName;

    public StoreException(TStatusCode code, String message) {
        this(code, code.name(), message);
    }

    /**
     * For a Doris storage-engine error that has no status code of its own (EXCEEDED_LIMIT, OBTAIN_LOCK_FAILED):
     * reported as {@code code} (INTERNAL_ERROR, as Doris maps them) with {@code codeName} in the message.
     */
    public StoreException(TStatusCode code, String codeName, String message) {
        super(message);
        this.code = Objects.requireNonNull(code, "code");
        this.codeName = Objects.requireNonNull(codeName, "codeName");
    }

    public StoreException(TStatusCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = Objects.requireNonNull(code, "code");
        this.codeName = code.name();
    }

    public TStatusCode code() {
        return code;
    }

    /** The name Doris's error message shows in brackets: the code's, or the storage engine's own. */
    public String codeName() {
        return codeName;
    }

    static StoreException io(String what, Exception cause) {
        return new StoreException(TStatusCode.IO_ERROR, what + ": " + cause, cause);
    }

    static StoreException invalid(String message) {
        return new StoreException(TStatusCode.INVALID_ARGUMENT, message);
    }

    @Override
    public String toString() {
        return "StoreException[" + codeName + "]: " + getMessage();
    }
}
