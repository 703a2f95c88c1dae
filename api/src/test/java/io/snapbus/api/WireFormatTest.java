package io.snapbus.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.snapbus.api.catalog.ColumnSpec;
import io.snapbus.api.catalog.TableColumn;
import io.snapbus.api.catalog.Table;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** The JSON of the records is what the document and docs/api.md say, and a client reads what a newer service adds. */
class WireFormatTest {
    private final JsonMapper json = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    @Test
    void keyAndBaseFlagsKeepTheirNames() {
        assertThat(json.writeValueAsString(ColumnSpec.key("id", "INT"))).contains("\"isKey\":true");
        TableColumn column = json.readValue("{\"name\":\"id\",\"type\":\"INT\",\"isKey\":true,"
                + "\"nullable\":false,\"comment\":\"\"}", TableColumn.class);
        assertThat(column.isKey()).isTrue();
    }

    @Test
    void aListedTableLeavesOutWhatOnlyShowHas() {
        Table listed = new Table(1, 2, "t", "OLAP", "DUP_KEYS", List.of(), List.of(), List.of("id"), 1, 1, List.of(),
                "NORMAL", Map.of(), "", null, null);
        assertThat(json.writeValueAsString(listed)).doesNotContain("commitSeq").doesNotContain("partitions");
    }

    @Test
    void aProblemWithMembersThisClientDoesNotKnowIsRead() {
        ApiProblem problem = json.readValue("{\"type\":\"urn:snapbus:problem:invalid-request\",\"title\":\"x\","
                + "\"status\":400,\"detail\":\"name: a table needs a name\",\"instance\":\"/api/v1/x\","
                + "\"code\":\"INVALID_REQUEST\",\"errors\":[{\"field\":\"name\",\"message\":\"m\"}],"
                + "\"traceId\":\"abc\"}", ApiProblem.class);
        assertThat(problem.problemType()).isEqualTo(ProblemType.INVALID_REQUEST);
        assertThat(problem.errors()).containsExactly(new ApiProblem.FieldError("name", "m"));
    }

    @Test
    void aPageReadsBackWithItsItemType() {
        Page<String> page = json.readValue("{\"items\":[\"a\"],\"total\":3,\"offset\":0,\"limit\":1,"
                + "\"nextOffset\":1}", new TypeReference<Page<String>>() {});
        assertThat(page).isEqualTo(new Page<>(List.of("a"), 3, 0, 1, 1));
    }
}
