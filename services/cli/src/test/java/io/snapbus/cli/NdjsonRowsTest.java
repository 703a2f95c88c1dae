package io.snapbus.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class NdjsonRowsTest {
    @Test
    void writesOneCompactObjectALineWithEscapedStrings() {
        byte[] rows = new NdjsonRows(0)
                .row(row -> {
                    row.writeNumberField("id", 1);
                    row.writeStringField("v", "a \"quoted\"\nline");
                })
                .row(row -> row.writeNumberField("id", 2))
                .toBytes();

        assertThat(new String(rows, StandardCharsets.UTF_8))
                .isEqualTo("{\"id\":1,\"v\":\"a \\\"quoted\\\"\\nline\"}\n{\"id\":2}\n");
    }
}
