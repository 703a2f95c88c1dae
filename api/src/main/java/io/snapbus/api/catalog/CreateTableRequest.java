package io.snapbus.api.catalog;

import static io.snapbus.api.Limits.NAME;
import static io.snapbus.api.Limits.NAME_MESSAGE;
import static io.snapbus.api.Limits.NULL_NAME;
import static io.snapbus.api.Limits.VALUE;
import static io.snapbus.api.Limits.VALUE_MESSAGE;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.Map;

/**
 * CREATE TABLE of an OLAP table (or materialized view, {@code tableType = MATERIALIZED_VIEW}): unpartitioned when
 * {@code partitionColumn} is absent, else RANGE on it with the named partitions; hash distributed on
 * {@code distributionColumns} into {@code buckets}; {@code replicationNum} replicas per tablet (default 3).
 */
public record CreateTableRequest(
        @NotNull(message = "a table needs a name") @Size(max = NAME, message = NAME_MESSAGE) String name,
        @Size(max = NAME, message = NAME_MESSAGE) String tableType,
        @Size(max = NAME, message = NAME_MESSAGE) String keysType,
        List<@NotNull(message = "A column must not be null") @Valid ColumnSpec> columns,
        @Size(max = NAME, message = NAME_MESSAGE) String partitionColumn,
        List<@NotNull(message = "A partition must not be null") @Valid PartitionSpec> partitions,
        List<@NotNull(message = NULL_NAME) @Size(max = NAME, message = NAME_MESSAGE) String> distributionColumns,
        Integer buckets, Integer replicationNum,
        List<@NotNull(message = "A rollup must not be null") @Valid RollupSpec> rollups,
        Map<@NotBlank(message = "a property needs a name") @Size(max = NAME, message = NAME_MESSAGE) String,
            @NotNull(message = "a property needs a value") @Size(max = VALUE, message = VALUE_MESSAGE) String>
                properties,
        @Size(max = VALUE, message = VALUE_MESSAGE) String comment) {}
