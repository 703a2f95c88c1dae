package io.snapbus.api.catalog;

/** A database. */
public record Database(long id, String name) {}
