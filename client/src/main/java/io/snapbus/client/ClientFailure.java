package io.snapbus.client;

/** A command that cannot go on, with the exit code and the one line it prints on stderr. */
final class ClientFailure extends RuntimeException {
    private final int exitCode;

    ClientFailure(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    int exitCode() {
        return exitCode;
    }
}
