package io.snapbus.jobs.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LazyRecordsTest {
    @Test
    void buildsEachRecordOnlyWhenItIsReadInTheOrderAdded() {
        List<String> built = new ArrayList<>();
        LazyRecords<String> records = new LazyRecords<>();
        records.add("7/tablets/0", () -> { built.add("0"); return "chunk 0"; });
        records.add("7/tablets/1", () -> { built.add("1"); return "chunk 1"; });
        records.addBuilt("7/tablets/2", null);
        records.addBuilt("7", "header");
        assertThat(built).isEmpty();
        assertThat(records).hasSize(4).containsKey("7/tablets/2");

        assertThat(records.remove("7")).isEqualTo("header");
        Map<String, String> sent = new LinkedHashMap<>();
        records.forEach(sent::put);

        assertThat(built).containsExactly("0", "1");
        assertThat(sent).containsExactly(Map.entry("7/tablets/0", "chunk 0"), Map.entry("7/tablets/1", "chunk 1"),
                new java.util.AbstractMap.SimpleEntry<>("7/tablets/2", null));
        assertThat(records.get("7")).isNull();
    }
}
