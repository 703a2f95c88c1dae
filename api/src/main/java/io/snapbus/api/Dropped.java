package io.snapbus.api;

/** What a DELETE removed: the name of the database, table, partition or repository. */
public record Dropped(String dropped) {}
