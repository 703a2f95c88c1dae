package io.snapbus.rows;

/**
 * A text is not a value of a column's type; the message says why ({@code not a INT}, {@code out of range for
 * TINYINT}, {@code longer than VARCHAR(8) (11 bytes)}). An {@link IllegalArgumentException}, without a stack trace:
 * a refused value is an answer, not a fault.
 */
public final class BadValueException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    BadValueException(String reason) {
        super(reason);
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
