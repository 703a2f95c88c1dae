package io.snapbus.repository;

import java.util.Objects;

/** A repository operation failed; {@link #kind()} says whether to retry, fix credentials, fix the location or fix the caller. */
public final class RepositoryException extends RuntimeException {

    /** What went wrong, coarse enough to act on. */
    public enum Kind {
        /** The file, object or bucket does not exist. */
        NOT_FOUND,
        /** The server or filesystem refused our identity (S3 403, wrong key or secret, read permission). */
        ACCESS_DENIED,
        /** The location cannot be written (permissions, a file where a directory should be, read-only mount). */
        NOT_WRITABLE,
        /** The caller's path is not a safe relative path, or names a reserved (partial) file. */
        INVALID_PATH,
        /** Anything else: I/O errors, network, server errors, a local file that vanished. Usually worth a retry. */
        IO
    }

    private final Kind kind;

    public RepositoryException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    public RepositoryException(Kind kind, String message) {
        this(kind, message, null);
    }

    public Kind kind() {
        return kind;
    }

    static RepositoryException invalidPath(Object location, String path, IllegalArgumentException why) {
        return new RepositoryException(Kind.INVALID_PATH, "repository " + location + " refuses the path '" + printable(path) + "': "
                + why.getMessage() + "; paths are '/'-separated, relative to the repository location and may not leave it", why);
    }

    static RepositoryException notFound(Object location, String path) {
        return new RepositoryException(Kind.NOT_FOUND, "repository " + location + " has no file " + path);
    }

    static RepositoryException notWritable(Object location, Object where, String reason, Throwable cause) {
        return new RepositoryException(Kind.NOT_WRITABLE, "repository " + location + " is not writable: " + where + " (" + reason
                + "); fix the directory's permissions or choose another location", cause);
    }

    private static String printable(String path) {
        return path == null ? "null" : path.replace('\0', '?');
    }
}
