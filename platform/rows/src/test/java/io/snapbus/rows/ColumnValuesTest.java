package io.snapbus.rows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import org.junit.jupiter.api.Test;

/** A value's text read into its typed value and canonical text, and the messages of the texts refused. */
class ColumnValuesTest {

    private static Object value(String type, String text) {
        return ColumnType.parse(type).value(text);
    }

    private static String canonical(String type, String text) {
        return ColumnType.parse(type).canonical(text);
    }

    private static void refused(String type, String text, String message) {
        assertThatThrownBy(() -> value(type, text)).isInstanceOf(BadValueException.class).hasMessage(message);
    }

    @Test
    void booleansAreTrueFalseInAnyCaseOrOneAndZero() {
        assertThat(value("BOOLEAN", "TRUE")).isEqualTo(true);
        assertThat(value("BOOLEAN", " false ")).isEqualTo(false);
        assertThat(value("BOOLEAN", "1")).isEqualTo(true);
        assertThat(value("BOOLEAN", "0")).isEqualTo(false);
        refused("BOOLEAN", "yes", "not a BOOLEAN");
        refused("BOOLEAN", "2", "not a BOOLEAN");
    }

    @Test
    void integersKeepTheirTypesRangeUpToBigintsLimits() {
        assertThat(value("TINYINT", "-128")).isEqualTo(-128L);
        assertThat(value("TINYINT", " +127 ")).isEqualTo(127L);
        refused("TINYINT", "128", "out of range for TINYINT");
        refused("SMALLINT", "-32769", "out of range for SMALLINT");
        assertThat(value("INT", "2147483647")).isEqualTo(2_147_483_647L);
        refused("INT", "2147483648", "out of range for INT");
        assertThat(value("BIGINT", "9223372036854775807")).isEqualTo(Long.MAX_VALUE);
        assertThat(value("BIGINT", "-9223372036854775808")).isEqualTo(Long.MIN_VALUE);
        assertThat(value("BIGINT", "9007199254740993")).isEqualTo(9_007_199_254_740_993L);
        refused("BIGINT", "9223372036854775808", "out of range for BIGINT");
        refused("BIGINT", "-99999999999999999999999999", "out of range for BIGINT");
        refused("INT", "1.0", "not a INT");
        refused("INT", "1e3", "not a INT");
        refused("INT", "", "not a INT");
        refused("INT", "0x10", "not a INT");
        assertThat(canonical("INT", "007")).isEqualTo("7");
        assertThat(canonical("BIGINT", "+42")).isEqualTo("42");
    }

    @Test
    void floatsAreDecimalOrScientificTextsNotNanOrInfinity() {
        assertThat(value("FLOAT", "1.5")).isEqualTo(1.5f);
        assertThat(value("FLOAT", ".5")).isEqualTo(0.5f);
        assertThat(value("FLOAT", "1.")).isEqualTo(1.0f);
        assertThat(value("DOUBLE", "2.25e3")).isEqualTo(2250.0);
        assertThat(value("DOUBLE", " -1E-3 ")).isEqualTo(-0.001);
        assertThat(value("FLOAT", "16777217")).isEqualTo(16_777_216f);
        assertThat(value("DOUBLE", "1e308")).isEqualTo(1e308);
        refused("FLOAT", "NaN", "not a FLOAT");
        refused("DOUBLE", "Infinity", "not a DOUBLE");
        refused("FLOAT", "1e39", "out of range for FLOAT");
        refused("DOUBLE", "1e309", "out of range for DOUBLE");
        refused("DOUBLE", "1.5f", "not a DOUBLE");
        refused("DOUBLE", "0x1p3", "not a DOUBLE");
    }

    @Test
    void decimalsRoundHalfUpToTheScaleAndRefuseTooManyIntegerDigits() {
        assertThat(value("DECIMAL(10,3)", "12.3456")).isEqualTo(new BigDecimal("12.346"));
        assertThat(value("DECIMAL(5,2)", "0.005")).isEqualTo(new BigDecimal("0.01"));
        assertThat(value("DECIMAL(5,2)", "-0.005")).isEqualTo(new BigDecimal("-0.01"));
        assertThat(value("DECIMAL(5,2)", "1e2")).isEqualTo(new BigDecimal("100.00"));
        assertThat(value("DECIMAL(5,2)", " +999.994 ")).isEqualTo(new BigDecimal("999.99"));
        assertThat(value("DECIMAL(38,0)", "99999999999999999999999999999999999999"))
                .isEqualTo(new BigDecimal("99999999999999999999999999999999999999"));
        refused("DECIMAL(5,2)", "999.995", "out of range for DECIMAL(5,2)");
        refused("DECIMAL(5,2)", "1000", "out of range for DECIMAL(5,2)");
        refused("DECIMAL(10,3)", "123456789", "out of range for DECIMAL(10,3)");
        refused("DECIMAL(18,2)", "1e999999999", "out of range for DECIMAL(18,2)");
        refused("DECIMAL(18,2)", "abc", "not a DECIMAL(18,2)");
        refused("DECIMAL(18,2)", "1,5", "not a DECIMAL(18,2)");
        assertThat(canonical("DECIMAL(5,2)", "1.5")).isEqualTo("1.50");
        assertThat(canonical("DECIMAL(5,2)", "1.50")).isEqualTo("1.50");
        assertThat(canonical("DECIMAL(5,0)", "1e2")).isEqualTo("100");
    }

