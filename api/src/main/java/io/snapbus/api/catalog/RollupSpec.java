package io.snapbus.api.catalog;

import static io.snapbus.api.Limits.NAME;
import static io.snapbus.api.Limits.NAME_MESSAGE;
import static io.snapbus.api.Limits.NULL_NAME;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;

/** A rollup index storing a subset of the table's columns. */
public record RollupSpec(@Size(max = NAME, message = NAME_MESSAGE) String name,
                         List<@NotNull(message = NULL_NAME)
                              @Size(max = NAME, message = NAME_MESSAGE) String> columns) {}
