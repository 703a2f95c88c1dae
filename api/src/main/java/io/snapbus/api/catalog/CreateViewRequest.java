package io.snapbus.api.catalog;

import static io.snapbus.api.Limits.NAME;
import static io.snapbus.api.Limits.NAME_MESSAGE;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;

/** CREATE VIEW: a name, the SQL text and (optionally) its columns. */
public record CreateViewRequest(
        @Size(max = NAME, message = NAME_MESSAGE) String name,
        @Size(max = 1 << 20, message = "a view's SQL has at most 1048576 characters") String sql,
        List<@NotNull(message = "A column must not be null") @Valid ColumnSpec> columns) {}
