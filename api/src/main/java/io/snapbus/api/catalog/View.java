package io.snapbus.api.catalog;

import java.util.List;

/** A view: its SQL text and columns. */
public record View(long id, long dbId, String name, String sql, List<TableColumn> columns) {}
