package io.snapbus.api.catalog;

import static io.snapbus.api.Limits.NAME;
import static io.snapbus.api.Limits.NAME_MESSAGE;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/** CREATE DATABASE. */
public record CreateDatabaseRequest(
        @NotNull(message = "a database needs a name") @Size(max = NAME, message = NAME_MESSAGE) String name) {}
