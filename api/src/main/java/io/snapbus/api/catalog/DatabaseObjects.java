package io.snapbus.api.catalog;

import java.util.List;

/** The tables (and materialized views), views and ODBC tables of a database; tables without their partitions. */
public record DatabaseObjects(List<Table> tables, List<View> views, List<OdbcTable> odbcTables) {}
