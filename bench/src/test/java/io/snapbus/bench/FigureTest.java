package io.snapbus.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class FigureTest {
    @Test
    void printsOneJsonLineWithRoundedValuesAndANoteThatNeedsEscaping() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

        Figure.of("recovery", "first_result_after_restart", 1.23456, 2, "s").with("tablets", 1000)
                .with("twice", false).with("baseline", Figure.of("recovery", "base", 7.0, 1, "s").with("jobs", 3))
                .with("note", "a \"quoted\" path C:\\tmp\nand a second line").printTo(out);

        String printed = bytes.toString(StandardCharsets.UTF_8);
        assertThat(printed).endsWith(System.lineSeparator()).doesNotContain("\n\"").hasLineCount(1);
        assertThat(printed).startsWith("{\"scenario\":\"recovery\",\"metric\":\"first_result_after_restart\","
                + "\"value\":1.23,\"unit\":\"s\",");
        JsonNode line = new ObjectMapper().readTree(printed);
        assertThat(line.get("baseline").toString()).isEqualTo("{\"value\":7.0,\"unit\":\"s\",\"jobs\":3}");
        assertThat(line.get("note").asText()).isEqualTo("a \"quoted\" path C:\\tmp\nand a second line");
        assertThat(line.get("twice").asBoolean()).isFalse();
    }
}
