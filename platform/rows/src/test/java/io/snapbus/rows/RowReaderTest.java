package io.snapbus.rows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

/** NDJSON and CSV rows read against a schema: texts, typed values, NULLs, defaults and the messages of bad rows. */
class RowReaderTest {
    private static final RowSchema LOAD = new RowSchema(List.of(
            RowColumn.of("id", "BIGINT", false, null),
            RowColumn.of("name", "VARCHAR(8)", true, null),
            RowColumn.of("amount", "DECIMAL(5,2)", true, "0")));

    static final RowSchema ALL_TYPES = new RowSchema(List.of(
            RowColumn.of("k", "INT", false, null),
            RowColumn.of("flag", "BOOLEAN", true, null),
            RowColumn.of("tiny", "TINYINT", true, null),
            RowColumn.of("small", "smallint", true, null),
            RowColumn.of("big", "BIGINT", true, null),
            RowColumn.of("f", "FLOAT", true, null),
            RowColumn.of("d", "DOUBLE", true, null),
            RowColumn.of("amount", "decimal( 10 , 3 )", true, null),
            RowColumn.of("day", "DATE", true, null),
            RowColumn.of("at", "DATETIME", true, null),
            RowColumn.of("code", "CHAR(2)", true, null),
            RowColumn.of("name", "VARCHAR(4)", true, null),
            RowColumn.of("note", "STRING", false, null)));

    static List<ParsedRow> read(RowSchema schema, LoadFormat format, String body) {
        return RowReader.readAll(schema, format, body.getBytes(StandardCharsets.UTF_8));
    }

    private static String error(RowSchema schema, LoadFormat format, String body) {
        return org.junit.jupiter.api.Assertions.assertThrows(BadRowException.class, () -> read(schema, format, body))
                .getMessage();
    }

