package io.snapbus.tabletformat;

import io.snapbus.rows.ColumnType;
import java.util.regex.Pattern;

/**
 * A column of a tablet's schema.
 *
 * @param name     a valid Avro name ({@code [A-Za-z_][A-Za-z0-9_]*}), since rowsets are Avro records
 * @param type     BOOLEAN, TINYINT, SMALLINT, INT, BIGINT, FLOAT, DOUBLE, DECIMAL(p,s), DATE, DATETIME, CHAR(n),
 *                 VARCHAR(n) or STRING; case and spaces are normalised ({@code decimal(18, 2)} becomes
 *                 {@code DECIMAL(18,2)})
 * @param key      whether it is a key column
 * @param nullable whether it accepts NULL
 * @throws IllegalArgumentException for a bad name or type (a storage node reports it as INVALID_ARGUMENT)
 */
public record TabletColumn(String name, String type, boolean key, boolean nullable) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,255}");

    public TabletColumn {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("column name '" + name + "' is not allowed: use letters, digits and"
                    + " underscores, not starting with a digit, at most 256 characters");
        }
        try {
            type = ColumnType.parse(type).sql();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("column " + name + ": " + e.getMessage(), e);
        }
    }

    public ColumnType columnType() {
        return ColumnType.parse(type);
    }
}
