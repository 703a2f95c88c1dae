package io.snapbus.node.tablet;

import io.snapbus.tabletformat.RowsetFile;
import io.snapbus.tabletformat.RowsetMeta;
import java.util.List;

/**
 * The manifest {@code pending/<txnId>/txn.json} of a written, unpublished transaction: the commit point of a
 * write. Files in the pending dir that it does not list are leftovers of an interrupted write. {@code contentChecksum}
 * is the rows' {@link RowsetMeta#contentChecksum}, {@code null} in manifests written before checksums existed.
 */
record PendingRowset(long txnId, String rowsetId, long rowCount, long dataSize, List<RowsetFile> files,
                     Long contentChecksum) {
    static final String MANIFEST = "txn.json";

    PendingRowset {
        files = files == null ? List.of() : List.copyOf(files);
    }

    PendingWrite toWrite(long tabletId) {
        return new PendingWrite(tabletId, txnId, rowCount, dataSize);
    }

    RowsetMeta publishedAs(long version) {
        return new RowsetMeta(rowsetId, version, version, rowCount, dataSize, files, contentChecksum);
    }
}
