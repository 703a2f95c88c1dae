package io.snapbus.node.tablet;

import io.snapbus.tabletformat.RowsetMeta;
import io.snapbus.tabletformat.TabletHeader;
import io.snapbus.tabletformat.TabletSchema;
import java.util.List;

/**
 * What a storage node knows about one of its tablets (an immutable copy).
 *
 * @param tabletId          the tablet
 * @param schemaHash        its schema hash
 * @param tableId           owning table
 * @param partitionId       owning partition
 * @param indexId           owning index
 * @param replicaId         this replica
 * @param schema            columns and table model
 * @param version           the highest published version
 * @param lastFailedVersion the lowest version this replica failed to take, {@code -1} when none
 * @param cooledDown        whether the tablet has data on remote storage (it cannot be backed up)
 * @param rowsets           published rowsets, by version
 */
public record TabletMeta(long tabletId, int schemaHash, long tableId, long partitionId, long indexId, long replicaId,
                         TabletSchema schema, long version, long lastFailedVersion, boolean cooledDown,
                         List<RowsetMeta> rowsets) {
    public TabletMeta {
        rowsets = List.copyOf(rowsets);
    }

    static TabletMeta of(TabletHeader header) {
        return new TabletMeta(header.tabletId(), header.schemaHash(), header.tableId(), header.partitionId(),
                header.indexId(), header.replicaId(), header.schema(), header.version(), header.lastFailedVersion(),
                header.cooledDown(), header.rowsets());
    }

    public long rowCount() {
        return rowsets.stream().mapToLong(RowsetMeta::rowCount).sum();
    }

    public long dataSize() {
        return rowsets.stream().mapToLong(RowsetMeta::dataSize).sum();
    }

    /** Number of rowsets, as Doris's version count. */
    public int versionCount() {
        return rowsets.size();
    }
}
