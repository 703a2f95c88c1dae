package io.snapbus.tabletformat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.snapbus.rows.CanonicalRow;
import io.snapbus.rows.ContentChecksum;
import java.io.IOException;
import java.lang.ref.WeakReference;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RowsetReaderTest {
    private static final TabletSchema SCHEMA = new TabletSchema(List.of(
            new TabletColumn("id", "BIGINT", true, false),
            new TabletColumn("day", "DATE", false, true),
            new TabletColumn("amount", "DECIMAL(10,2)", false, true)), TabletKeysType.DUP_KEYS);

    @TempDir
    Path dir;

    private RowsetMeta rowset(String id, long version, List<Object[]> rows) throws IOException {
        String name = id + "_0.dat";
        try (DataFileWriter<GenericRecord> writer = new DataFileWriter<>(
                new GenericDatumWriter<>(SCHEMA.toAvroSchema()))) {
            writer.create(SCHEMA.toAvroSchema(), dir.resolve(name).toFile());
            for (Object[] values : rows) {
                GenericRecord record = new GenericData.Record(SCHEMA.toAvroSchema());
                for (int i = 0; i < values.length; i++) {
                    record.put(i, values[i] == null ? null
                            : AvroValues.datum(SCHEMA.columns().get(i).columnType(), values[i]));
                }
                writer.append(record);
            }
        }
        return new RowsetMeta(id, version, version, rows.size(), Files.size(dir.resolve(name)),
                List.of(new RowsetFile(name, Files.size(dir.resolve(name)), "0".repeat(32))));
    }

    private static List<Object[]> rows(long first, int count) {
        List<Object[]> rows = new ArrayList<>();
        for (long id = first; id < first + count; id++) {
            rows.add(new Object[] {id, id % 3 == 0 ? null : LocalDate.of(2026, 1, 1).plusDays(id),
                    new BigDecimal(id + ".25")});
        }
        return rows;
    }

    @Test
    void theChecksumOfRowsReadBackIsTheCanonicalChecksumOfTheRowsWrittenInAnyOrder() throws IOException {
        List<Object[]> first = rows(1, 30);
        List<Object[]> second = rows(100, 20);
        List<RowsetMeta> rowsets = List.of(rowset("a1", 2, first), rowset("b2", 3, second));
        List<Object[]> all = new ArrayList<>(second);
        all.addAll(first);

        ContentChecksum read = RowsetReader.checksum(SCHEMA, rowsets, RowsetReader.FileLocator.in(dir));

        assertThat(read).isEqualTo(new CanonicalRow(SCHEMA.rowSchema()).checksum(all));
        assertThat(read.rows()).isEqualTo(50);
    }

    @Test
    void theSchemasOfAReadAreNotKeptOnceItsReaderIsGone() throws IOException {
        RowsetMeta rowset = rowset("a1", 2, rows(1, 5));
        List<WeakReference<Schema>> schemas = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Schema readerSchema = SCHEMA.toAvroSchema();
            try (DataFileReader<GenericRecord> reader = new DataFileReader<>(
                    dir.resolve(rowset.files().get(0).name()).toFile(), RowsetReader.datumReader(readerSchema))) {
                schemas.add(new WeakReference<>(readerSchema));
                schemas.add(new WeakReference<>(reader.getSchema()));
                assertThat((Iterable<GenericRecord>) reader).hasSize(5);
            }
        }

        // Avro's shared GenericData would keep each reader schema, with the fast reader built for it, for good.
        for (int gc = 0; gc < 10 && schemas.stream().anyMatch(ref -> ref.get() != null); gc++) {
            System.gc();
        }
        assertThat(schemas).allMatch(ref -> ref.get() == null, "collected");
    }

    @Test
    void aFileThatIsNoRowsetIsUnreadableNamingTheFileAndItsRowset() throws IOException {
        RowsetMeta good = rowset("a1", 2, rows(1, 5));
        RowsetMeta bad = rowset("b2", 3, rows(10, 5));
        Files.write(dir.resolve("b2_0.dat"), new byte[] {1, 2, 3});

        RowsetReader.UnreadableRowsetException e = catchThrowableOfType(RowsetReader.UnreadableRowsetException.class,
                () -> RowsetReader.checksum(SCHEMA, List.of(good, bad), RowsetReader.FileLocator.in(dir)));

        assertThat(e.file().name()).isEqualTo("b2_0.dat");
        assertThat(e.rowset().versionRange()).isEqualTo("[3-3]");
        assertThat(e.getMessage()).startsWith("cannot read b2_0.dat of rowset [3-3]: ");
    }

    @Test
    void aHeaderReadsBackAsWrittenAndAnUnknownFormatIsRefused() throws IOException {
        TabletHeader header = new TabletHeader(TabletHeader.FORMAT_VERSION, 7, 9, 1, 2, 3, 4, "HDD", 1, SCHEMA, 3, -1,
                false, List.of(rowset("a1", 2, rows(1, 3))), List.of(new TabletHeader.PublishedTxn(20, 2)));
        byte[] json = TabletHeaderFile.toJson(header);

        assertThat(TabletHeaderFile.parse("7.hdr", json)).isEqualTo(header);
        byte[] future = new String(json, java.nio.charset.StandardCharsets.UTF_8)
                .replace("\"formatVersion\" : 1", "\"formatVersion\" : 2").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(catchThrowableOfType(IOException.class, () -> TabletHeaderFile.parse("7.hdr", future)))
                .hasMessage("7.hdr: unknown header format 2");
    }
}
