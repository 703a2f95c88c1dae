package io.snapbus.rows;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The columns rows are read against, in table order; their names must be unique ignoring case (both the catalog
 * and the storage nodes refuse a schema where they are not).
 */
public record RowSchema(List<RowColumn> columns) {

    public RowSchema {
        columns = List.copyOf(columns);
    }

    public int size() {
        return columns.size();
    }

    public RowColumn column(int index) {
        return columns.get(index);
    }

    public List<ColumnType> types() {
        return columns.stream().map(RowColumn::type).toList();
    }

    /** Column positions by name folded to lower case, for the reader's lookup of NDJSON keys. */
    Map<String, Integer> positionsByFoldedName() {
        Map<String, Integer> positions = new HashMap<>();
        for (int i = 0; i < columns.size(); i++) {
            positions.put(fold(columns.get(i).name()), i);
        }
        return positions;
    }

    static String fold(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    /**
     * The canonical texts of a row's typed values ({@link ColumnType#canonical(Object)}), {@code null} for NULL: the
     * form in which a row read back from a tablet compares equal to the row that was loaded.
     */
    public String[] canonical(Object[] values) {
        String[] texts = new String[values.length];
        for (int i = 0; i < values.length; i++) {
            texts[i] = values[i] == null ? null : columns.get(i).type().canonical(values[i]);
        }
        return texts;
    }
}
