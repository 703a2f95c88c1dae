package io.snapbus.node.tablet;

import io.snapbus.tabletformat.TabletSchema;
import io.snapbus.tabletformat.AvroValues;
import io.snapbus.rows.BadRowException;
import io.snapbus.rows.ColumnType;
import io.snapbus.rows.LoadFormat;
import io.snapbus.rows.RowReader;
import java.io.IOException;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/**
 * Reads a load's rows against a tablet schema with the shared {@link RowReader} and hands them on as Avro records,
 * one at a time. The first bad row stops the parse with {@code StoreException(INVALID_ARGUMENT, "line 17: column
 * amount: not a DECIMAL(18,2): 'abc'")}.
 */
final class RowParser {

    /** Receives each parsed row; the record is reused for the next row. */
    interface RowSink {
        void accept(GenericRecord row) throws IOException;
    }

    private RowParser() {
    }

    /** Parses every row of {@code rows} into {@code sink}; returns the number of rows. */
    static long parse(TabletSchema schema, Schema avroSchema, LoadFormat format, byte[] rows, RowSink sink)
            throws IOException {
        List<ColumnType> types = schema.columnTypes();
        GenericData.Record record = new GenericData.Record(avroSchema);
        try {
            return RowReader.read(schema.rowSchema(), format, rows, row -> {
                Object[] values = row.values();
                for (int i = 0; i < values.length; i++) {
                    record.put(i, values[i] == null ? null : AvroValues.datum(types.get(i), values[i]));
                }
                sink.accept(record);
            });
        } catch (BadRowException e) {
            throw StoreException.invalid(e.getMessage());
        }
    }
}
