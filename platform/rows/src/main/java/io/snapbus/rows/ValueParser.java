package io.snapbus.rows;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;
import java.util.Locale;
import java.util.regex.Pattern;

/** Reads a value's text into the typed value of a {@link ColumnType}, with the storage nodes' rules and messages. */
final class ValueParser {
    private static final Pattern INTEGER = Pattern.compile("[+-]?\\d+");
    private static final Pattern FLOATING = Pattern.compile("[+-]?(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][+-]?\\d+)?");
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("uuuu-MM-dd")
            .withResolverStyle(ResolverStyle.STRICT);
    /** {@code yyyy-MM-dd[ HH:mm[:ss[.fraction]]]}; a {@code T} in place of the space is accepted too. */
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

    private final ColumnType type;

    private ValueParser(ColumnType type) {
        this.type = type;
    }

    static Object parse(ColumnType type, String text) {
        ValueParser parser = new ValueParser(type);
        return switch (type.kind()) {
            case BOOLEAN -> parser.parseBoolean(text.strip());
            case TINYINT -> parser.parseInteger(text, Byte.MIN_VALUE, Byte.MAX_VALUE);
            case SMALLINT -> parser.parseInteger(text, Short.MIN_VALUE, Short.MAX_VALUE);
            case INT -> parser.parseInteger(text, Integer.MIN_VALUE, Integer.MAX_VALUE);
            case BIGINT -> parser.parseInteger(text, Long.MIN_VALUE, Long.MAX_VALUE);
            case FLOAT -> parser.parseFloat(text);
            case DOUBLE -> parser.parseDouble(text);
            case DECIMAL -> parser.parseDecimal(text.strip());
            case DATE -> parser.parseDate(text.strip());
            case DATETIME -> parser.parseDateTime(text.strip());
            case CHAR, VARCHAR -> parser.requireLength(text);
            case STRING -> text;
        };
    }

    private BadValueException notA() {
        return new BadValueException("not a " + type.sql());
    }

    private BadValueException outOfRange() {
        return new BadValueException("out of range for " + type.sql());
    }

    /** {@code true}, {@code false} in any case, or {@code 1}, {@code 0}. */
    private Boolean parseBoolean(String text) {
        if (text.equalsIgnoreCase("true") || text.equals("1")) {
            return true;
        }
        if (text.equalsIgnoreCase("false") || text.equals("0")) {
            return false;
        }
        throw notA();
    }

    /** Decimal digits with an optional sign; digits beyond the type's range are out of range, anything else not a. */
    private Long parseInteger(String text, long min, long max) {
        String digits = text.strip();
        long value;
        try {
            value = Long.parseLong(digits);
        } catch (NumberFormatException e) {
            if (INTEGER.matcher(digits).matches()) {
                throw outOfRange();
            }
            throw notA();
        }
        if (value < min || value > max) {
            throw outOfRange();
        }
        return value;
    }

    /** Rounded to the nearest float directly from the text (the value a node stores); NaN and Infinity are refused. */
    private Float parseFloat(String text) {
        float value = Float.parseFloat(requireFloating(text));
        if (Float.isInfinite(value)) {
            throw outOfRange();
        }
        return value;
    }

    private Double parseDouble(String text) {
        double value = Double.parseDouble(requireFloating(text));
        if (Double.isInfinite(value)) {
            throw outOfRange();
        }
        return value;
    }

    private String requireFloating(String text) {
        String number = text.strip();
        if (!FLOATING.matcher(number).matches()) {
            throw notA();
        }
        return number;
    }

    /** Rounds half-up to the scale, as Doris does on load; more integer digits than the type has is an error. */
    private BigDecimal parseDecimal(String text) {
        BigDecimal value;
        try {
            value = new BigDecimal(text);
        } catch (NumberFormatException e) {
            throw notA();
        }
        // Checked before rounding so that an absurd exponent never allocates a huge number.
        if ((long) value.precision() - value.scale() > type.precision() - type.scale()) {
            throw outOfRange();
        }
        BigDecimal rounded = value.setScale(type.scale(), RoundingMode.HALF_UP);
        if (rounded.precision() > type.precision()) {
            throw outOfRange();
        }
        return rounded;
    }

    /** {@code yyyy-MM-dd}, a real calendar date in years 0..9999. */
    private LocalDate parseDate(String text) {
        LocalDate date;
        try {
            date = LocalDate.parse(text, DATE);
        } catch (DateTimeParseException e) {
            throw notA();
        }
        if (date.getYear() < 0 || date.getYear() > 9999) {
            throw outOfRange();
        }
        return date;
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
            throw new BadValueException("not a " + type.sql() + " with at most millisecond precision");
        }
        return value;
    }

    /** CHAR(n) and VARCHAR(n) count UTF-8 bytes, as Doris does. */
    private String requireLength(String text) {
        if ((long) text.length() * 3 <= type.length()) {
            return text;
        }
        int bytes = Utf8.length(text);
        if (bytes > type.length()) {
            throw new BadValueException("longer than " + type.sql() + " (" + bytes + " bytes)");
        }
        return text;
    }
}
