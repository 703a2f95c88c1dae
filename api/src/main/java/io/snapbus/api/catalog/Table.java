package io.snapbus.api.catalog;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * An OLAP table (or materialized view, {@code tableType} MATERIALIZED_VIEW). Shown alone it has its catalog commit
 * sequence and its partitions with tablets and replicas; in a database's list both are left out (null).
 */
public record Table(long id, long dbId, String name, String tableType, String keysType,
        List<TableColumn> columns, List<String> partitionColumns, List<String> distributionColumns,
        int defaultBuckets, int replicationNum,
        List<Index> indexes, String state, Map<String, String> properties, String comment,
        @JsonInclude(JsonInclude.Include.NON_NULL) Long commitSeq,
        @JsonInclude(JsonInclude.Include.NON_NULL) List<Partition> partitions) {}
