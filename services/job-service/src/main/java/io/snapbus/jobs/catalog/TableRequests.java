package io.snapbus.jobs.catalog;

import static io.snapbus.api.Limits.BOUND_MESSAGE;
import static io.snapbus.api.Limits.NAME;
import static io.snapbus.api.Limits.NAME_MESSAGE;
import static io.snapbus.api.Limits.NULL_NAME;
import static io.snapbus.api.Limits.TYPE_MESSAGE;
import static io.snapbus.api.Limits.VALUE;
import static io.snapbus.api.Limits.VALUE_MESSAGE;

import io.snapbus.api.Limits;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.Map;

/**
 * What clients send to create tables and partitions, with the bounds the API checks before anything runs: names and
 * types fit Doris's 64 characters, values and comments a few KB, and no list holds a null (the bounds of
 * {@link Limits}, which the /api/v1 records check too).
 */
public final class TableRequests {
    private TableRequests() {}

    /** A column; {@code isKey} and {@code nullable} default to false and true. */
    public record ColumnSpec(@Size(max = NAME, message = NAME_MESSAGE) String name,
                             @Size(max = NAME, message = TYPE_MESSAGE) String type, Boolean isKey, Boolean nullable,
                             @Size(max = NAME, message = NAME_MESSAGE) String aggregation,
                             @Size(max = VALUE, message = VALUE_MESSAGE) String defaultValue,
                             @Size(max = VALUE, message = VALUE_MESSAGE) String comment) {}

    /**
     * A range partition {@code [lower, upper)}: a null lower bound is MINVALUE, a null upper bound MAXVALUE;
     * {@code buckets} defaults to the table's.
     */
    public record PartitionSpec(@Size(max = NAME, message = NAME_MESSAGE) String name,
                                @Size(max = NAME, message = BOUND_MESSAGE) String lower,
                                @Size(max = NAME, message = BOUND_MESSAGE) String upper,
                                Boolean temporary, Integer buckets) {}

    /** A rollup index storing a subset of the table's columns. */
    public record RollupSpec(@Size(max = NAME, message = NAME_MESSAGE) String name,
                             List<@NotNull(message = NULL_NAME)
                                  @Size(max = NAME, message = NAME_MESSAGE) String> columns) {}

    /**
     * An OLAP table (or materialized view, {@code tableType = MATERIALIZED_VIEW}): unpartitioned when
     * {@code partitionColumn} is absent, else RANGE on it with the named partitions; hash distributed on
     * {@code distributionColumns} into {@code buckets}; {@code replicationNum} replicas per tablet (default 3).
     */
    public record CreateTable(@Size(max = NAME, message = NAME_MESSAGE) String name,
                              @Size(max = NAME, message = NAME_MESSAGE) String tableType,
                              @Size(max = NAME, message = NAME_MESSAGE) String keysType,
                              List<@NotNull(message = "A column must not be null") @Valid ColumnSpec> columns,
                              @Size(max = NAME, message = NAME_MESSAGE) String partitionColumn,
                              List<@NotNull(message = "A partition must not be null") @Valid PartitionSpec> partitions,
                              List<@NotNull(message = NULL_NAME) @Size(max = NAME, message = NAME_MESSAGE) String>
                                      distributionColumns,
                              Integer buckets, Integer replicationNum,
                              List<@NotNull(message = "A rollup must not be null") @Valid RollupSpec> rollups,
                              Map<@NotBlank(message = "a property needs a name") @Size(max = NAME,
                                      message = NAME_MESSAGE) String,
                                  @NotNull(message = "a property needs a value") @Size(max = VALUE,
                                      message = VALUE_MESSAGE) String> properties,
                              @Size(max = VALUE, message = VALUE_MESSAGE) String comment) {}

}
