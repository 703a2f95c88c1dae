package io.snapbus.jobs.restore.shell;

/** The catalog refused a restore's change and wrote nothing (as opposed to failing to write it). */
final class CatalogRefusedException extends RuntimeException {
    CatalogRefusedException(String message) {
        super(message);
    }
}
