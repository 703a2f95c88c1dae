package io.snapbus.tabletformat;

import io.snapbus.rows.ColumnType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;

/**
 * How a column's typed values ({@link ColumnType#value}) are stored in rowsets: the Avro schema of each type and the
 * datum of each value, both ways (DECIMAL: unscaled big-endian bytes; DATE: days since the epoch; DATETIME: epoch
 * millis of the local date-time read as UTC). Reading a datum back gives the typed value, whose
 * {@link ColumnType#canonical(Object) canonical text} is the one the row was loaded with.
 */
public final class AvroValues {
    private AvroValues() {
    }

    public static Schema schema(ColumnType type) {
        return switch (type.kind()) {
            case BOOLEAN -> Schema.create(Schema.Type.BOOLEAN);
            case TINYINT, SMALLINT, INT -> Schema.create(Schema.Type.INT);
            case BIGINT -> Schema.create(Schema.Type.LONG);
            case FLOAT -> Schema.create(Schema.Type.FLOAT);
            case DOUBLE -> Schema.create(Schema.Type.DOUBLE);
            case DECIMAL -> LogicalTypes.decimal(type.precision(), type.scale())
                    .addToSchema(Schema.create(Schema.Type.BYTES));
            case DATE -> LogicalTypes.date().addToSchema(Schema.create(Schema.Type.INT));
            case DATETIME -> LogicalTypes.localTimestampMillis().addToSchema(Schema.create(Schema.Type.LONG));
            case CHAR, VARCHAR, STRING -> Schema.create(Schema.Type.STRING);
        };
    }

    /** The Avro datum of a non-null typed value. */
    public static Object datum(ColumnType type, Object value) {
        return switch (type.kind()) {
            case TINYINT, SMALLINT, INT -> (int) (long) (Long) value;
            case DECIMAL -> ByteBuffer.wrap(((BigDecimal) value).unscaledValue().toByteArray());
            case DATE -> (int) ((LocalDate) value).toEpochDay();
            case DATETIME -> ((LocalDateTime) value).toInstant(ZoneOffset.UTC).toEpochMilli();
            case BOOLEAN, BIGINT, FLOAT, DOUBLE, CHAR, VARCHAR, STRING -> value;
        };
    }

    /** The typed value of a non-null datum read from a rowset (a string may come back as Avro's Utf8). */
    public static Object value(ColumnType type, Object datum) {
        return switch (type.kind()) {
            case TINYINT, SMALLINT, INT -> (long) (Integer) datum;
            case DECIMAL -> {
                ByteBuffer bytes = ((ByteBuffer) datum).duplicate();
                byte[] unscaled = new byte[bytes.remaining()];
                bytes.get(unscaled);
                yield new BigDecimal(new BigInteger(unscaled), type.scale());
            }
            case DATE -> LocalDate.ofEpochDay((Integer) datum);
            case DATETIME -> LocalDateTime.ofInstant(Instant.ofEpochMilli((Long) datum), ZoneOffset.UTC);
            case CHAR, VARCHAR, STRING -> datum.toString();
            case BOOLEAN, BIGINT, FLOAT, DOUBLE -> datum;
        };
    }
}
