package io.snapbus.tabletformat;

import io.snapbus.rows.ContentChecksum;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;

/**
 * Reads the rows of rowset files (Avro object container files of the tablet's row schema) in order: the one reader of
 * the format, used by a storage node (CHECK_CONSISTENCY, paging, rowsets written before checksums) and by a verifier
 * of a repository. The caller makes sure no file is deleted underneath.
 */
public final class RowsetReader {
    private RowsetReader() {
    }

    /** Receives rows; the record is reused for the next row. */
    public interface RowVisitor {
        /** @return whether to go on */
        boolean visit(GenericRecord row);
    }

    /** Where a rowset's file is: a storage node's tablet dir holds it by its name, a repository by name and md5. */
    public interface FileLocator {
        Path locate(RowsetFile file);

        /** The files in {@code dir} under their bare names. */
        static FileLocator in(Path dir) {
            return file -> dir.resolve(file.name());
        }
    }

    /** A file that could not be read as a rowset of the schema, naming the rowset and the file. */
    public static final class UnreadableRowsetException extends IOException {
        private static final long serialVersionUID = 1L;
        private final transient RowsetMeta rowset;
        private final transient RowsetFile file;

        UnreadableRowsetException(RowsetMeta rowset, RowsetFile file, IOException cause) {
            super("cannot read " + file.name() + " of rowset " + rowset.versionRange() + ": " + cause, cause);
            this.rowset = rowset;
            this.file = file;
        }

        public RowsetMeta rowset() {
            return rowset;
        }

        public RowsetFile file() {
            return file;
        }
    }

    /** Visits the rows of {@code rowsets} in version order until the visitor says stop. */
    public static void forEach(TabletSchema schema, List<RowsetMeta> rowsets, FileLocator files, RowVisitor visitor)
            throws UnreadableRowsetException {
        GenericDatumReader<GenericRecord> rows = datumReader(schema.toAvroSchema());
        for (RowsetMeta rowset : rowsets) {
            for (RowsetFile file : rowset.files()) {
                try (DataFileReader<GenericRecord> reader = new DataFileReader<>(files.locate(file).toFile(), rows)) {
                    GenericRecord row = null;
                    while (reader.hasNext()) {
                        row = reader.next(row);
                        if (!visitor.visit(row)) {
                            return;
                        }
                    }
                } catch (IOException e) {
                    throw new UnreadableRowsetException(rowset, file, e);
                } catch (RuntimeException e) { // Avro throws AvroRuntimeException for a corrupt block
                    throw new UnreadableRowsetException(rowset, file, new IOException(e.toString(), e));
                }
            }
        }
    }

    /**
     * A reader of rows of {@code schema} (for the files of one read, one after the other) with a {@link GenericData}
     * of its own. Avro's shared one keeps the fast reader it builds for a reader schema in a weak map whose values
     * hold their keys, and every read makes its reader schema anew: each read would stay in the heap for good (a
     * storage node that had checked 90 000 tablets held 90 000 schemas with their readers, ~5 KB each, and ran out
     * of heap). A GenericData of its own goes when the reader does.
     */
    public static GenericDatumReader<GenericRecord> datumReader(Schema schema) {
        return new GenericDatumReader<>(schema, schema, new GenericData());
    }

    /** The checksum of the rows the files hold, computed from them (nothing recorded is trusted). */
    public static ContentChecksum checksum(TabletSchema schema, List<RowsetMeta> rowsets, FileLocator files)
            throws UnreadableRowsetException {
        RowHasher hasher = new RowHasher(schema);
        ContentChecksum.Accumulator sum = new ContentChecksum.Accumulator();
        forEach(schema, rowsets, files, row -> {
            sum.addRow(hasher.hash(row));
            return true;
        });
        return sum.result();
    }
}
