package io.snapbus.api.catalog;

import com.fasterxml.jackson.annotation.JsonInclude;

/** What RECOVER brought back: one of database, table (without partitions) or partition, by {@code kind}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Recovered(Kind kind, Database database, Table table, Partition partition) {
    /** What was recovered. */
    public enum Kind { DATABASE, TABLE, PARTITION }
}
