package io.snapbus.node.tablet;

import io.snapbus.rows.ContentChecksum;
import io.snapbus.tabletformat.RowsetFile;
import io.snapbus.tabletformat.RowsetMeta;
import io.snapbus.tabletformat.RowsetReader;
import io.snapbus.tabletformat.TabletSchema;
import io.snapbus.thrift.TStatusCode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;

/**
 * Compaction's data work: reads the rows of adjacent rowsets in version order and writes them as one rowset. The
 * merged rowset's content checksum is computed from the rows it holds and must equal the sum of its inputs'
 * (where they are known), as its row count must equal theirs.
 */
final class RowsetMerger {
    private RowsetMerger() {
    }

    /**
     * Writes the merged rowset's file into {@code dir} under its final name; it is not part of the tablet until
     * a header lists it (a crash before that leaves an orphan that the next open deletes).
     */
    static RowsetMeta merge(Path dir, String rowsetId, TabletSchema schema, List<RowsetMeta> inputs)
            throws IOException {
        GenericDatumReader<GenericRecord> rows = RowsetReader.datumReader(schema.toAvroSchema());
        long expectedRows = inputs.stream().mapToLong(RowsetMeta::rowCount).sum();
        try (RowsetWriter writer = RowsetWriter.create(dir, rowsetId, schema)) {
            for (RowsetMeta input : inputs) {
                for (RowsetFile file : input.files()) {
                    copyRows(dir.resolve(file.name()), rows, writer);
                }
            }
            if (writer.rowCount() != expectedRows) {
                throw new StoreException(TStatusCode.CORRUPTION, "rowsets " + VersionPath.ranges(inputs) + " in " + dir
                        + " hold " + writer.rowCount() + " rows, their headers say " + expectedRows);
            }
            ContentChecksum merged = writer.checksum();
            if (inputs.stream().allMatch(input -> input.contentChecksum() != null)) {
                long expected = inputs.stream().mapToLong(RowsetMeta::contentChecksum).sum();
                if (merged.checksum() != expected) {
                    throw new StoreException(TStatusCode.CORRUPTION, "rowsets " + VersionPath.ranges(inputs) + " in "
                            + dir + " hold rows whose checksum is " + merged + ", their headers say "
                            + new ContentChecksum(expectedRows, expected));
                }
            }
            Optional<RowsetFile> file = writer.commit();
            return new RowsetMeta(rowsetId, inputs.get(0).startVersion(), inputs.get(inputs.size() - 1).endVersion(),
                    expectedRows, file.map(RowsetFile::size).orElse(0L), file.stream().toList(), merged.checksum());
        }
    }

    private static void copyRows(Path file, GenericDatumReader<GenericRecord> rows, RowsetWriter writer)
            throws IOException {
        try (DataFileReader<GenericRecord> reader = new DataFileReader<>(file.toFile(), rows)) {
            GenericRecord row = null;
            while (reader.hasNext()) {
                row = reader.next(row);
                writer.append(row);
            }
        }
    }
}
