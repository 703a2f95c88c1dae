package io.snapbus.rows;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every value form and row form that both former copies accepted (the job-service's load check and the storage
 * node's row parser, checked against both before they were deleted) is still accepted, with the value it had.
 */
class FormsBothCopiesAcceptedTest {

    /** Type, text, canonical text of the value. */
    private record Form(String type, String text, String canonical) {}

    static final List<Form> VALUE_FORMS = List.of(
            new Form("BOOLEAN", "true", "true"), new Form("BOOLEAN", "TRUE", "true"), new Form("BOOLEAN", "False", "false"),
            new Form("BOOLEAN", "1", "true"), new Form("BOOLEAN", "0", "false"), new Form("BOOLEAN", " true ", "true"),
            new Form("TINYINT", "-128", "-128"), new Form("TINYINT", "127", "127"), new Form("SMALLINT", "+300", "300"),
            new Form("INT", " 42 ", "42"), new Form("INT", "007", "7"), new Form("INT", "-0", "0"),
            new Form("BIGINT", "9223372036854775807", "9223372036854775807"),
            new Form("BIGINT", "-9223372036854775808", "-9223372036854775808"),
            new Form("FLOAT", "1.5", "1.5"), new Form("FLOAT", ".5", "0.5"), new Form("FLOAT", "1.", "1.0"),
            new Form("FLOAT", "-2.5E-3", "-0.0025"), new Form("DOUBLE", "2.25e3", "2250.0"),
            new Form("DOUBLE", " 1e308 ", "1.0E308"), new Form("DOUBLE", "+0.1", "0.1"),
            new Form("DECIMAL(10,3)", "12.3456", "12.346"), new Form("DECIMAL(5,2)", "0.005", "0.01"),
            new Form("DECIMAL(5,2)", "-999.99", "-999.99"), new Form("DECIMAL(5,2)", "1e2", "100.00"),
            new Form("DECIMAL(5,2)", " 7 ", "7.00"), new Form("DECIMAL(38,0)", "1" + "0".repeat(37), "1" + "0".repeat(37)),
            new Form("DATE", "2024-02-29", "2024-02-29"), new Form("DATE", " 9999-12-31 ", "9999-12-31"),
            new Form("DATETIME", "2024-02-29", "2024-02-29T00:00"),
            new Form("DATETIME", "2024-02-29 13:14", "2024-02-29T13:14"),
            new Form("DATETIME", "2024-02-29 13:14:15", "2024-02-29T13:14:15"),
            new Form("DATETIME", "2024-02-29 13:14:15.1", "2024-02-29T13:14:15.100"),
            new Form("DATETIME", "2024-02-29T13:14:15.123", "2024-02-29T13:14:15.123"),
            new Form("DATETIME", "2024-02-29 13:14:15.120000", "2024-02-29T13:14:15.120"),
            new Form("CHAR(2)", "NO", "NO"), new Form("VARCHAR(4)", "Ås", "Ås"), new Form("VARCHAR(4)", "😀", "😀"),
            new Form("VARCHAR(3)", "", ""), new Form("STRING", " keeps spaces ", " keeps spaces "));

    @Test
    void everyValueFormIsStillAcceptedWithTheSameValue() {
        for (Form form : VALUE_FORMS) {
            assertThat(ColumnType.parse(form.type()).canonical(form.text())).as(form.toString())
                    .isEqualTo(form.canonical());
        }
    }

    private static final RowSchema SCHEMA = new RowSchema(List.of(RowColumn.of("id", "INT", false, null),
            RowColumn.of("city", "VARCHAR(32)", true, null), RowColumn.of("amount", "DECIMAL(18,2)", true, null)));

    private static List<List<String>> texts(LoadFormat format, String body) {
        return RowReader.readAll(SCHEMA, format, body.getBytes(StandardCharsets.UTF_8)).stream()
                .map(row -> java.util.Arrays.asList(row.texts())).toList();
    }

    @Test
    void everyCsvFormIsStillAccepted() {
        assertThat(texts(LoadFormat.CSV, "1,\"Paris, \"\"France\"\"\",12.50\r\n2,\"multi\nline\",\\N\n3,,\n4,\"\",0.005\n"))
                .containsExactly(List.of("1", "Paris, \"France\"", "12.50"), java.util.Arrays.asList("2", "multi\nline",
                        null), java.util.Arrays.asList("3", "", null), List.of("4", "", "0.005"));
        assertThat(texts(LoadFormat.CSV, "\n1,a,1\n\n2,b,\r\n3,\\N,\"7\"")).hasSize(3);
        assertThat(texts(LoadFormat.CSV, "\uFEFF1,a,1")).containsExactly(List.of("1", "a", "1"));
        assertThat(texts(LoadFormat.CSV, "1,a,1\r")).containsExactly(List.of("1", "a", "1"));
        assertThat(texts(LoadFormat.CSV, "\"1\",\"a\",\"1\"\r\n")).containsExactly(List.of("1", "a", "1"));
    }

    @Test
    void everyNdjsonFormIsStillAccepted() {
        assertThat(texts(LoadFormat.NDJSON, "{\"id\":1,\"city\":\"Oslo\",\"amount\":\"10.50\"}\r\n\n"
                + "{\"ID\":\"2\",\"City\":null,\"amount\":3}\n  \n{\"id\":3}\n{\"id\":4,\"amount\":1.25,\"city\":5}"))
                .containsExactly(List.of("1", "Oslo", "10.50"), java.util.Arrays.asList("2", null, "3"),
                        java.util.Arrays.asList("3", null, null), List.of("4", "5", "1.25"));
    }
}
