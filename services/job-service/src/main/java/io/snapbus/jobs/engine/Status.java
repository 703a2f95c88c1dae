package io.snapbus.jobs.engine;

/** A job's status with Doris's job error codes; shown as {@code [CODE, msg: message]}, as Doris shows it. */
public record Status(Code code, String message) {
    /** Doris's backup Status.ErrCode. */
    public enum Code { OK, NOT_FOUND, BAD_FILE, CREATE_REMOTE_PATH_FAILED, IS_DIR, IS_FILE, TIMEOUT, BAD_CONNECTION,
        COMMON_ERROR, OLAP_VERSION_ALREADY_MERGED }

    public static final Status OK = new Status(Code.OK, "");

    public static Status of(Code code, String message) {
        return new Status(code, message);
    }

    public boolean ok() {
        return code == Code.OK;
    }

    @Override
    public String toString() {
        return "[" + code + ", msg: " + message + "]";
    }
}
