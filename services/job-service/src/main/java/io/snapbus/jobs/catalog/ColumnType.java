package io.snapbus.jobs.catalog;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A column type the storage nodes accept, and the checking of a value's text against it, with the same rules as the
 * node (so a load is refused here, before anything is sent). {@link #comparable} orders values for range partitioning.
 */
public record ColumnType(Kind kind, int length, int precision, int scale) {

    public enum Kind { BOOLEAN, TINYINT, SMALLINT, INT, BIGINT, FLOAT, DOUBLE, DECIMAL, DATE, DATETIME, CHAR, VARCHAR, STRING }

    private static final String EXPECTED = "BOOLEAN, TINYINT, SMALLINT, INT, BIGINT, FLOAT, DOUBLE, DECIMAL(p,s), DATE,"
            + " DATETIME, CHAR(n), VARCHAR(n) or STRING";
    private static final Pattern SYNTAX =
            Pattern.compile("\\s*([A-Za-z]+)\\s*(?:\\(\\s*(\\d{1,9})\\s*(?:,\\s*(\\d{1,9})\\s*)?\\))?\\s*");
    private static final Pattern FLOATING = Pattern.compile("[+-]?(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][+-]?\\d+)?");
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("uuuu-MM-dd")
            .withResolverStyle(ResolverStyle.STRICT);
    private static final DateTimeFormatter DATETIME = new DateTimeFormatterBuilder()
            .appendPattern("uuuu-MM-dd")
            .optionalStart().appendLiteral(' ').appendPattern("HH:mm")
            .optionalStart().appendLiteral(':').appendPattern("ss")
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 1, 9, true).optionalEnd()
            .optionalEnd()
            .optionalEnd()
            .parseDefaulting(ChronoField.HOUR_OF_DAY, 0)
            .parseDefaulting(ChronoField.MINUTE_OF_HOUR, 0)
            .parseDefaulting(ChronoField.SECOND_OF_MINUTE, 0)
            .toFormatter(Locale.ROOT)
            .withResolverStyle(ResolverStyle.STRICT);

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
        switch (kind) {
            case DECIMAL -> {
                if (first == null || first < 1 || first > 38) {
                    throw new IllegalArgumentException("DECIMAL needs a precision 1..38: DECIMAL(p,s), got '" + text + "'");
                }
                int s = second == null ? 0 : second;
                if (s > first) {
                    throw new IllegalArgumentException("DECIMAL scale must not exceed its precision, got '" + text + "'");
                }
                return new ColumnType(kind, 0, first, s);
            }
            case CHAR, VARCHAR -> {
                int max = kind == Kind.CHAR ? 255 : 65_533;
                if (first == null || second != null || first < 1 || first > max) {
                    throw new IllegalArgumentException(kind + " needs one length 1.." + max + ": " + kind + "(n), got '"
                            + text + "'");
                }
                return new ColumnType(kind, first, 0, 0);
            }
            default -> {
                if (first != null) {
                    throw new IllegalArgumentException(kind + " takes no arguments, got '" + text + "'");
                }
                return new ColumnType(kind, 0, 0, 0);
            }
        }
    }

    /** Upper case, no spaces: {@code DECIMAL(18,2)}, {@code VARCHAR(32)}. */
    public String sql() {
        return switch (kind) {
            case DECIMAL -> "DECIMAL(" + precision + "," + scale + ")";
            case CHAR, VARCHAR -> kind + "(" + length + ")";
            default -> kind.name();
        };
    }

    /** Whether the storage nodes accept the type for a key column. */
    public boolean allowedAsKey() {
        return kind != Kind.FLOAT && kind != Kind.DOUBLE && kind != Kind.STRING;
    }

    public boolean isString() {
        return kind == Kind.CHAR || kind == Kind.VARCHAR || kind == Kind.STRING;
    }

    /**
     * The value as a comparable (Long, BigDecimal, Double, Boolean, LocalDate, LocalDateTime, String); throws
     * IllegalArgumentException ("not a DECIMAL(18,2)") when the node would refuse it.
     */
    @SuppressWarnings("rawtypes")
    public Comparable comparable(String text) {
        return switch (kind) {
            case BOOLEAN -> parseBoolean(text.strip());
            case TINYINT -> parseInteger(text, Byte.MIN_VALUE, Byte.MAX_VALUE);
            case SMALLINT -> parseInteger(text, Short.MIN_VALUE, Short.MAX_VALUE);
            case INT -> parseInteger(text, Integer.MIN_VALUE, Integer.MAX_VALUE);
            case BIGINT -> parseInteger(text, Long.MIN_VALUE, Long.MAX_VALUE);
            case FLOAT, DOUBLE -> parseFloating(text);
            case DECIMAL -> parseDecimal(text.strip());
            case DATE -> parseDate(text.strip());
            case DATETIME -> parseDateTime(text.strip());
            case CHAR, VARCHAR -> requireLength(text);
            case STRING -> text;
        };
    }

    /** A canonical text of the value (equal values, equal text), for hashing rows to buckets. */
    public String canonical(String text) {
        Object value = comparable(text);
        return value instanceof BigDecimal decimal ? decimal.toPlainString() : value.toString();
    }

    private IllegalArgumentException notA() {
        return new IllegalArgumentException("not a " + sql());
    }

    private IllegalArgumentException outOfRange() {
        return new IllegalArgumentException("out of range for " + sql());
    }

    private Boolean parseBoolean(String text) {
        if (text.equalsIgnoreCase("true") || text.equals("1")) {
            return true;
        }
        if (text.equalsIgnoreCase("false") || text.equals("0")) {
            return false;
        }
        throw notA();
    }

    private Long parseInteger(String text, long min, long max) {
        String digits = text.strip();
        long value;
        try {
            value = Long.parseLong(digits);
        } catch (NumberFormatException e) {
            if (digits.matches("[+-]?\\d+")) {
                throw outOfRange();
            }
            throw notA();
        }
        if (value < min || value > max) {
            throw outOfRange();
        }
        return value;
    }

    private Double parseFloating(String text) {
        String number = text.strip();
        if (!FLOATING.matcher(number).matches()) {
            throw notA();
        }
        double value = Double.parseDouble(number);
        if (Double.isInfinite(value) || (kind == Kind.FLOAT && Float.isInfinite((float) value))) {
            throw outOfRange();
        }
        return value;
    }

    private BigDecimal parseDecimal(String text) {
        BigDecimal value;
        try {
            value = new BigDecimal(text);
        } catch (NumberFormatException e) {
            throw notA();
        }
        if ((long) value.precision() - value.scale() > precision - scale) {
            throw outOfRange();
        }
        BigDecimal rounded = value.setScale(scale, RoundingMode.HALF_UP);
        if (rounded.precision() > precision) {
            throw outOfRange();
        }
        return rounded;
    }

    private LocalDate parseDate(String text) {
        try {
            LocalDate date = LocalDate.parse(text, DATE);
            if (date.getYear() < 0 || date.getYear() > 9999) {
                throw outOfRange();
            }
            return date;
        } catch (DateTimeParseException e) {
            throw notA();
        }
    }

    private LocalDateTime parseDateTime(String text) {
        String normalised = text.length() > 10 && text.charAt(10) == 'T'
                ? text.substring(0, 10) + ' ' + text.substring(11) : text;
        LocalDateTime value;
        try {
            value = LocalDateTime.parse(normalised, DATETIME);
        } catch (DateTimeParseException e) {
            throw notA();
        }
        if (value.getYear() < 0 || value.getYear() > 9999) {
            throw outOfRange();
        }
        if (value.getNano() % 1_000_000 != 0) {
            throw new IllegalArgumentException("not a " + sql() + " with at most millisecond precision");
        }
        return value;
    }

    private String requireLength(String text) {
        int bytes = text.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > length) {
            throw new IllegalArgumentException("longer than " + sql() + " (" + bytes + " bytes)");
        }
        return text;
    }

}
