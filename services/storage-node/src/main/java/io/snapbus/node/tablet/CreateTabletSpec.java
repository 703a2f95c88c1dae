package io.snapbus.node.tablet;

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
}
