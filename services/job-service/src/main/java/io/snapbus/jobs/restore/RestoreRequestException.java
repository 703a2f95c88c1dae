package io.snapbus.jobs.restore;

/** A restore request refused before anything changed, with Doris's message where Doris has one. */
public final class RestoreRequestException extends RuntimeException {
    /**
     * Why: the request itself is wrong, names what the snapshot or catalog does not have, clashes with what exists,
     * or could not be recorded (try again).
     */
    public enum Kind { INVALID, NOT_FOUND, CONFLICT, UNAVAILABLE }

    private final Kind kind;

    private RestoreRequestException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public static RestoreRequestException invalid(String message) {
        return new RestoreRequestException(Kind.INVALID, message);
    }

    public static RestoreRequestException notFound(String message) {
        return new RestoreRequestException(Kind.NOT_FOUND, message);
    }

    public static RestoreRequestException conflict(String message) {
        return new RestoreRequestException(Kind.CONFLICT, message);
    }

    public static RestoreRequestException unavailable(String message) {
        return new RestoreRequestException(Kind.UNAVAILABLE, message);
    }

    public Kind kind() {
        return kind;
    }
}
