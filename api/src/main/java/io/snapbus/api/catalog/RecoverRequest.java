package io.snapbus.api.catalog;

import static io.snapbus.api.Limits.NAME;
import static io.snapbus.api.Limits.NAME_MESSAGE;

import jakarta.validation.constraints.Size;

/**
 * RECOVER from a database: nothing named recovers the database itself, a table alone the table, a table and a
 * partition the partition; {@code newName} recovers it under another name (Doris's AS).
 */
public record RecoverRequest(@Size(max = NAME, message = NAME_MESSAGE) String table,
                             @Size(max = NAME, message = NAME_MESSAGE) String partition,
                             @Size(max = NAME, message = NAME_MESSAGE) String newName) {}
