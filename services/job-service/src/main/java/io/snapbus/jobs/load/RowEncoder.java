package io.snapbus.jobs.load;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.snapbus.avro.RowFormat;
import io.snapbus.rows.ParsedRow;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Writes rows for one tablet, projected to its index's columns, in the load's format. */
final class RowEncoder {
    /** No separator between root values: each row ends with its own newline. */
    private static final JsonFactory NDJSON = new JsonFactory().setRootValueSeparator(null);

    private RowEncoder() {}

    /** {@code positions} are the table column positions the index stores, {@code names} their names. */
    static byte[] encode(RowFormat format, List<ParsedRow> rows, int[] positions, List<String> names) {
        return format == RowFormat.NDJSON ? ndjson(rows, positions, names) : csv(rows, positions);
    }

    /** One compact JSON object a line, written by Jackson; a null value as JSON null. */
    private static byte[] ndjson(List<ParsedRow> rows, int[] positions, List<String> names) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator json = NDJSON.createGenerator(out)) {
            for (ParsedRow row : rows) {
                json.writeStartObject();
                for (int i = 0; i < positions.length; i++) {
                    String value = row.texts()[positions[i]];
                    json.writeFieldName(names.get(i));
                    if (value == null) {
                        json.writeNull();
                    } else {
                        json.writeString(value);
                    }
                }
                json.writeEndObject();
                json.writeRaw('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static byte[] csv(List<ParsedRow> rows, int[] positions) {
        StringBuilder out = new StringBuilder();
        for (ParsedRow row : rows) {
            for (int i = 0; i < positions.length; i++) {
                if (i > 0) {
                    out.append(',');
                }
                String value = row.texts()[positions[i]];
                if (value == null) {
                    out.append("\\N");
                } else {
                    out.append('"').append(value.replace("\"", "\"\"")).append('"');
                }
            }
            out.append('\n');
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }
}
