package io.snapbus.jobs.catalog;

/** A catalog change could not be persisted; it did not become visible. */
public final class CatalogWriteException extends RuntimeException {
    public CatalogWriteException(String message, Throwable cause) {
        super(message, cause);
    }
}
