package io.snapbus.local;

/**
 * Why a local component could not start (or stop): the message names the component, what went wrong and
 * what to do, and, when the process ran, ends with the tail of its log.
 */
public class LocalComponentException extends RuntimeException {

    private final String component;

    public LocalComponentException(String component, String message) {
        this(component, message, null);
    }

    public LocalComponentException(String component, String message, Throwable cause) {
        super(message.startsWith(component + ":") ? message : component + ": " + message, cause);
        this.component = component;
    }

    /** The component that failed: {@code kafka}, {@code registry} or {@code s3}. */
    public String component() {
        return component;
    }
}
