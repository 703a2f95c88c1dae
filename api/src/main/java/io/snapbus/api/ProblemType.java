package io.snapbus.api;

import java.util.Arrays;
import java.util.Locale;

/**
 * The stable problem types of the v1 API: the {@code type} of every RFC 9457 problem is
 * {@code urn:snapbus:problem:<code>}, the error code in lower case with dashes ({@code UNKNOWN_TABLE} is
 * {@code urn:snapbus:problem:unknown-table}). A code is never renamed or reused for another meaning; new ones may be
 * added, so a client treats an unknown type as {@link #OTHER}.
 */
public enum ProblemType {
    // 400: the request is malformed or invalid; nothing changed.
    INVALID_REQUEST("Invalid request"),
    BAD_REQUEST("Bad request"),
    MALFORMED_ROW("Malformed row"),
    NO_ROWS("No rows"),
    NO_PARTITION("No partition for a row"),
    /** The repository's location, or an object in it, does not exist (400 at create, 502 while reading). */
    REPOSITORY_NOT_FOUND("Repository location not found"),
    // 404: a named object does not exist.
    NOT_FOUND("Not found"),
    UNKNOWN_DATABASE("Unknown database"),
    UNKNOWN_TABLE("Unknown table"),
    UNKNOWN_PARTITION("Unknown partition"),
    UNKNOWN_RESOURCE("Unknown resource"),
    UNKNOWN_REPOSITORY("Unknown repository"),
    UNKNOWN_LOCAL_SNAPSHOT("Unknown local snapshot"),
    UNKNOWN_VERIFICATION("Unknown verification"),
    UNKNOWN_SNAPSHOT("Unknown snapshot"),
    UNKNOWN_TIMESTAMP("Unknown backup timestamp"),
    UNKNOWN_RETENTION_POLICY("Unknown retention policy"),
    UNKNOWN_SCHEDULE("Unknown schedule"),
    DEBUG_POINTS_DISABLED("Debug points disabled"),
    // 405, 415
    METHOD_NOT_ALLOWED("Method not allowed"),
    UNSUPPORTED_MEDIA_TYPE("Unsupported media type"),
    // 409: the request conflicts with the current state.
    ALREADY_EXISTS("Already exists or not allowed in this state"),
    CONFLICT("Conflict"),
    CONCURRENT_CHANGE("Concurrent change"),
    TABLE_IN_RESTORE("Table is being restored"),
    PARTITION_CHANGED("Partition changed"),
    // 410
    LOCAL_SNAPSHOT_FILES_GONE("Local snapshot files gone"),
    // 5xx: the service or a dependency failed; retrying may help.
    UNAVAILABLE("Service unavailable"),
    CATALOG_UNAVAILABLE("Catalog unavailable"),
    NO_HEALTHY_REPLICA("No healthy replica"),
    INTERRUPTED("Interrupted"),
    CREATE_TABLET_FAILED("Creating tablets failed"),
    AGENT_TASKS_FAILED("Sending agent tasks failed"),
    LOAD_FAILED("Load failed"),
    TASK_TIMEOUT("Agent tasks timed out"),
    REPOSITORY_ACCESS_DENIED("Repository access denied"),
    REPOSITORY_NOT_WRITABLE("Repository not writable"),
    REPOSITORY_INVALID_PATH("Repository path invalid"),
    REPOSITORY_IO("Repository I/O failed"),
    INTERNAL_ERROR("Internal error"),
    /** A type this client does not know (a newer service); the problem's {@code code} still names it. */
    OTHER("Error");

    /** The prefix of every problem type URI. */
    public static final String URN_PREFIX = "urn:snapbus:problem:";

    private final String title;

    ProblemType(String title) {
        this.title = title;
    }

    /** A short, fixed, human summary of the type (RFC 9457 {@code title}). */
    public String title() {
        return title;
    }

    /** The error code as the service's messages and logs name it, such as {@code UNKNOWN_TABLE}. */
    public String code() {
        return name();
    }

    /** The problem type URI of the code. */
    public String uri() {
        return uriOf(code());
    }

    /** The problem type URI of any error code, known to this enum or not. */
    public static String uriOf(String code) {
        return URN_PREFIX + code.toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The type of a code; {@link #OTHER} when this version does not know it. */
    public static ProblemType ofCode(String code) {
        return Arrays.stream(values()).filter(t -> t != OTHER && t.code().equals(code)).findFirst().orElse(OTHER);
    }

    /** The type of a problem's {@code type} URI; {@link #OTHER} when this version does not know it. */
    public static ProblemType ofUri(String uri) {
        return Arrays.stream(values()).filter(t -> t != OTHER && t.uri().equals(uri)).findFirst().orElse(OTHER);
    }
}
