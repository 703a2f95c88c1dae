package io.snapbus.jobs.api.v1;

import io.snapbus.api.catalog.Backend;
import io.snapbus.api.catalog.ColumnSpec;
import io.snapbus.api.catalog.CreateTableRequest;
import io.snapbus.api.catalog.Database;
import io.snapbus.api.catalog.Index;
import io.snapbus.api.catalog.OdbcTable;
import io.snapbus.api.catalog.Partition;
import io.snapbus.api.catalog.PartitionSpec;
import io.snapbus.api.catalog.RecycleBinEntry;
import io.snapbus.api.catalog.Replica;
import io.snapbus.api.catalog.Resource;
import io.snapbus.api.catalog.RollupSpec;
import io.snapbus.api.catalog.Table;
import io.snapbus.api.catalog.TableColumn;
import io.snapbus.api.catalog.Tablet;
import io.snapbus.api.catalog.View;
import io.snapbus.avro.BackendDef;
import io.snapbus.avro.Column;
import io.snapbus.avro.DatabaseDef;
import io.snapbus.avro.IndexMeta;
import io.snapbus.avro.OdbcResourceDef;
import io.snapbus.avro.OdbcTableDef;
import io.snapbus.avro.OlapTableDef;
import io.snapbus.avro.PartitionDef;
import io.snapbus.avro.RecycledKind;
import io.snapbus.avro.RecycledObject;
import io.snapbus.avro.TabletDef;
import io.snapbus.avro.ViewDef;
import io.snapbus.jobs.catalog.Catalog;
import io.snapbus.jobs.catalog.RecycleBin;
import io.snapbus.jobs.catalog.TableRequests;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The one place catalog records (Avro) become v1 records, and v1 requests the catalog's own request types. */
public final class CatalogDtos {
    private CatalogDtos() {}

    public static Database database(DatabaseDef db) {
        return new Database(db.getId(), db.getName());
    }

    public static Backend backend(BackendDef backend) {
        return new Backend(backend.getId(), backend.getHost(), backend.getBePort(), backend.getHttpPort(),
                backend.getDecommissioned());
    }

    public static TableColumn column(Column column) {
        return new TableColumn(column.getName(), column.getType(), column.getIsKey(), column.getNullable(),
                column.getAggregation(), column.getDefaultValue(), column.getComment());
    }

    public static View view(ViewDef view) {
        return new View(view.getId(), view.getDbId(), view.getName(), view.getSql(), columns(view.getColumns()));
    }

    public static Resource resource(OdbcResourceDef resource) {
        return new Resource(resource.getName(), new TreeMap<>(resource.getProperties()), resource.getCredentialRef());
    }

    public static OdbcTable odbcTable(OdbcTableDef table) {
        return new OdbcTable(table.getId(), table.getDbId(), table.getName(), table.getResourceName(),
                table.getRemoteDatabase(), table.getRemoteTable(), columns(table.getColumns()));
    }

    /** A table as a database's list shows it: no commit sequence, no partitions. */
    public static Table tableSummary(OlapTableDef table) {
        return table(table, null, null);
    }

    /** A table with its commit sequence and its partitions, tablets and replicas as the catalog holds them now. */
    public static Table table(OlapTableDef table, Catalog catalog) {
        List<Partition> partitions = catalog.partitions(table.getId()).stream()
                .map(p -> partition(p, table, catalog)).toList();
        return table(table, catalog.tableCommitSeq(table.getId()), partitions);
    }

    private static Table table(OlapTableDef table, Long commitSeq, List<Partition> partitions) {
        return new Table(table.getId(), table.getDbId(), table.getName(), table.getTableType().name(),
                table.getKeysType().name(), columns(table.getColumns()), List.copyOf(table.getPartitionColumns()),
                List.copyOf(table.getDistributionColumns()), table.getDefaultBuckets(), table.getReplicationNum(),
                table.getIndexes().stream().map(CatalogDtos::index).toList(), table.getState(),
                new TreeMap<>(table.getProperties()), table.getComment(), commitSeq, partitions);
    }

    /** A partition with its tablets by index name (those of {@code table}'s indexes, in bucket order). */
    public static Partition partition(PartitionDef partition, OlapTableDef table, Catalog catalog) {
        Map<String, List<Tablet>> tablets = new LinkedHashMap<>();
        for (IndexMeta index : table.getIndexes()) {
            tablets.put(index.getName(), catalog.tablets(partition.getId(), index.getId()).stream()
                    .map(CatalogDtos::tablet).toList());
        }
        return new Partition(partition.getId(), partition.getTableId(), partition.getName(), partition.getTemporary(),
                partition.getRangeLower(), partition.getRangeUpper(), partition.getVisibleVersion(),
                partition.getVisibleVersionTimeMs(), partition.getNextVersion(), partition.getBuckets(), tablets);
    }

    public static RecycleBinEntry recycleBinEntry(RecycledObject entry, long nowMs) {
        String type = switch (entry.getKind()) {
            case DATABASE -> "Database";
            case TABLE -> "Table";
            case PARTITION -> "Partition";
            case UNKNOWN -> "Unknown";
        };
        long partitionId = entry.getKind() == RecycledKind.PARTITION ? entry.getId() : -1;
        return new RecycleBinEntry(type, entry.getName(), entry.getDbId(), entry.getTableId(), partitionId,
                entry.getDropTimeMs(), entry.getExpireTimeMs(), entry.getForce(), RecycleBin.recoverable(entry, nowMs));
    }

    private static Index index(IndexMeta index) {
        return new Index(index.getId(), index.getName(), index.getSchemaHash(), List.copyOf(index.getColumns()),
                index.getIsBase());
    }

    private static Tablet tablet(TabletDef tablet) {
        return new Tablet(tablet.getId(), tablet.getReplicas().stream().map(r -> new Replica(r.getId(),
                r.getBackendId(), r.getVersion(), r.getLastFailedVersion(), r.getLastSuccessVersion())).toList());
    }

    private static List<TableColumn> columns(List<Column> columns) {
        return columns.stream().map(CatalogDtos::column).toList();
    }

    // --- requests ------------------------------------------------------------------------------------------------

    public static TableRequests.ColumnSpec columnSpec(ColumnSpec column) {
        return new TableRequests.ColumnSpec(column.name(), column.type(), column.isKey(), column.nullable(),
                column.aggregation(), column.defaultValue(), column.comment());
    }

    /** Null stays null: the catalog tells an absent list from an empty one. */
    public static List<TableRequests.ColumnSpec> columnSpecs(List<ColumnSpec> columns) {
        return columns == null ? null : columns.stream().map(CatalogDtos::columnSpec).toList();
    }

    public static TableRequests.PartitionSpec partitionSpec(PartitionSpec partition) {
        return new TableRequests.PartitionSpec(partition.name(), partition.lower(), partition.upper(),
                partition.temporary(), partition.buckets());
    }

    public static TableRequests.CreateTable createTable(CreateTableRequest request) {
        return new TableRequests.CreateTable(request.name(), request.tableType(), request.keysType(),
                columnSpecs(request.columns()),
                request.partitionColumn(), request.partitions() == null ? null
                        : request.partitions().stream().map(CatalogDtos::partitionSpec).toList(),
                request.distributionColumns(), request.buckets(), request.replicationNum(),
                request.rollups() == null ? null : request.rollups().stream().map(CatalogDtos::rollupSpec).toList(),
                request.properties(), request.comment());
    }

    private static TableRequests.RollupSpec rollupSpec(RollupSpec rollup) {
        return new TableRequests.RollupSpec(rollup.name(), rollup.columns());
    }
}
