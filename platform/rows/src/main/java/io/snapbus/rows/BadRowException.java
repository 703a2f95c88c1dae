package io.snapbus.rows;

/** A row of a load is malformed ({@code line 17: column amount: not a DECIMAL(18,2): 'abc'}); the whole load is refused. */
public final class BadRowException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int line;

    public BadRowException(int line, String reason) {
        super("line " + line + ": " + reason, null, false, false);
        this.line = line;
    }

    /** The line the row starts on, 1-based. */
    public int line() {
        return line;
    }
}
