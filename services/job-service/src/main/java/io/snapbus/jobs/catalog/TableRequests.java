package io.snapbus.jobs.catalog;

import java.util.List;
import java.util.Map;

/** What clients send to create tables and partitions. */
public final class TableRequests {
    private TableRequests() {}

    /** A column; {@code isKey} and {@code nullable} default to false and true. */
    public record ColumnSpec(String name, String type, Boolean isKey, Boolean nullable, String aggregation,
                             String defaultValue, String comment) {}

    /**
     * A range partition {@code [lower, upper)}: a null lower bound is MINVALUE, a null upper bound MAXVALUE;
     * {@code buckets} defaults to the table's.
     */
    public record PartitionSpec(String name, String lower, String upper, Boolean temporary, Integer buckets) {}

    /** A rollup index storing a subset of the table's columns. */
    public record RollupSpec(String name, List<String> columns) {}

    /**
     * An OLAP table (or materialized view, {@code tableType = MATERIALIZED_VIEW}): unpartitioned when
     * {@code partitionColumn} is absent, else RANGE on it with the named partitions; hash distributed on
     * {@code distributionColumns} into {@code buckets}; {@code replicationNum} replicas per tablet (default 3).
     */
    public record CreateTable(String name, String tableType, String keysType, List<ColumnSpec> columns,
                              String partitionColumn, List<PartitionSpec> partitions,
                              List<String> distributionColumns, Integer buckets, Integer replicationNum,
                              List<RollupSpec> rollups, Map<String, String> properties, String comment) {}
}
