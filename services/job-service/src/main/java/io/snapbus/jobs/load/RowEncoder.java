package io.snapbus.jobs.load;

import io.snapbus.avro.RowFormat;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Writes rows for one tablet, projected to its index's columns, in the load's format. */
final class RowEncoder {
    private RowEncoder() {}

    /** {@code positions} are the table column positions the index stores, {@code names} their names. */
    static byte[] encode(RowFormat format, List<ParsedRow> rows, int[] positions, List<String> names) {
        StringBuilder out = new StringBuilder();
        for (ParsedRow row : rows) {
            if (format == RowFormat.NDJSON) {
                out.append('{');
                for (int i = 0; i < positions.length; i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    jsonString(out, names.get(i));
                    out.append(':');
                    String value = row.values()[positions[i]];
                    if (value == null) {
                        out.append("null");
                    } else {
                        jsonString(out, value);
                    }
                }
                out.append("}\n");
            } else {
                for (int i = 0; i < positions.length; i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    String value = row.values()[positions[i]];
                    if (value == null) {
                        out.append("\\N");
                    } else {
                        out.append('"').append(value.replace("\"", "\"\"")).append('"');
                    }
                }
                out.append('\n');
            }
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void jsonString(StringBuilder out, String value) {
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
