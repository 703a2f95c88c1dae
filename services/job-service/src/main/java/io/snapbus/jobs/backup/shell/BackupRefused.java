package io.snapbus.jobs.backup.shell;

/**
 * A backup request or cancel the service refuses, with Doris's message; nothing was changed. The REST layer maps the
 * reason to its status.
 */
public final class BackupRefused extends RuntimeException {
    /**
     * Why: something named does not exist, the request is invalid, it conflicts with what exists, or the job could
     * not be persisted (try again).
     */
    public enum Reason { NOT_FOUND, INVALID, CONFLICT, UNAVAILABLE }

    private final Reason reason;
    private final String code;

    BackupRefused(Reason reason, String code, String message) {
        super(message, null, false, false);
        this.reason = reason;
        this.code = code;
    }

    static BackupRefused notFound(String code, String message) {
        return new BackupRefused(Reason.NOT_FOUND, code, message);
    }

    static BackupRefused invalid(String message) {
        return new BackupRefused(Reason.INVALID, "BAD_REQUEST", message);
    }

    static BackupRefused conflict(String message) {
        return new BackupRefused(Reason.CONFLICT, "ALREADY_EXISTS", message);
    }

    static BackupRefused unavailable(String message) {
        return new BackupRefused(Reason.UNAVAILABLE, "UNAVAILABLE", message);
    }

    public Reason reason() {
        return reason;
    }

    /** A stable error code (UNKNOWN_TABLE, ALREADY_EXISTS, ...). */
    public String code() {
        return code;
    }
}
