package io.snapbus.jobs.catalog;

import io.snapbus.avro.Column;
import io.snapbus.avro.IndexMeta;
import io.snapbus.avro.KeysType;
import io.snapbus.avro.OlapTableDef;
import io.snapbus.avro.OlapTableType;
import io.snapbus.jobs.api.ApiException;
import io.snapbus.jobs.catalog.TableRequests.ColumnSpec;
import io.snapbus.jobs.catalog.TableRequests.CreateTable;
import io.snapbus.jobs.catalog.TableRequests.PartitionSpec;
import io.snapbus.jobs.catalog.TableRequests.RollupSpec;
import io.snapbus.rows.ColumnType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

/** Checks a create-table request against the rules of Doris and of the storage nodes and turns it into a table. */
final class TableDefinitions {
    static final int MAX_BUCKETS = 1024;
    private static final Set<String> AGGREGATIONS = Set.of("SUM", "MAX", "MIN", "REPLACE");

    private TableDefinitions() {}

    static List<Column> columns(List<ColumnSpec> specs, KeysType keysType) {
        if (specs == null || specs.isEmpty()) {
            throw ApiException.badRequest("A table needs at least one column");
        }
        List<Column> columns = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        boolean valuesStarted = false;
        for (ColumnSpec spec : specs) {
            if (spec == null) {
                throw ApiException.badRequest("A column must not be null");
            }
            String name = Names.checkColumn(spec.name());
            if (!seen.add(name.toLowerCase(Locale.ROOT))) {
                throw ApiException.badRequest("Duplicate column name '" + name + "'");
            }
            ColumnType type;
            try {
                type = ColumnType.parse(spec.type());
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("Column " + name + ": " + e.getMessage());
            }
            boolean key = Boolean.TRUE.equals(spec.isKey());
            if (key && valuesStarted) {
                throw ApiException.badRequest("Key columns must come first: key column " + name
                        + " follows a value column");
            }
            valuesStarted |= !key;
            if (key && !type.allowedAsKey()) {
                throw ApiException.badRequest("Column " + name + ": " + type.sql() + " cannot be a key column");
            }
            String aggregation = spec.aggregation() == null ? null : spec.aggregation().toUpperCase(Locale.ROOT);
            if (keysType == KeysType.AGG_KEYS && !key) {
                if (aggregation == null || !AGGREGATIONS.contains(aggregation)) {
                    throw ApiException.badRequest("Value column " + name + " of an AGG_KEYS table needs an aggregation"
                            + " (SUM, MAX, MIN or REPLACE), got " + spec.aggregation());
                }
            } else if (aggregation != null) {
                throw ApiException.badRequest("Column " + name + ": only value columns of AGG_KEYS tables take an"
                        + " aggregation");
            }
            if (spec.defaultValue() != null) {
                try {
                    type.comparable(spec.defaultValue());
                } catch (IllegalArgumentException e) {
                    throw ApiException.badRequest("Column " + name + ": default value '" + spec.defaultValue() + "' is "
                            + e.getMessage());
                }
            }
            columns.add(new Column(name, type.sql(), key, spec.nullable() == null || spec.nullable(), aggregation,
                    spec.defaultValue(), spec.comment() == null ? "" : spec.comment()));
        }
        if (columns.stream().noneMatch(Column::getIsKey)) {
            throw ApiException.badRequest("A table needs at least one key column");
        }
        return columns;
    }