    @Test
    void datesAreRealCalendarDatesInYearsZeroTo9999() {
        assertThat(value("DATE", "2024-02-29")).isEqualTo(LocalDate.of(2024, 2, 29));
        assertThat(value("DATE", " 0000-01-01 ")).isEqualTo(LocalDate.of(0, 1, 1));
        refused("DATE", "2023-02-29", "not a DATE");
        refused("DATE", "2024-2-1", "not a DATE");
        refused("DATE", "2024-02-29 00:00:00", "not a DATE");
        refused("DATE", "+10000-01-01", "out of range for DATE");
        assertThat(canonical("DATE", "2024-02-29")).isEqualTo("2024-02-29");
    }

    @Test
    void datetimesTakeADateWithOptionalTimeAndAtMostMilliseconds() {
        assertThat(value("DATETIME", "2024-02-29")).isEqualTo(LocalDateTime.of(2024, 2, 29, 0, 0));
        assertThat(value("DATETIME", "2024-02-29 13:14")).isEqualTo(LocalDateTime.of(2024, 2, 29, 13, 14));
        assertThat(value("DATETIME", "2024-02-29 13:14:15")).isEqualTo(LocalDateTime.of(2024, 2, 29, 13, 14, 15));
        assertThat(value("DATETIME", "2024-02-29T13:14:15.123"))
                .isEqualTo(LocalDateTime.of(2024, 2, 29, 13, 14, 15, 123_000_000));
        assertThat(value("DATETIME", "2024-02-29 13:14:15.120000"))
                .isEqualTo(LocalDateTime.of(2024, 2, 29, 13, 14, 15, 120_000_000));
        refused("DATETIME", "2024-01-01 00:00:00.0001", "not a DATETIME with at most millisecond precision");
        refused("DATETIME", "2024-01-01 24:00:00", "not a DATETIME");
        refused("DATETIME", "2024-01-01 10", "not a DATETIME");
        assertThat(canonical("DATETIME", "2024-02-29 13:14:15.123")).isEqualTo("2024-02-29T13:14:15.123");
        assertThat(canonical("DATETIME", "2024-02-29 00:00:00")).isEqualTo("2024-02-29T00:00");
    }

    @Test
    void charAndVarcharCountUtf8BytesAndStringsTakeAnything() {
        assertThat(value("VARCHAR(4)", "Ås")).isEqualTo("Ås");
        assertThat(value("CHAR(2)", " a")).isEqualTo(" a");
        assertThat(value("VARCHAR(4)", "\uD83D\uDE00")).isEqualTo("\uD83D\uDE00");
        refused("VARCHAR(4)", "Åsane", "longer than VARCHAR(4) (6 bytes)");
        refused("VARCHAR(3)", "\uD83D\uDE00", "longer than VARCHAR(3) (4 bytes)");
        refused("VARCHAR(2)", "\uD800", "longer than VARCHAR(2) (3 bytes)");
        refused("CHAR(2)", "abc", "longer than CHAR(2) (3 bytes)");
        assertThat(value("VARCHAR(65533)", "x".repeat(65_533))).isEqualTo("x".repeat(65_533));
        assertThat(value("STRING", "")).isEqualTo("");
        assertThat(canonical("STRING", " as is ")).isEqualTo(" as is ");
    }

    @Test
    void typedValuesCompareInTheirTypesOrderForRangePartitions() {
        ColumnType date = ColumnType.parse("DATE");
        assertThat(date.comparable("2024-01-31").compareTo(date.comparable("2024-02-01"))).isNegative();
        ColumnType bigint = ColumnType.parse("BIGINT");
        assertThat(bigint.comparable("9").compareTo(bigint.comparable("10"))).isNegative();
    }
}
