package io.snapbus.node.tablet;

import io.snapbus.rows.ContentChecksum;
import io.snapbus.thrift.TStatusCode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;

/**
 * Reads the rows of a chain of rowsets (a version path) back from their files, in version order: to recompute their
 * content checksum (CHECK_CONSISTENCY, and rowsets written before checksums were recorded) and to page through them.
 * The caller holds the tablet's read lock, so no compaction deletes a file underneath.
 */
final class RowsetRows {
    private RowsetRows() {
    }

    /** Receives rows; the record is reused for the next row. */
    interface RowVisitor {
        /** @return whether to go on */
        boolean visit(GenericRecord row);
    }

    /** Visits the rows of {@code rowsets} in order until the visitor says stop. */
    static void forEach(long tabletId, Path dir, TabletSchema schema, List<RowsetMeta> rowsets, RowVisitor visitor) {
        Schema avro = schema.toAvroSchema();
        for (RowsetMeta rowset : rowsets) {
            for (RowsetFile file : rowset.files()) {
                try (DataFileReader<GenericRecord> reader =
                             new DataFileReader<>(dir.resolve(file.name()).toFile(), new GenericDatumReader<>(avro))) {
                    GenericRecord row = null;
                    while (reader.hasNext()) {
                        row = reader.next(row);
                        if (!visitor.visit(row)) {
                            return;
                        }
                    }
                } catch (IOException e) {
                    throw StoreException.io("tablet " + tabletId + ": cannot read " + file.name() + " of rowset "
                            + rowset.versionRange(), e);
                }
            }
        }
    }

    /** The checksum of the rows the files hold, computed from them (nothing recorded is trusted). */
    static ContentChecksum recompute(long tabletId, Path dir, TabletSchema schema, List<RowsetMeta> rowsets) {
        RowHasher hasher = new RowHasher(schema);
        ContentChecksum.Accumulator sum = new ContentChecksum.Accumulator();
        forEach(tabletId, dir, schema, rowsets, row -> {
            sum.addRow(hasher.hash(row));
            return true;
        });
        return sum.result();
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
