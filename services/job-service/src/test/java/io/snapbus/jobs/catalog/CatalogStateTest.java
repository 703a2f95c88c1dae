package io.snapbus.jobs.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.snapbus.avro.CatalogRecord;
import io.snapbus.avro.DatabaseDef;
import io.snapbus.avro.IdAllocation;
import io.snapbus.avro.PartitionDef;
import io.snapbus.avro.Replica;
import io.snapbus.avro.TabletDef;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CatalogStateTest {

    @Test
    void replayAppliesPutsAndTombstonesAndTracksTableCommitSeq() {
        CatalogState state = CatalogState.empty()
                .apply("db/1", new CatalogRecord("db/1", 1L, new DatabaseDef(1L, "sales")), 0)
                .apply("partition/5", new CatalogRecord("partition/5", 2L, partition(5, 3)), 0)
                .apply("ids", new CatalogRecord("ids", 3L, new IdAllocation(11_000L)), 0);
        assertThat(state.databases()).containsKey(1L);
        assertThat(state.tableSeqs().get(3L)).isEqualTo(2);
        assertThat(state.idHighWater()).isEqualTo(11_000);

        state = state.apply("partition/5", null, state.seq() + 1);
        assertThat(state.partitions()).isEmpty();
        assertThat(state.tableSeqs().get(3L)).isEqualTo(4);
        state = state.apply("db/1", null, state.seq() + 1);
        assertThat(state.databases()).isEmpty();
        assertThat(state.seq()).isEqualTo(5);
    }

    @Test
    void splitsTabletsIntoChunksOfAThousandAndDropsLeftoverChunks() {
        List<TabletDef> tablets = new ArrayList<>();
        for (int i = 0; i < 2500; i++) {
            tablets.add(new TabletDef((long) i, List.of(new Replica(1L, 2L, 1L, -1L, 1L))));
        }
        CatalogState state = CatalogState.empty();
        CatalogChange change = new CatalogChange(state).putTablets(3, 5, 6, tablets);
        assertThat(change.entries()).hasSize(3);
        long seq = 0;
        for (CatalogChange.Entry entry : change.entries()) {
            state = state.apply(entry.key(), new CatalogRecord(entry.key(), ++seq, entry.value()), 0);
        }
        assertThat(state.tabletChunks().get("5/6")).hasSize(3);

        CatalogChange shrink = new CatalogChange(state).putTablets(3, 5, 6, tablets.subList(0, 10));
        assertThat(shrink.entries()).extracting(CatalogChange.Entry::key)
                .containsExactly("tablets/5/6/0", "tablets/5/6/1", "tablets/5/6/2");
        assertThat(shrink.entries().get(1).value()).isNull();
    }

    private static PartitionDef partition(long id, long tableId) {
        return PartitionDef.newBuilder().setId(id).setTableId(tableId).setName("p").setBuckets(1).build();
    }
}
