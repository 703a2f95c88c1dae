package io.snapbus.jobs.load;

/** A row of a load is malformed; the whole load is refused. */
final class BadRowException extends RuntimeException {
    private final int line;

    BadRowException(int line, String reason) {
        super("line " + line + ": " + reason);
        this.line = line;
    }

    int line() {
        return line;
    }
}
