package io.snapbus.rows;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A column's SQL type as the job-service's catalog and the storage nodes both know it: its syntax
 * ({@link #parse}, {@link #sql}), where Doris allows it ({@link #allowedAsKey}) and the reading of a value's text
 * into its typed value ({@link #value}) and canonical text ({@link #canonical(Object)}).
 *
 * <p>Typed values, by kind: BOOLEAN {@link Boolean}; TINYINT, SMALLINT, INT, BIGINT {@link Long}; FLOAT
 * {@link Float}; DOUBLE {@link Double}; DECIMAL {@link BigDecimal} at the column's scale; DATE
 * {@link java.time.LocalDate}; DATETIME {@link java.time.LocalDateTime} (at most millisecond precision); CHAR,
 * VARCHAR, STRING {@link String}. All are {@link Comparable}, which range partitioning relies on.
 */
public record ColumnType(Kind kind, int length, int precision, int scale) {

    public enum Kind { BOOLEAN, TINYINT, SMALLINT, INT, BIGINT, FLOAT, DOUBLE, DECIMAL, DATE, DATETIME, CHAR, VARCHAR, STRING }

    public static final int MAX_DECIMAL_PRECISION = 38;
    public static final int MAX_CHAR_LENGTH = 255;
    public static final int MAX_VARCHAR_LENGTH = 65_533;

    private static final String EXPECTED = "BOOLEAN, TINYINT, SMALLINT, INT, BIGINT, FLOAT, DOUBLE, DECIMAL(p,s), DATE,"
            + " DATETIME, CHAR(n), VARCHAR(n) or STRING";
    private static final Pattern SYNTAX =
            Pattern.compile("\\s*([A-Za-z]+)\\s*(?:\\(\\s*(\\d{1,9})\\s*(?:,\\s*(\\d{1,9})\\s*)?\\))?\\s*");

    /** Parses a type such as {@code decimal(18, 2)}; the exception's message says what is wrong. */
    public static ColumnType parse(String text) {
        Matcher m = text == null ? null : SYNTAX.matcher(text);
        if (m == null || !m.matches()) {
            throw new IllegalArgumentException("unknown type '" + text + "'; expected " + EXPECTED);
        }
        Kind kind;
        try {
            kind = Kind.valueOf(m.group(1).toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown type '" + text + "'; expected " + EXPECTED);
        }
        Integer first = m.group(2) == null ? null : Integer.valueOf(m.group(2));
        Integer second = m.group(3) == null ? null : Integer.valueOf(m.group(3));
        return switch (kind) {
            case DECIMAL -> {
                if (first == null || first < 1 || first > MAX_DECIMAL_PRECISION) {
                    throw new IllegalArgumentException("DECIMAL needs a precision 1.." + MAX_DECIMAL_PRECISION
                            + ": DECIMAL(p,s), got '" + text + "'");
                }
                int s = second == null ? 0 : second;
                if (s > first) {
                    throw new IllegalArgumentException("DECIMAL scale must not exceed its precision, got '" + text + "'");
                }
                yield new ColumnType(kind, 0, first, s);
            }
            case CHAR, VARCHAR -> {
                int max = kind == Kind.CHAR ? MAX_CHAR_LENGTH : MAX_VARCHAR_LENGTH;
                if (first == null || second != null || first < 1 || first > max) {
                    throw new IllegalArgumentException(kind + " needs one length 1.." + max + ": " + kind + "(n), got '"
                            + text + "'");
                }
                yield new ColumnType(kind, first, 0, 0);
            }
            default -> {
                if (first != null) {
                    throw new IllegalArgumentException(kind + " takes no arguments, got '" + text + "'");
                }
                yield new ColumnType(kind, 0, 0, 0);
            }
        };
    }

    /** The canonical name: upper case, no spaces ({@code DECIMAL(18,2)}, {@code VARCHAR(32)}). */
    public String sql() {
        return switch (kind) {
            case DECIMAL -> "DECIMAL(" + precision + "," + scale + ")";
            case CHAR, VARCHAR -> kind + "(" + length + ")";
            default -> kind.name();
        };
    }

    /** Whether Doris accepts the type for a key column (not FLOAT, DOUBLE or STRING). */
    public boolean allowedAsKey() {
        return kind != Kind.FLOAT && kind != Kind.DOUBLE && kind != Kind.STRING;
    }

    public boolean isString() {
        return kind == Kind.CHAR || kind == Kind.VARCHAR || kind == Kind.STRING;
    }

    /**
     * The typed value of a non-null text (see the class comment for the Java type of each kind); throws
     * {@link BadValueException} ({@code not a DECIMAL(18,2)}, {@code out of range for TINYINT}) when the storage
     * nodes refuse the text.
     */
    public Object value(String text) {
        return ValueParser.parse(this, text);
    }

    /** {@link #value} as a {@link Comparable}, for range partition bounds. */
    @SuppressWarnings("rawtypes")
    public Comparable comparable(String text) {
        return (Comparable) value(text);
    }

    /** The canonical text of a value's text: {@code canonical(value(text))}. */
    public String canonical(String text) {
        return canonical(value(text));
    }

    /**
     * The canonical text of a typed value: equal values, equal text, whatever text they were loaded from ({@code
     * 007} and {@code 7}, {@code 1.5} and {@code 1.50} in a DECIMAL(5,2)). The job-service hashes it to choose a
     * row's bucket, so it must never change: DECIMAL is its plain text at the column's scale, every other kind its
     * typed value's {@code toString()} (DATETIME in ISO form, {@code 2024-02-29T13:14:15.123}).
     */
    public String canonical(Object value) {
        return value instanceof BigDecimal decimal ? decimal.toPlainString() : value.toString();
    }
}
