package io.snapbus.tabletformat;

import io.snapbus.rows.ColumnType;
import io.snapbus.rows.RowColumn;
import io.snapbus.rows.RowSchema;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.avro.JsonProperties;
import org.apache.avro.Schema;

/**
 * A tablet's columns and table model, validated as Doris would: at least one column, names unique ignoring case,
 * key columns first and at least one of them, and no FLOAT, DOUBLE or STRING key.
 *
 * @param columns  in table order
 * @param keysType the table model ({@code null} means DUP_KEYS)
 * @throws IllegalArgumentException when the schema is not valid (a storage node reports it as INVALID_ARGUMENT)
 */
public record TabletSchema(List<TabletColumn> columns, TabletKeysType keysType) {
    public static final String AVRO_NAMESPACE = "io.snapbus.tablet";
    public static final String AVRO_NAME = "Row";

    public TabletSchema {
        if (columns == null || columns.isEmpty()) {
            throw new IllegalArgumentException("a tablet needs at least one column");
        }
        columns = List.copyOf(columns);
        keysType = keysType == null ? TabletKeysType.DUP_KEYS : keysType;
        Set<String> names = new HashSet<>();
        boolean valuesStarted = false;
        for (TabletColumn column : columns) {
            if (!names.add(column.name().toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("column " + column.name() + " appears twice (names ignore case)");
            }
            if (column.key() && valuesStarted) {
                throw new IllegalArgumentException("key column " + column.name() + " follows a value column;"
                        + " key columns come first");
            }
            valuesStarted |= !column.key();
            if (column.key() && !column.columnType().allowedAsKey()) {
                throw new IllegalArgumentException("column " + column.name() + ": " + column.type()
                        + " cannot be a key column");
            }
        }
        if (!columns.get(0).key()) {
            throw new IllegalArgumentException("a tablet needs at least one key column, and key columns come first");
        }
    }

    /**
     * The Avro record schema of the rows: one field per column, in order; a nullable column is a union with
     * null (default null); DECIMAL is bytes with the decimal logical type, DATE int with date, DATETIME long with
     * local-timestamp-millis, CHAR/VARCHAR/STRING string. Each field carries its SQL type ({@code sqlType}) and
     * whether it is a key ({@code key}); the record carries the table model ({@code keysType}).
     */
    public Schema toAvroSchema() {
        List<Schema.Field> fields = new ArrayList<>(columns.size());
        for (TabletColumn column : columns) {
            Schema type = AvroValues.schema(column.columnType());
            Schema.Field field = column.nullable()
                    ? new Schema.Field(column.name(), Schema.createUnion(Schema.create(Schema.Type.NULL), type), null,
                            JsonProperties.NULL_VALUE)
                    : new Schema.Field(column.name(), type);
            field.addProp("sqlType", column.type());
            field.addProp("key", column.key());
            fields.add(field);
        }
        Schema record = Schema.createRecord(AVRO_NAME, null, AVRO_NAMESPACE, false, fields);
        record.addProp("keysType", keysType.name());
        return record;
    }

    public List<ColumnType> columnTypes() {
        return columns.stream().map(TabletColumn::columnType).toList();
    }

    /** The columns as loads read rows against them (a tablet column has no default: a left-out value is NULL). */
    public RowSchema rowSchema() {
        return new RowSchema(columns.stream()
                .map(c -> new RowColumn(c.name(), c.columnType(), c.nullable(), null)).toList());
    }
}
