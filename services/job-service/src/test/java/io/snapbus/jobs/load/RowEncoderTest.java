package io.snapbus.jobs.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.snapbus.avro.RowFormat;
import io.snapbus.rows.LoadFormat;
import io.snapbus.rows.ParsedRow;
import io.snapbus.rows.RowColumn;
import io.snapbus.rows.RowReader;
import io.snapbus.rows.RowSchema;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Rows a load read (platform/rows' RowReader, tested there) written back for one tablet, in both formats. */
class RowEncoderTest {
    private static final RowSchema SCHEMA = new RowSchema(List.of(
            RowColumn.of("id", "BIGINT", false, null),
            RowColumn.of("name", "VARCHAR(8)", true, null),
            RowColumn.of("amount", "DECIMAL(5,2)", true, "0")));

    @Test
    void encodesProjectedRowsBackInBothFormats() {
        List<ParsedRow> rows = RowReader.readAll(SCHEMA, LoadFormat.CSV,
                "1,\"x\"\"y\",\\N\n".getBytes(StandardCharsets.UTF_8));
        assertThat(new String(RowEncoder.encode(RowFormat.CSV, rows, new int[] {0, 1, 2}, List.of("id", "name",
                "amount")), StandardCharsets.UTF_8)).isEqualTo("\"1\",\"x\"\"y\",\\N\n");
        assertThat(new String(RowEncoder.encode(RowFormat.NDJSON, rows, new int[] {1, 0}, List.of("name", "id")),
                StandardCharsets.UTF_8)).isEqualTo("{\"name\":\"x\\\"y\",\"id\":\"1\"}\n");
    }

    @Test
    void whatTheEncoderWritesTheNodesReadBackAsTheSameValues() {
        List<ParsedRow> rows = RowReader.readAll(SCHEMA, LoadFormat.NDJSON,
                "{\"id\":7,\"name\":\"a,\\\"b\\nc\"}\n{\"id\":8,\"name\":null,\"amount\":1.005}\n"
                        .getBytes(StandardCharsets.UTF_8));
        for (RowFormat format : RowFormat.values()) {
            byte[] encoded = RowEncoder.encode(format, rows, new int[] {0, 1, 2}, List.of("id", "name", "amount"));
            List<ParsedRow> readBack = RowReader.readAll(SCHEMA, LoadFormat.valueOf(format.name()),
                    encoded);
            assertThat(readBack).hasSize(2);
            for (int i = 0; i < rows.size(); i++) {
                assertThat(SCHEMA.canonical(readBack.get(i).values())).as(format + " row " + i)
                        .containsExactly(SCHEMA.canonical(rows.get(i).values()));
            }
        }
    }
}
