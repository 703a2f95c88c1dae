package io.snapbus.api.catalog;

import static io.snapbus.api.Limits.NAME;
import static io.snapbus.api.Limits.NAME_MESSAGE;
import static io.snapbus.api.Limits.TYPE_MESSAGE;
import static io.snapbus.api.Limits.VALUE;
import static io.snapbus.api.Limits.VALUE_MESSAGE;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.Size;

/** A column to create; {@code isKey} and {@code nullable} default to false and true. */
public record ColumnSpec(@Size(max = NAME, message = NAME_MESSAGE) String name,
                         @Size(max = NAME, message = TYPE_MESSAGE) String type,
                         @JsonProperty("isKey") Boolean isKey, Boolean nullable,
                         @Size(max = NAME, message = NAME_MESSAGE) String aggregation,
                         @Size(max = VALUE, message = VALUE_MESSAGE) String defaultValue,
                         @Size(max = VALUE, message = VALUE_MESSAGE) String comment) {

    /** A column with a name and type, the other fields defaulted. */
    public static ColumnSpec of(String name, String type) {
        return new ColumnSpec(name, type, null, null, null, null, null);
    }

    /** A key column with a name and type. */
    public static ColumnSpec key(String name, String type) {
        return new ColumnSpec(name, type, true, null, null, null, null);
    }
}