    static <E extends Enum<E>> E enumValue(Class<E> type, String text, E defaultValue, String what) {
        if (text == null) {
            return defaultValue;
        }
        try {
            return Enum.valueOf(type, text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("Unknown " + what + " '" + text + "'; expected one of "
                    + List.of(type.getEnumConstants()));
        }
    }

    /** The table described by the request, with ids from {@code ids}; partitions are checked by the caller. */
    static OlapTableDef table(CreateTable request, long dbId, LongSupplier ids) {
        String name = Names.check("table", request.name());
        KeysType keysType = enumValue(KeysType.class, request.keysType(), KeysType.DUP_KEYS, "keys type");
        OlapTableType tableType = enumValue(OlapTableType.class, request.tableType(), OlapTableType.OLAP,
                "table type");
        List<Column> columns = columns(request.columns(), keysType);
        Map<String, Column> byName = new HashMap<>();
        columns.forEach(c -> byName.put(c.getName(), c));

        List<String> partitionColumns = new ArrayList<>();
        if (request.partitionColumn() != null) {
            Column column = byName.get(request.partitionColumn());
            if (column == null) {
                throw ApiException.badRequest("Unknown partition column '" + request.partitionColumn() + "'");
            }
            if (!column.getIsKey()) {
                throw ApiException.badRequest("The partition column " + column.getName() + " must be a key column");
            }
            if (request.partitions() == null || request.partitions().isEmpty()) {
                throw ApiException.badRequest("A RANGE partitioned table needs at least one partition");
            }
        } else if (request.partitions() != null && !request.partitions().isEmpty()) {
            throw ApiException.badRequest("Partitions need a partitionColumn");
        }
        if (request.partitionColumn() != null) {
            partitionColumns.add(request.partitionColumn());
        }

        List<String> distribution = request.distributionColumns() == null ? List.of() : request.distributionColumns();
        if (distribution.isEmpty()) {
            throw ApiException.badRequest("A table needs hash distribution columns");
        }
        for (String column : distribution) {
            Column def = byName.get(column);
            if (def == null) {
                throw ApiException.badRequest("Unknown distribution column '" + column + "'");
            }
            if (keysType != KeysType.DUP_KEYS && !def.getIsKey()) {
                throw ApiException.badRequest("Distribution column " + column + " must be a key column of a "
                        + keysType + " table");
            }
        }
        int buckets = request.buckets() == null ? 1 : request.buckets();
        checkBuckets(buckets);
        int replication = request.replicationNum() == null ? 3 : request.replicationNum();
        if (replication < 1 || replication > 32) {
            throw ApiException.badRequest("Replication num must be 1..32, got " + replication);
        }

        List<IndexMeta> indexes = new ArrayList<>();
        List<String> allColumns = columns.stream().map(Column::getName).toList();
        indexes.add(index(ids.getAsLong(), name, allColumns, byName, true));
        Set<String> indexNames = new HashSet<>(Set.of(name));
        for (RollupSpec rollup : request.rollups() == null ? List.<RollupSpec>of() : request.rollups()) {
            String rollupName = Names.check("rollup", rollup.name());
            if (!indexNames.add(rollupName)) {
                throw ApiException.badRequest("Duplicate index name '" + rollupName + "'");
            }
            if (rollup.columns() == null || rollup.columns().isEmpty()) {
                throw ApiException.badRequest("Rollup " + rollupName + " needs columns");
            }
            Set<String> wanted = new HashSet<>();
            for (String column : rollup.columns()) {
                if (!byName.containsKey(column)) {
                    throw ApiException.badRequest("Rollup " + rollupName + ": unknown column '" + column + "'");
                }
                if (!wanted.add(column)) {
                    throw ApiException.badRequest("Rollup " + rollupName + ": duplicate column '" + column + "'");
                }
            }
            // Stored in table order, so key columns stay first.
            List<String> ordered = allColumns.stream().filter(wanted::contains).toList();
            if (ordered.stream().noneMatch(c -> byName.get(c).getIsKey())) {
                throw ApiException.badRequest("Rollup " + rollupName + " needs at least one key column");
            }
            indexes.add(index(ids.getAsLong(), rollupName, ordered, byName, false));
        }
        return OlapTableDef.newBuilder()
                .setId(ids.getAsLong())
                .setDbId(dbId)
                .setName(name)
                .setTableType(tableType)
                .setKeysType(keysType)
                .setColumns(columns)
                .setPartitionColumns(partitionColumns)
                .setDistributionColumns(new ArrayList<>(distribution))
                .setDefaultBuckets(buckets)
                .setReplicationNum(replication)
                .setIndexes(indexes)
                .setState("NORMAL")
                .setProperties(request.properties() == null ? Map.of() : new HashMap<>(request.properties()))
                .setComment(request.comment() == null ? "" : request.comment())
                .build();
    }

    static void checkBuckets(int buckets) {
        if (buckets < 1 || buckets > MAX_BUCKETS) {
            throw ApiException.badRequest("Buckets must be 1.." + MAX_BUCKETS + ", got " + buckets);
        }
    }

    /** Checks a new partition's name and range against the table's existing ones (same temporary-ness). */
    static void checkPartition(RangeBounds bounds, PartitionSpec spec, List<PartitionSpec> existing) {
        Names.check("partition", spec.name());
        for (PartitionSpec other : existing) {
            if (other.name().equals(spec.name())) {
                throw ApiException.conflict("Duplicate partition name " + spec.name());
            }
        }
        try {
            if (!bounds.nonEmpty(spec.lower(), spec.upper())) {
                throw ApiException.badRequest("Partition " + spec.name() + ": lower bound " + spec.lower()
                        + " is not below upper bound " + spec.upper());
            }
            for (PartitionSpec other : existing) {
                boolean sameKind = Boolean.TRUE.equals(other.temporary()) == Boolean.TRUE.equals(spec.temporary());
                if (sameKind && bounds.overlaps(spec.lower(), spec.upper(), other.lower(), other.upper())) {
                    throw ApiException.badRequest("Range of partition " + spec.name() + " [" + spec.lower() + ", "
                            + spec.upper() + ") intersects partition " + other.name() + " [" + other.lower() + ", "
                            + other.upper() + ")");
                }
            }
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }

    private static IndexMeta index(long id, String name, List<String> columns, Map<String, Column> byName,
            boolean base) {
        List<Column> defs = columns.stream().map(byName::get).toList();
        return new IndexMeta(id, name, TabletCreator.schemaHash(defs), new ArrayList<>(columns), base);
    }
}
