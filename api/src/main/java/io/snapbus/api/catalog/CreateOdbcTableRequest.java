package io.snapbus.api.catalog;

import static io.snapbus.api.Limits.NAME;
import static io.snapbus.api.Limits.NAME_MESSAGE;
import static io.snapbus.api.Limits.VALUE;
import static io.snapbus.api.Limits.VALUE_MESSAGE;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;

/** CREATE EXTERNAL TABLE ... ENGINE=ODBC. */
public record CreateOdbcTableRequest(
        @Size(max = NAME, message = NAME_MESSAGE) String name,
        @NotNull(message = "An ODBC table needs resourceName")
        @Size(max = NAME, message = NAME_MESSAGE) String resourceName,
        @Size(max = VALUE, message = VALUE_MESSAGE) String remoteDatabase,
        @Size(max = VALUE, message = VALUE_MESSAGE) String remoteTable,
        List<@NotNull(message = "A column must not be null") @Valid ColumnSpec> columns) {}
