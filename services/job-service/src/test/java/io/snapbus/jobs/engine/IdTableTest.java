package io.snapbus.jobs.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.pcollections.HashTreePMap;
import org.pcollections.PMap;

class IdTableTest {
    @Test
    void behavesAsAMapThroughRandomChangesAndLeavesEveryEarlierVersionAsItWas() {
        Random random = new Random(42);
        IdTable<String> table = IdTable.empty();
        PMap<Long, String> model = HashTreePMap.empty();
        List<IdTable<String>> versions = new java.util.ArrayList<>();
        List<PMap<Long, String>> models = new java.util.ArrayList<>();
        // Bulk add first (as planning does), then single changes, removals and a few unknown keys.
        Map<Long, String> bulk = new HashMap<>();
        for (int i = 0; i < 5000; i++) {
            long id = random.nextInt(1_000_000);
            bulk.put(id, "v" + id);
        }
        table = table.plusAll(bulk);
        model = model.plusAll(bulk);
        Long[] ids = bulk.keySet().toArray(new Long[0]);
        for (int step = 0; step < 20_000; step++) {
            int op = random.nextInt(10);
            long id = op == 0 ? 2_000_000L + random.nextInt(1000) : ids[random.nextInt(ids.length)];
            if (op == 1) {
                table = table.minus(id);
                model = model.minus(id);
            } else {
                String value = "s" + step;
                table = table.plus(id, value);
                model = model.plus(id, value);
            }
            if (step % 2000 == 0) {
                versions.add(table);
                models.add(model);
            }
        }
        assertThat(table).isEqualTo(model);
        assertThat(table.size()).isEqualTo(model.size());
        assertThat(table.hashCode()).isEqualTo(model.hashCode());
        for (int i = 0; i < versions.size(); i++) {
            assertThat(versions.get(i)).as("version %d", i).isEqualTo(models.get(i));
        }
        assertThat(table.keySet()).containsExactlyInAnyOrderElementsOf(model.keySet());
    }

    @Test
    void growsFromEmptyOneKeyAtATimeAndAcrossTrieLevels() {
        IdTable<Long> table = IdTable.empty();
        int added = 0;
        for (long id = 40_000; id > 0; id -= 7) {
            table = table.plus(id, id * 2);
            added++;
        }
        assertThat(table).hasSize(added);
        for (long id = 40_000; id > 0; id -= 7) {
            assertThat(table.get(id)).isEqualTo(id * 2);
        }
        assertThat(table.get(3L)).isNull();
        assertThat(table.get("not a long")).isNull();
        assertThat(table.containsKey(40_000L)).isTrue();
    }

    @Test
    void aRemovedKeyIsGoneButCanComeBack() {
        IdTable<String> table = IdTable.<String>empty().plusAll(Map.of(1L, "a", 2L, "b"));
        IdTable<String> without = table.minus(1L);
        assertThat(without).containsExactly(Map.entry(2L, "b"));
        assertThat(without.minus(1L)).isSameAs(without);
        assertThat(without.plus(1L, "c")).isEqualTo(Map.of(1L, "c", 2L, "b"));
        assertThat(table).isEqualTo(Map.of(1L, "a", 2L, "b"));
    }

    @Test
    void refusesNullValuesAndMutation() {
        IdTable<String> table = IdTable.<String>empty().plus(1L, "a");
        assertThatThrownBy(() -> table.plus(1L, null)).isInstanceOf(NullPointerException.class);
        Map<Long, String> withNull = new HashMap<>();
        withNull.put(5L, null);
        assertThatThrownBy(() -> table.plusAll(withNull)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> table.put(2L, "b")).isInstanceOf(UnsupportedOperationException.class);
    }
}
