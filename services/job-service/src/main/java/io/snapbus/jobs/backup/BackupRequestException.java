package io.snapbus.jobs.backup;

/**
 * A backup request (or a read of a backup's files) the backup shell refuses, with Doris's message; nothing was
 * created. The API layer answers it with the status of its kind; the shell itself knows no HTTP.
 */
public class BackupRequestException extends RuntimeException {
    /** Why it was refused; UNAVAILABLE: the job could not be persisted, nothing started, try again. */
    public enum Kind { INVALID, NOT_FOUND, CONFLICT, GONE, UNAVAILABLE }

    private final Kind kind;
    private final String code;

    public BackupRequestException(Kind kind, String code, String message) {
        super(message);
        this.kind = kind;
        this.code = code;
    }

    public static BackupRequestException invalid(String message) {
        return new BackupRequestException(Kind.INVALID, "BAD_REQUEST", message);
    }

    public static BackupRequestException notFound(String code, String message) {
        return new BackupRequestException(Kind.NOT_FOUND, code, message);
    }

    public static BackupRequestException conflict(String message) {
        return new BackupRequestException(Kind.CONFLICT, "ALREADY_EXISTS", message);
    }

    public static BackupRequestException unavailable(String message) {
        return new BackupRequestException(Kind.UNAVAILABLE, "UNAVAILABLE", message);
    }

    public Kind kind() {
        return kind;
    }

    /** A stable error code for clients, such as UNKNOWN_TABLE. */
    public String code() {
        return code;
    }
}
