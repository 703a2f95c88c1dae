package io.snapbus.node.tablet;

import io.snapbus.rows.ContentChecksum;
import io.snapbus.tabletformat.RowHasher;
import io.snapbus.tabletformat.RowsetMeta;
import io.snapbus.tabletformat.RowsetReader;
import io.snapbus.tabletformat.TabletSchema;
import io.snapbus.thrift.TStatusCode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the rows of a chain of rowsets (a version path) back from a tablet's files with the shared
 * {@link RowsetReader}, in version order: to recompute their content checksum (CHECK_CONSISTENCY, and rowsets written
 * before checksums were recorded) and to page through them; a file that cannot be read is IO_ERROR. The caller holds
 * the tablet's read lock, so no compaction deletes a file underneath.
 */
final class RowsetRows {
    private RowsetRows() {
    }

    /** Visits the rows of {@code rowsets} in order until the visitor says stop. */
    static void forEach(long tabletId, Path dir, TabletSchema schema, List<RowsetMeta> rowsets,
                        RowsetReader.RowVisitor visitor) {
        try {
            RowsetReader.forEach(schema, rowsets, RowsetReader.FileLocator.in(dir), visitor);
        } catch (RowsetReader.UnreadableRowsetException e) {
            throw StoreException.io("tablet " + tabletId + ": cannot read " + e.file().name() + " of rowset "
                    + e.rowset().versionRange(), (Exception) e.getCause());
        }
    }

    /** The checksum of the rows the files hold, computed from them (nothing recorded is trusted). */
    static ContentChecksum recompute(long tabletId, Path dir, TabletSchema schema, List<RowsetMeta> rowsets) {
        try {
            return RowsetReader.checksum(schema, rowsets, RowsetReader.FileLocator.in(dir));
        } catch (RowsetReader.UnreadableRowsetException e) {
            throw StoreException.io("tablet " + tabletId + ": cannot read " + e.file().name() + " of rowset "
                    + e.rowset().versionRange(), (Exception) e.getCause());
        }
    }

    /**
     * The checksum the rowsets record, summed; a rowset written before checksums were recorded has its rows read
     * (each such rowset's row count is checked against its meta, so a short file is CORRUPTION, not a wrong sum).
     */
    static ContentChecksum recorded(long tabletId, Path dir, TabletSchema schema, List<RowsetMeta> rowsets) {
        ContentChecksum total = ContentChecksum.EMPTY;
        for (RowsetMeta rowset : rowsets) {
            ContentChecksum one = rowset.recordedChecksum().orElse(null);
            if (one == null) {
                one = recompute(tabletId, dir, schema, List.of(rowset));
                if (one.rows() != rowset.rowCount()) {
                    throw new StoreException(TStatusCode.CORRUPTION, "tablet " + tabletId + ": rowset "
                            + rowset.versionRange() + " holds " + one.rows() + " rows, its meta says "
                            + rowset.rowCount());
                }
            }
            total = total.plus(one);
        }
        return total;
    }

    /** Up to {@code limit} rows' typed values, after skipping {@code offset} rows. */
    static List<Object[]> page(long tabletId, Path dir, TabletSchema schema, List<RowsetMeta> rowsets, long offset,
                               int limit) {
        RowHasher values = new RowHasher(schema);
        List<Object[]> rows = new ArrayList<>(Math.min(limit, 4096));
        long[] skipped = {0};
        List<RowsetMeta> remaining = new ArrayList<>();
        for (RowsetMeta rowset : rowsets) { // whole rowsets before the offset are skipped without reading them
            if (remaining.isEmpty() && skipped[0] + rowset.rowCount() <= offset) {
                skipped[0] += rowset.rowCount();
            } else {
                remaining.add(rowset);
            }
        }
        if (limit <= 0) {
            return rows;
        }
        forEach(tabletId, dir, schema, remaining, row -> {
            if (skipped[0] < offset) {
                skipped[0]++;
                return true;
            }
            rows.add(values.values(row));
            return rows.size() < limit;
        });
        return rows;
    }
}
