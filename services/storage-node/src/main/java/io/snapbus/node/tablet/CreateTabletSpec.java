package io.snapbus.node.tablet;

import io.snapbus.tabletformat.RowsetMeta;
import io.snapbus.tabletformat.TabletHeader;
import io.snapbus.tabletformat.TabletSchema;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What CREATE asks for: a replica of a tablet at a version.
 *
 * @param tabletId      the tablet
 * @param schemaHash    its schema hash (part of its path)
 * @param tableId       owning table
 * @param partitionId   owning partition
 * @param indexId       owning materialized index
 * @param replicaId     this replica's id ({@code -1} when unknown)
 * @param version       the partition's visible version; the tablet starts with the empty rowset {@code [0-version]}
 *                      (at least 1)
 * @param schema        columns and table model
 * @param storageMedium HDD, SSD, … (upper-cased; {@code null} means HDD)
 */
public record CreateTabletSpec(long tabletId, int schemaHash, long tableId, long partitionId, long indexId,
                               long replicaId, long version, TabletSchema schema, String storageMedium) {
    public CreateTabletSpec {
        Objects.requireNonNull(schema, "schema");
        if (version < 1) {
            throw StoreException.invalid("tablet " + tabletId + ": version must be at least 1, got " + version);
        }
        storageMedium = storageMedium == null || storageMedium.isBlank()
                ? "HDD" : storageMedium.strip().toUpperCase(Locale.ROOT);
    }

    /** The header of the tablet this creates: the empty rowset {@code [0-version]} and no history. */
    TabletHeader initialHeader(String initialRowsetId) {
        RowsetMeta initial = new RowsetMeta(initialRowsetId, 0, version, 0, 0, List.of(), 0L);
        return new TabletHeader(TabletHeader.FORMAT_VERSION, tabletId, schemaHash, tableId, partitionId, indexId,
                replicaId, storageMedium, version, schema, version, -1, false, List.of(initial), List.of());
    }

    /** Whether {@code header} is of the tablet this creates (a re-sent CREATE finds it done). */
    boolean created(TabletHeader header) {
        return header.tabletId() == tabletId && header.schemaHash() == schemaHash && header.tableId() == tableId
                && header.partitionId() == partitionId && header.indexId() == indexId
                && header.replicaId() == replicaId && header.createVersion() == version
                && header.schema().equals(schema) && header.storageMedium().equals(storageMedium);
    }
}