    @Test
    void readsNdjsonWithDefaultsAndNulls() {
        List<ParsedRow> rows = read(LOAD, LoadFormat.NDJSON, "{\"id\":1,\"name\":null}\n\n{\"ID\":2,\"amount\":1.5}\n");
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0).texts()).containsExactly("1", null, "0");
        assertThat(rows.get(0).values()).containsExactly(1L, null, new BigDecimal("0.00"));
        assertThat(rows.get(1).line()).isEqualTo(3);
        assertThat(rows.get(1).texts()).containsExactly("2", null, "1.5");
    }

    @Test
    void readsQuotedCsvAndNullMarkers() {
        List<ParsedRow> rows = read(LOAD, LoadFormat.CSV, "1,\"a,\"\"b\",\\N\r\n2,,\n");
        assertThat(rows.get(0).texts()).containsExactly("1", "a,\"b", null);
        assertThat(rows.get(1).texts()).containsExactly("2", "", null);
    }

    @Test
    void everyTypeReadsFromNdjsonAndCsvAlike() {
        String json = "{\"k\":1,\"flag\":true,\"tiny\":-128,\"small\":\"300\",\"big\":9007199254740993,\"f\":1.5,"
                + "\"d\":\"2.25e3\",\"amount\":12.3456,\"day\":\"2024-02-29\",\"at\":\"2024-02-29 13:14:15.123\","
                + "\"code\":\"NO\",\"name\":\"Ås\",\"note\":\"ok\"}";
        String csv = "1,1,-128,300,9007199254740993,1.5,2.25e3,12.3456,2024-02-29,2024-02-29T13:14:15.123,NO,Ås,ok";

        Object[] fromJson = read(ALL_TYPES, LoadFormat.NDJSON, json).get(0).values();
        Object[] fromCsv = read(ALL_TYPES, LoadFormat.CSV, csv).get(0).values();

        assertThat(fromCsv).isEqualTo(fromJson);
        assertThat(fromJson).containsExactly(1L, true, -128L, 300L, 9_007_199_254_740_993L, 1.5f, 2250.0,
                new BigDecimal("12.346"), LocalDate.of(2024, 2, 29),
                LocalDateTime.of(2024, 2, 29, 13, 14, 15, 123_000_000), "NO", "Ås", "ok");
        assertThat(ALL_TYPES.canonical(fromJson)).containsExactly("1", "true", "-128", "300", "9007199254740993",
                "1.5", "2250.0", "12.346", "2024-02-29", "2024-02-29T13:14:15.123", "NO", "Ås", "ok");
    }

    @Test
    void nullsAreMissingKeysJsonNullsAndInCsvBackslashNOrEmptyNonStrings() {
        Object[] json = read(ALL_TYPES, LoadFormat.NDJSON, "{\"k\":1,\"flag\":null,\"note\":\"\"}").get(0).values();
        Object[] csv = read(ALL_TYPES, LoadFormat.CSV, "1,\\N,,,,,,,,,,\"\",\"\"").get(0).values();

        assertThat(json).containsExactly(1L, null, null, null, null, null, null, null, null, null, null, null, "");
        assertThat(csv).containsExactly(1L, null, null, null, null, null, null, null, null, null, "", "", "");
        assertThat(read(ALL_TYPES, LoadFormat.CSV, "1,,,,,,,,,,,,").get(0).values()[12]).isEqualTo("");
        assertThat(read(ALL_TYPES, LoadFormat.CSV, "1,,,,,,,,,,,,\"\\N\"").get(0).values()[12]).isEqualTo("\\N");
        assertThat(ALL_TYPES.canonical(json)[1]).isNull();
    }

    /** Jackson's tree drops trailing zeros of a JSON decimal, as it did in both copies this reader replaces. */
    @Test
    void jsonNumbersBecomeTheirPlainDecimalText() {
        RowSchema schema = new RowSchema(List.of(RowColumn.of("i", "INT", true, null),
                RowColumn.of("s", "STRING", true, null), RowColumn.of("d", "DOUBLE", true, null)));
        ParsedRow row = read(schema, LoadFormat.NDJSON, "{\"i\":1e3,\"s\":1.0E-7,\"d\":-0.50}").get(0);
        assertThat(row.texts()).containsExactly("1000", "0.0000001", "-0.5");
        assertThat(row.values()).containsExactly(1000L, "0.0000001", -0.5);
        assertThat(read(schema, LoadFormat.NDJSON, "{\"i\":100.0}").get(0).values()[0]).isEqualTo(100L);
        assertThat(read(schema, LoadFormat.NDJSON, "{\"s\":123456789012345678901234567890}").get(0).texts()[1])
                .isEqualTo("123456789012345678901234567890");
    }

    @Test
    void anAbsurdJsonExponentIsNeverWrittenOutInFull() {
        RowSchema schema = new RowSchema(List.of(RowColumn.of("i", "BIGINT", true, null),
                RowColumn.of("s", "STRING", true, null)));
        assertThat(read(schema, LoadFormat.NDJSON, "{\"s\":1e999999999}").get(0).texts()[1]).isEqualTo("1E+999999999");
        assertThat(error(schema, LoadFormat.NDJSON, "{\"i\":1e999999999}"))
                .isEqualTo("line 1: column i: not a BIGINT: '1E+999999999'");
        assertThat(read(schema, LoadFormat.NDJSON, "{\"s\":1e1000}").get(0).texts()[1]).hasSize(1001);
    }

    @Test
    void namesTheLineOfTheFirstBadRow() {
        assertThat(error(LOAD, LoadFormat.CSV, "1,a,1\n2,toolongname,1\n"))
                .isEqualTo("line 2: column name: longer than VARCHAR(8) (11 bytes): 'toolongname'");
        assertThat(error(LOAD, LoadFormat.CSV, "1,a,1000.00\n"))
                .isEqualTo("line 1: column amount: out of range for DECIMAL(5,2): '1000.00'");
        assertThat(error(LOAD, LoadFormat.NDJSON, "{\"name\":\"x\"}\n"))
                .isEqualTo("line 1: column id is NOT NULL but the row has no value");
        assertThat(error(LOAD, LoadFormat.CSV, "1,\"open\n")).isEqualTo("line 1: unterminated quoted field");
    }

    @Test
    void badValuesNameTheLineTheColumnTheTypeAndTheValue() {
        assertThat(error(ALL_TYPES, LoadFormat.NDJSON, "{\"k\":1,\"note\":\"\"}\n{\"k\":2,\"tiny\":128,\"note\":\"\"}"))
                .isEqualTo("line 2: column tiny: out of range for TINYINT: '128'");
        assertThat(error(ALL_TYPES, LoadFormat.NDJSON, "{\"k\":1,\"amount\":123456789,\"note\":\"\"}"))
                .isEqualTo("line 1: column amount: out of range for DECIMAL(10,3): '123456789'");
        assertThat(error(ALL_TYPES, LoadFormat.NDJSON, "{\"k\":1,\"day\":\"2023-02-29\",\"note\":\"\"}"))
                .isEqualTo("line 1: column day: not a DATE: '2023-02-29'");
        assertThat(error(ALL_TYPES, LoadFormat.NDJSON, "{\"k\":1,\"name\":\"Åsane\",\"note\":\"\"}"))
                .isEqualTo("line 1: column name: longer than VARCHAR(4) (6 bytes): 'Åsane'");
        assertThat(error(ALL_TYPES, LoadFormat.NDJSON, "{\"k\":1,\"flag\":\"yes\",\"note\":\"\"}"))
                .isEqualTo("line 1: column flag: not a BOOLEAN: 'yes'");
        assertThat(error(ALL_TYPES, LoadFormat.NDJSON, "{\"k\":1,\"f\":\"NaN\",\"note\":\"\"}"))
                .isEqualTo("line 1: column f: not a FLOAT: 'NaN'");
        assertThat(error(ALL_TYPES, LoadFormat.NDJSON, "{\"k\":1,\"at\":\"2024-01-01 00:00:00.0001\",\"note\":\"\"}"))
                .isEqualTo("line 1: column at: not a DATETIME with at most millisecond precision:"
                        + " '2024-01-01 00:00:00.0001'");
        assertThat(error(ALL_TYPES, LoadFormat.NDJSON, "{\"k\":1,\"big\":[1],\"note\":\"\"}"))
                .isEqualTo("line 1: column big: not a BIGINT: [1]");
        assertThat(error(ALL_TYPES, LoadFormat.NDJSON, "{\"k\":1,\"note\":\"\",\"extra\":1}"))
                .isEqualTo("line 1: unknown column 'extra'");
        assertThat(error(ALL_TYPES, LoadFormat.NDJSON, "{\"k\":1}"))
                .isEqualTo("line 1: column note is NOT NULL but the row has no value");
        assertThat(error(ALL_TYPES, LoadFormat.NDJSON, "{\"k\":1,\"note\":\"\"} {}")).startsWith("line 1: not valid JSON");
        assertThat(error(ALL_TYPES, LoadFormat.NDJSON, "{\"k\":1,\"k\":2,\"note\":\"\"}"))
                .startsWith("line 1: not valid JSON: Duplicate field 'k'");
        assertThat(error(ALL_TYPES, LoadFormat.NDJSON, "[1]")).isEqualTo("line 1: not a JSON object");
        assertThat(error(ALL_TYPES, LoadFormat.CSV, "\\N,,,,,,,,,,,,x"))
                .isEqualTo("line 1: column k is NOT NULL but the row has no value");
        assertThat(error(ALL_TYPES, LoadFormat.CSV, ",,,,,,,,,,,,x")).isEqualTo("line 1: column k: not a INT: ''");
        assertThat(error(ALL_TYPES, LoadFormat.CSV, "1,,,,,,,,,,,,\"x\nx\"\n\"2\",,,,,,,,,,,,\"x\"y"))
                .isEqualTo("line 3: unexpected character after a quoted field");
        assertThat(error(ALL_TYPES, LoadFormat.CSV, "1,,,,,,,,,,,,a\"b")).isEqualTo("line 1: a quote inside an unquoted field");
        assertThat(error(ALL_TYPES, LoadFormat.CSV, "1,,\n")).isEqualTo("line 1: expected 13 fields, got 3");
    }

    @Test
    void longValuesAreShownCut() {
        assertThat(error(LOAD, LoadFormat.CSV, "1," + "x".repeat(100) + ",1"))
                .isEqualTo("line 1: column name: longer than VARCHAR(8) (100 bytes): '" + "x".repeat(64) + "…'");
    }

    @Test
    void theBodyIsStrictUtf8AndMayStartWithAByteOrderMark() {
        byte[] invalid = {'1', ',', 'a', ',', '1', '\n', '2', (byte) 0xC3, '\n'};
        assertThatThrownBy(() -> RowReader.readAll(LOAD, LoadFormat.CSV, invalid)).isInstanceOf(BadRowException.class)
                .hasMessage("line 2: the body is not valid UTF-8 (byte 7)");
        assertThat(read(LOAD, LoadFormat.CSV, "\uFEFF1,a,1\n").get(0).texts()).containsExactly("1", "a", "1");
        assertThat(read(LOAD, LoadFormat.NDJSON, "\uFEFF{\"id\":1}\r\n").get(0).texts()).containsExactly("1", null, "0");
    }

    @Test
    void anEmptyBodyHasNoRows() throws Exception {
        assertThat(read(LOAD, LoadFormat.CSV, "")).isEmpty();
        assertThat(read(LOAD, LoadFormat.NDJSON, "\n  \n")).isEmpty();
        assertThat(RowReader.read(LOAD, LoadFormat.CSV, "1,a,1\n2,b,2".getBytes(StandardCharsets.UTF_8), row -> { }))
                .isEqualTo(2);
    }
}
