package io.snapbus.rows;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/**
 * Writes rows as the NDJSON a load takes ({@link LoadFormat#NDJSON}): one object per line, keyed by column name in
 * table order, so loading the output reproduces the rows. NULL is JSON {@code null}, BOOLEAN a JSON boolean, the
 * integer kinds JSON numbers, every other kind the JSON string of its {@link ColumnType#canonical(Object) canonical
 * text} (exact: a DECIMAL or DOUBLE never goes through a binary floating-point reader on the way back).
 */
public final class NdjsonWriter {
    private static final JsonFactory JSON = new JsonFactory();

    private NdjsonWriter() {
    }

    /** One row's line, without the line feed. */
    public static String line(RowSchema schema, Object[] values) {
        StringWriter out = new StringWriter(64 + 16 * values.length);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            for (int i = 0; i < values.length; i++) {
                RowColumn column = schema.column(i);
                json.writeFieldName(column.name());
                Object value = values[i];
                if (value == null) {
                    json.writeNull();
                } else {
                    switch (column.type().kind()) {
                        case BOOLEAN -> json.writeBoolean((Boolean) value);
                        case TINYINT, SMALLINT, INT, BIGINT -> json.writeNumber((Long) value);
                        default -> json.writeString(column.type().canonical(value));
                    }
                }
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a row as JSON", e);
        }
        return out.toString();
    }
}
