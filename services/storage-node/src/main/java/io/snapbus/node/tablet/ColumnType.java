package io.snapbus.node.tablet;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;

/**
 * A column's SQL type: its canonical name, its Avro schema and the parsing of a text value into Avro's
 * representation (DECIMAL: unscaled big-endian bytes; DATE: days since the epoch; DATETIME: epoch millis of the
 * local date-time read as UTC).
 */
record ColumnType(Kind kind, int length, int precision, int scale) {

    enum Kind { BOOLEAN, TINYINT, SMALLINT, INT, BIGINT, FLOAT, DOUBLE, DECIMAL, DATE, DATETIME, CHAR, VARCHAR, STRING }

    static final int MAX_DECIMAL_PRECISION = 38;
    static final int MAX_CHAR_LENGTH = 255;
    static final int MAX_VARCHAR_LENGTH = 65_533;

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

    /** Parses a type name such as {@code decimal(18, 2)}; the message of the exception says what is wrong. */
    static ColumnType parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("no type; expected " + EXPECTED);
        }
        Matcher m = SYNTAX.matcher(text);
        if (!m.matches()) {
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
                if (first == null) {
                    throw new IllegalArgumentException("DECIMAL needs a precision: DECIMAL(p,s), got '" + text + "'");
                }
                int s = second == null ? 0 : second;
                if (first < 1 || first > MAX_DECIMAL_PRECISION) {
                    throw new IllegalArgumentException("DECIMAL precision must be 1.." + MAX_DECIMAL_PRECISION
                            + ", got '" + text + "'");
                }
                if (s > first) {
                    throw new IllegalArgumentException("DECIMAL scale must not exceed its precision, got '" + text + "'");
                }
                yield new ColumnType(kind, 0, first, s);
            }
            case CHAR, VARCHAR -> {
                int max = kind == Kind.CHAR ? MAX_CHAR_LENGTH : MAX_VARCHAR_LENGTH;
                if (first == null || second != null) {
                    throw new IllegalArgumentException(kind + " needs one length: " + kind + "(n), got '" + text + "'");
                }
                if (first < 1 || first > max) {
                    throw new IllegalArgumentException(kind + " length must be 1.." + max + ", got '" + text + "'");
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
    String sql() {
        return switch (kind) {
            case DECIMAL -> "DECIMAL(" + precision + "," + scale + ")";
            case CHAR, VARCHAR -> kind + "(" + length + ")";
            default -> kind.name();
        };
    }

    boolean isString() {
        return kind == Kind.CHAR || kind == Kind.VARCHAR || kind == Kind.STRING;
    }

    /** Doris does not allow these as key columns. */
    boolean canBeKey() {
        return kind != Kind.FLOAT && kind != Kind.DOUBLE && kind != Kind.STRING;
    }

    Schema avroSchema() {
        return switch (kind) {
            case BOOLEAN -> Schema.create(Schema.Type.BOOLEAN);
            case TINYINT, SMALLINT, INT -> Schema.create(Schema.Type.INT);
            case BIGINT -> Schema.create(Schema.Type.LONG);
            case FLOAT -> Schema.create(Schema.Type.FLOAT);
            case DOUBLE -> Schema.create(Schema.Type.DOUBLE);
            case DECIMAL -> LogicalTypes.decimal(precision, scale).addToSchema(Schema.create(Schema.Type.BYTES));
            case DATE -> LogicalTypes.date().addToSchema(Schema.create(Schema.Type.INT));
            case DATETIME -> LogicalTypes.localTimestampMillis().addToSchema(Schema.create(Schema.Type.LONG));
            case CHAR, VARCHAR, STRING -> Schema.create(Schema.Type.STRING);
        };
    }

    /** Why a text is not a value of this type ({@code not a INT}, {@code out of range for TINYINT}). */
    static final class BadValue extends Exception {
        private static final long serialVersionUID = 1L;

        BadValue(String reason) {
            super(reason, null, false, false);
        }
    }

    /** The Avro datum for a non-null text value. */
    Object toAvro(String text) throws BadValue {
        return switch (kind) {
            case BOOLEAN -> parseBoolean(text.strip());
            case TINYINT -> (int) parseInteger(text, Byte.MIN_VALUE, Byte.MAX_VALUE);
            case SMALLINT -> (int) parseInteger(text, Short.MIN_VALUE, Short.MAX_VALUE);
            case INT -> (int) parseInteger(text, Integer.MIN_VALUE, Integer.MAX_VALUE);
            case BIGINT -> parseInteger(text, Long.MIN_VALUE, Long.MAX_VALUE);
            case FLOAT -> {
                float value = Float.parseFloat(requireFloating(text));
                if (Float.isInfinite(value)) {
                    throw outOfRange();
                }
                yield value;
            }
            case DOUBLE -> {
                double value = Double.parseDouble(requireFloating(text));
                if (Double.isInfinite(value)) {
                    throw outOfRange();
                }
                yield value;
            }
            case DECIMAL -> ByteBuffer.wrap(parseDecimal(text.strip()).unscaledValue().toByteArray());
            case DATE -> (int) parseDate(text.strip()).toEpochDay();
            case DATETIME -> parseDateTime(text.strip()).toInstant(ZoneOffset.UTC).toEpochMilli();
            case CHAR, VARCHAR -> requireLength(text);
            case STRING -> text;
        };
    }

    private BadValue notA() {
        return new BadValue("not a " + sql());
    }

    private BadValue outOfRange() {
        return new BadValue("out of range for " + sql());
    }

    private boolean parseBoolean(String text) throws BadValue {
        if (text.equalsIgnoreCase("true") || text.equals("1")) {
            return true;
        }
        if (text.equalsIgnoreCase("false") || text.equals("0")) {
            return false;
        }
        throw notA();
    }

    private long parseInteger(String text, long min, long max) throws BadValue {
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

    private String requireFloating(String text) throws BadValue {
        String number = text.strip();
        if (!FLOATING.matcher(number).matches()) {
            throw notA();
        }
        return number;
    }

    /** Rounds half-up to the scale, as Doris does on load; more integer digits than the type has is an error. */
    private BigDecimal parseDecimal(String text) throws BadValue {
        BigDecimal value;
        try {
            value = new BigDecimal(text);
        } catch (NumberFormatException e) {
            throw notA();
        }
        // Checked before rounding so that an absurd exponent never allocates a huge number.
        if ((long) value.precision() - value.scale() > precision - scale) {
            throw outOfRange();
        }
        BigDecimal rounded = value.setScale(scale, RoundingMode.HALF_UP);
        if (rounded.precision() > precision) {
            throw outOfRange();
        }
        return rounded;
    }

    private LocalDate parseDate(String text) throws BadValue {
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

    private LocalDateTime parseDateTime(String text) throws BadValue {
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
            throw new BadValue("not a " + sql() + " with at most millisecond precision");
        }
        return value;
    }

    private String requireLength(String text) throws BadValue {
        if ((long) text.length() * 3 <= length) {
            return text;
        }
        int bytes = utf8Length(text);
        if (bytes > length) {
            throw new BadValue("longer than " + sql() + " (" + bytes + " bytes)");
        }
        return text;
    }

    private static int utf8Length(String text) {
        int bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }
}
