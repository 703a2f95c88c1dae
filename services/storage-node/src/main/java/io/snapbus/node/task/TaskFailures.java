package io.snapbus.node.task;

import io.snapbus.node.restore.DownloadCancelledException;
import io.snapbus.node.tablet.StoreException;
import io.snapbus.node.upload.UploadCancelledException;
import io.snapbus.repository.RepositoryException;
import io.snapbus.thrift.TStatus;
import io.snapbus.thrift.TStatusCode;
import java.util.List;

/** Turns what a task threw into the Doris status a finish report carries, with Doris's message shape. */
public final class TaskFailures {
    private TaskFailures() {}

    public static TStatus ok() {
        return new TStatus(TStatusCode.OK);
    }

    /** {@code (<host>)[<CODE>]<message>}, as Doris's BE formats error_msgs. */
    public static TStatus failed(String host, TStatusCode code, String message) {
        TStatus status = new TStatus(code);
        status.setError_msgs(List.of("(" + host + ")[" + code.name() + "]" + message));
        return status;
    }

    public static TStatus of(String host, Throwable error) {
        TStatusCode code = codeOf(error);
        String name = error instanceof StoreException store ? store.codeName() : code.name();
        TStatus status = new TStatus(code);
        status.setError_msgs(List.of("(" + host + ")[" + name + "]" + messageOf(error)));
        return status;
    }

    static TStatusCode codeOf(Throwable error) {
        if (error instanceof StoreException store) {
            return store.code();
        }
        if (error instanceof UploadCancelledException || error instanceof DownloadCancelledException) {
            return TStatusCode.CANCELLED;
        }
        if (error instanceof RepositoryException repository) {
            return switch (repository.kind()) {
                case NOT_FOUND -> TStatusCode.NOT_FOUND;
                case ACCESS_DENIED -> TStatusCode.NOT_AUTHORIZED;
                case INVALID_PATH -> TStatusCode.INVALID_ARGUMENT;
                case NOT_WRITABLE, IO -> TStatusCode.IO_ERROR;
            };
        }
        if (error instanceof IllegalArgumentException) {
            return TStatusCode.INVALID_ARGUMENT;
        }
        return TStatusCode.INTERNAL_ERROR;
    }

    private static String messageOf(Throwable error) {
        String message = error.getMessage();
        return message == null || message.isBlank() ? error.getClass().getSimpleName() : message;
    }
}
