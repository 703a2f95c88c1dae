package io.snapbus.client;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import tools.jackson.databind.JsonNode;

/**
 * Rows under a header, in aligned columns, as SHOW statements print them. Built from records by their wire
 * property names; a column's header is the property's name capitalized ({@code snapshotName} is
 * {@code SnapshotName}, Doris's SHOW BACKUP column), or the header given as {@code property=Header}.
 */
final class TextTable {
    private final List<String> header;
    private final List<List<String>> rows = new ArrayList<>();

    TextTable(List<String> header) {
        this.header = List.copyOf(header);
    }

    /** A table of the items' properties, one row per item; {@code columns} are {@code property[=Header]}. */
    static TextTable of(List<?> items, String... columns) {
        List<String> headers = new ArrayList<>();
        List<String> properties = new ArrayList<>();
        for (String column : columns) {
            int equals = column.indexOf('=');
            properties.add(equals < 0 ? column : column.substring(0, equals));
            headers.add(equals < 0 ? capitalized(column) : column.substring(equals + 1));
        }
        TextTable table = new TextTable(headers);
        for (Object item : items) {
            JsonNode node = Json.tree(item);
            table.row(properties.stream().map(property -> Json.text(node.get(property))).toList());
        }
        return table;
    }

    TextTable row(List<String> cells) {
        if (cells.size() != header.size()) {
            throw new IllegalArgumentException(cells.size() + " cells for " + header.size() + " columns");
        }
        rows.add(List.copyOf(cells));
        return this;
    }

    TextTable row(String... cells) {
        return row(List.of(cells));
    }

    boolean isEmpty() {
        return rows.isEmpty();
    }

    /** The header and rows, columns padded to their widest cell, lines without trailing blanks. */
    String render() {
        int[] widths = new int[header.size()];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = header.get(i).length();
            for (List<String> row : rows) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        StringBuilder text = new StringBuilder();
        line(text, header, widths);
        rows.forEach(row -> line(text, row, widths));
        return text.toString();
    }

    static String capitalized(String property) {
        return property.isEmpty() ? property : property.substring(0, 1).toUpperCase(Locale.ROOT)
                + property.substring(1);
    }

    private static void line(StringBuilder text, List<String> cells, int[] widths) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            line.append(String.format(Locale.ROOT, "%-" + Math.max(1, widths[i]) + "s", cells.get(i)));
            if (i < cells.size() - 1) {
                line.append("  ");
            }
        }
        text.append(line.toString().stripTrailing()).append(System.lineSeparator());
    }
}
