package io.snapbus.tabletformat;

import io.snapbus.rows.CanonicalRow;
import io.snapbus.rows.ColumnType;
import java.util.List;
import org.apache.avro.generic.GenericRecord;

/**
 * A stored row (an Avro record of a tablet's row schema) back as its typed values, and their
 * {@link CanonicalRow#hash hash}: the same hash the job-service or a verifier computes from the loaded rows. Not
 * thread-safe (it reuses its buffers).
 */
public final class RowHasher {
    private final List<ColumnType> types;
    private final CanonicalRow canonical;
    private final Object[] values;

    public RowHasher(TabletSchema schema) {
        this.types = schema.columnTypes();
        this.canonical = new CanonicalRow(schema.rowSchema());
        this.values = new Object[types.size()];
    }

    public long hash(GenericRecord row) {
        fill(row, values);
        return canonical.hash(values);
    }

    /** A new array of the row's typed values ({@code null} for NULL). */
    public Object[] values(GenericRecord row) {
        Object[] typed = new Object[types.size()];
        fill(row, typed);
        return typed;
    }

    private void fill(GenericRecord row, Object[] into) {
        for (int i = 0; i < into.length; i++) {
            Object datum = row.get(i);
            into[i] = datum == null ? null : AvroValues.value(types.get(i), datum);
        }
    }
}
