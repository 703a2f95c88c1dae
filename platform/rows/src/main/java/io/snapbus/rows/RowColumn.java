package io.snapbus.rows;

/**
 * A column as rows are read against it.
 *
 * @param name         its name; NDJSON keys match it ignoring case
 * @param type         its type
 * @param nullable     whether it accepts NULL
 * @param defaultValue the text an NDJSON row that leaves the column out gets, or {@code null} for NULL
 */
public record RowColumn(String name, ColumnType type, boolean nullable, String defaultValue) {

    /** A column whose type is given as text ({@code decimal(18, 2)}); a bad type throws IllegalArgumentException. */
    public static RowColumn of(String name, String type, boolean nullable, String defaultValue) {
        return new RowColumn(name, ColumnType.parse(type), nullable, defaultValue);
    }
}
