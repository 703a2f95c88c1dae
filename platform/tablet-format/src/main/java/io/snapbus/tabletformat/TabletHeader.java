package io.snapbus.tabletformat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalLong;

/**
 * The persisted header {@code <tabletId>.hdr} of a tablet (and, revised, of a snapshot): a tablet's identity,
 * schema, rowsets and version state. Writing it is the commit point of every change to a tablet on a storage node;
 * in a repository it is the file that says which rowset files (names, sizes, md5s) a tablet's snapshot holds.
 * {@link TabletHeaderFile} reads and renders it.
 *
 * @param formatVersion     {@link #FORMAT_VERSION}
 * @param publishedTxns     the most recent published transactions (at most {@link #REMEMBERED_TXNS}), so a
 *                          re-sent publish is answered idempotently and a publish interrupted by a crash completes
 */
public record TabletHeader(int formatVersion, long tabletId, int schemaHash, long tableId, long partitionId, long indexId,
                    long replicaId, String storageMedium, long createVersion, TabletSchema schema, long version,
                    long lastFailedVersion, boolean cooledDown, List<RowsetMeta> rowsets,
                    List<PublishedTxn> publishedTxns) {

    public static final int FORMAT_VERSION = 1;
    public static final int REMEMBERED_TXNS = 1024;

    /** A transaction published as a version. */
    public record PublishedTxn(long txnId, long version) {}

    public TabletHeader {
        rowsets = rowsets.stream().sorted(Comparator.comparingLong(RowsetMeta::startVersion)).toList();
        publishedTxns = publishedTxns == null ? List.of() : List.copyOf(publishedTxns);
        // A handful of distinct values (HDD, SSD) held by every tablet of a node: one copy each.
        storageMedium = storageMedium == null ? null : storageMedium.intern();
    }

    public OptionalLong publishedVersionOf(long txnId) {
        for (PublishedTxn txn : publishedTxns) {
            if (txn.txnId() == txnId) {
                return OptionalLong.of(txn.version());
            }
        }
        return OptionalLong.empty();
    }

    /** After publishing {@code rowset} as {@code [v-v]} for a transaction; clears a failed version it reaches. */
    public TabletHeader withPublished(RowsetMeta rowset, long txnId) {
        long v = rowset.endVersion();
        List<RowsetMeta> newRowsets = new ArrayList<>(rowsets);
        newRowsets.add(rowset);
        List<PublishedTxn> txns = new ArrayList<>(publishedTxns);
        txns.add(new PublishedTxn(txnId, v));
        if (txns.size() > REMEMBERED_TXNS) {
            txns = txns.subList(txns.size() - REMEMBERED_TXNS, txns.size());
        }
        long failed = lastFailedVersion >= 0 && v >= lastFailedVersion ? -1 : lastFailedVersion;
        return new TabletHeader(formatVersion, tabletId, schemaHash, tableId, partitionId, indexId, replicaId,
                storageMedium, createVersion, schema, v, failed, cooledDown, newRowsets, txns);
    }

    /** After compaction replaced {@code inputs} (adjacent) by {@code merged}. */
    public TabletHeader withCompacted(List<RowsetMeta> inputs, RowsetMeta merged) {
        List<RowsetMeta> newRowsets = new ArrayList<>(rowsets);
        newRowsets.removeAll(inputs);
        newRowsets.add(merged);
        return withRowsets(newRowsets);
    }

    public TabletHeader withRowsets(List<RowsetMeta> newRowsets) {
        return new TabletHeader(formatVersion, tabletId, schemaHash, tableId, partitionId, indexId, replicaId,
                storageMedium, createVersion, schema, version, lastFailedVersion, cooledDown, newRowsets,
                publishedTxns);
    }

    /** The same header with {@code same}, a schema equal to its own (a copy shared with other tablets). */
    public TabletHeader withSchema(TabletSchema same) {
        if (!same.equals(schema)) {
            throw new IllegalArgumentException("tablet " + tabletId + ": " + same + " is not its schema " + schema);
        }
        return new TabletHeader(formatVersion, tabletId, schemaHash, tableId, partitionId, indexId, replicaId,
                storageMedium, createVersion, same, version, lastFailedVersion, cooledDown, rowsets, publishedTxns);
    }

    public TabletHeader withLastFailedVersion(long failed) {
        return new TabletHeader(formatVersion, tabletId, schemaHash, tableId, partitionId, indexId, replicaId,
                storageMedium, createVersion, schema, version, failed, cooledDown, rowsets, publishedTxns);
    }

    public TabletHeader withCooledDown(boolean cooled) {
        return new TabletHeader(formatVersion, tabletId, schemaHash, tableId, partitionId, indexId, replicaId,
                storageMedium, createVersion, schema, version, lastFailedVersion, cooled, rowsets, publishedTxns);
    }

    /**
     * This tablet (same identity, schema and creation) holding a backup's rowsets, at the backup's version: what MOVE
     * installs. Load history and failure marks are dropped with the old data.
     */
    public TabletHeader restoredFrom(long restoredVersion, List<RowsetMeta> restoredRowsets) {
        return new TabletHeader(formatVersion, tabletId, schemaHash, tableId, partitionId, indexId, replicaId,
                storageMedium, createVersion, schema, restoredVersion, -1, false, restoredRowsets, List.of());
    }

    /** The header of a snapshot at {@code snapshotVersion}: only the captured rowsets, no transaction history. */
    public TabletHeader forSnapshot(long snapshotVersion, List<RowsetMeta> captured) {
        return new TabletHeader(formatVersion, tabletId, schemaHash, tableId, partitionId, indexId, replicaId,
                storageMedium, createVersion, schema, snapshotVersion, -1, false, captured, List.of());
    }
}
