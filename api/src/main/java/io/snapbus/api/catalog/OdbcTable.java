package io.snapbus.api.catalog;

import java.util.List;

/** An ODBC (external) table and the resource it reads through. */
public record OdbcTable(long id, long dbId, String name, String resourceName, String remoteDatabase,
        String remoteTable, List<TableColumn> columns) {}
