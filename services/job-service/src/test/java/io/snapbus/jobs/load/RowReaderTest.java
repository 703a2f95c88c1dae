package io.snapbus.jobs.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snapbus.avro.Column;
import io.snapbus.avro.RowFormat;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class RowReaderTest {
    private final RowReader reader = new RowReader(List.of(
            new Column("id", "BIGINT", true, false, null, null, ""),
            new Column("name", "VARCHAR(8)", false, true, null, null, ""),
            new Column("amount", "DECIMAL(5,2)", false, true, null, "0", "")));

    @Test
    void readsNdjsonWithDefaultsAndNulls() {
        List<ParsedRow> rows = reader.read(RowFormat.NDJSON, bytes("{\"id\":1,\"name\":null}\n\n{\"ID\":2,"
                + "\"amount\":1.5}\n"));
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0).values()).containsExactly("1", null, "0");
        assertThat(rows.get(1).line()).isEqualTo(3);
        assertThat(rows.get(1).values()).containsExactly("2", null, "1.5");
    }

    @Test
    void readsQuotedCsvAndNullMarkers() {
        List<ParsedRow> rows = reader.read(RowFormat.CSV, bytes("1,\"a,\"\"b\",\\N\r\n2,,\n"));
        assertThat(rows.get(0).values()).containsExactly("1", "a,\"b", null);
        assertThat(rows.get(1).values()).containsExactly("2", "", null);
    }

    @Test
    void namesTheLineOfTheFirstBadRow() {
        assertThatThrownBy(() -> reader.read(RowFormat.CSV, bytes("1,a,1\n2,toolongname,1\n")))
                .hasMessage("line 2: column name: longer than VARCHAR(8) (11 bytes): 'toolongname'");
        assertThatThrownBy(() -> reader.read(RowFormat.CSV, bytes("1,a,1000.00\n")))
                .hasMessageContaining("line 1: column amount: out of range for DECIMAL(5,2)");
        assertThatThrownBy(() -> reader.read(RowFormat.NDJSON, bytes("{\"name\":\"x\"}\n")))
                .hasMessageContaining("line 1: column id is NOT NULL");
        assertThatThrownBy(() -> reader.read(RowFormat.CSV, bytes("1,\"open\n")))
                .hasMessageContaining("line 1: unterminated quoted field");
    }

    @Test
    void encodesProjectedRowsBackInBothFormats() {
        List<ParsedRow> rows = reader.read(RowFormat.CSV, bytes("1,\"x\"\"y\",\\N\n"));
        assertThat(new String(RowEncoder.encode(RowFormat.CSV, rows, new int[] {0, 1, 2}, List.of("id", "name",
                "amount")), StandardCharsets.UTF_8)).isEqualTo("\"1\",\"x\"\"y\",\\N\n");
        assertThat(new String(RowEncoder.encode(RowFormat.NDJSON, rows, new int[] {1, 0}, List.of("name", "id")),
                StandardCharsets.UTF_8)).isEqualTo("{\"name\":\"x\\\"y\",\"id\":\"1\"}\n");
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
