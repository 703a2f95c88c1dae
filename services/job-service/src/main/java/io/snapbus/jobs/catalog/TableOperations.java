package io.snapbus.jobs.catalog;

import io.snapbus.avro.DatabaseDef;
import io.snapbus.avro.OlapTableDef;
import io.snapbus.avro.PartitionDef;
import io.snapbus.avro.TabletDef;
import io.snapbus.jobs.api.ApiException;
import io.snapbus.jobs.catalog.TableRequests.CreateTable;
import io.snapbus.jobs.catalog.TableRequests.PartitionSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * DDL on OLAP tables: create (tablets first, catalog after), drop and recover (through the {@link RecycleBin}), and
 * partition add / drop / recover / truncate. Every request is validated completely before anything is allocated or
 * sent, and the catalog changes only when all tablets exist.
 */
@Component
public class TableOperations {
    private static final Logger log = LoggerFactory.getLogger(TableOperations.class);

    private final Catalog catalog;
    private final TabletCreator tablets;
    private final CatalogProperties properties;
    private final RecycleBinEraser eraser;

    public TableOperations(Catalog catalog, TabletCreator tablets, CatalogProperties properties,
            RecycleBinEraser eraser) {
        this.catalog = catalog;
        this.tablets = tablets;
        this.properties = properties;
        this.eraser = eraser;
    }

    public DatabaseDef requireDatabase(String name) {
        return catalog.database(name).orElseThrow(() -> ApiException.notFound("UNKNOWN_DATABASE",
                "Unknown database '" + name + "'"));
    }

    public OlapTableDef requireTable(String dbName, String tableName) {
        DatabaseDef db = requireDatabase(dbName);
        return catalog.table(db.getId(), tableName).orElseThrow(() -> ApiException.notFound("UNKNOWN_TABLE",
                "Unknown table '" + tableName + "' in database '" + dbName + "'"));
    }

    public PartitionDef requirePartition(OlapTableDef table, String partitionName) {
        return catalog.partitions(table.getId()).stream().filter(p -> p.getName().equals(partitionName)).findFirst()
                .orElseThrow(() -> ApiException.notFound("UNKNOWN_PARTITION",
                        "Unknown partition " + partitionName + " in table " + table.getName()));
    }

    public OlapTableDef createTable(String dbName, CreateTable request) {
        DatabaseDef db = requireDatabase(dbName);
        if (request == null) {
            throw ApiException.badRequest("A table definition is required");
        }
        // Validate everything with placeholder ids first: a refused request allocates nothing.
        OlapTableDef draft = TableDefinitions.table(request, db.getId(), () -> 0L);
        List<PartitionSpec> specs = partitionSpecs(draft, request);
        if (catalog.nameTaken(db.getId(), draft.getName())) {
            throw ApiException.conflict("Table '" + draft.getName() + "' already exists");
        }
        checkReplication(draft);

        OlapTableDef table = TableDefinitions.table(request, db.getId(), catalog::nextId);
        List<PartitionDef> partitions = new ArrayList<>();
        List<TabletCreator.NewPartition> plans = new ArrayList<>();
        for (PartitionSpec spec : specs) {
            int buckets = spec.buckets() == null ? table.getDefaultBuckets() : spec.buckets();
            PartitionDef partition = newPartition(catalog.nextId(), table.getId(), spec, buckets);
            partitions.add(partition);
            plans.add(new TabletCreator.NewPartition(partition.getId(), buckets));
        }
        Map<Long, Map<Long, List<TabletDef>>> created = tablets.create(table, plans);
        catalog.update(change -> {
            requireDatabase(dbName);
            if (catalog.nameTaken(db.getId(), table.getName())) {
                throw ApiException.conflict("Table '" + table.getName() + "' already exists");
            }
            change.put(CatalogKeys.table(table.getId()), table);
            for (PartitionDef partition : partitions) {
                change.put(CatalogKeys.partition(partition.getId()), partition);
                created.get(partition.getId()).forEach((indexId, list) ->
                        change.putTablets(table.getId(), partition.getId(), indexId, list));
            }
            return null;
        });
        log.info("created table {}.{} (id {}, {} partitions, {} indexes)", dbName, table.getName(), table.getId(),
                partitions.size(), table.getIndexes().size());
        return table;
    }

    /**
     * DROP TABLE [FORCE]: an OLAP table goes to the recycle bin (recoverable for the trash period, its replicas kept);
     * with FORCE it is erased at once, its replicas dropped on the nodes. Views and ODBC tables, which have no
     * replicas, are deleted.
     */
    public void dropTable(String dbName, String tableName, boolean force) {
        DatabaseDef db = requireDatabase(dbName);
        RecycleBin.DropTime at = dropTime(force);
        catalog.update(change -> {
            var table = catalog.table(db.getId(), tableName);
            if (table.isPresent()) {
                RecycleBin.dropTable(change, requireNotInRestore(table.get()), at);
                return null;
            }
            var view = catalog.view(db.getId(), tableName);
            if (view.isPresent()) {
                change.delete(CatalogKeys.view(view.get().getId()));
                return null;
            }
            var odbc = catalog.odbcTable(db.getId(), tableName);
            if (odbc.isPresent()) {
                change.delete(CatalogKeys.odbcTable(odbc.get().getId()));
                return null;
            }
            throw ApiException.notFound("UNKNOWN_TABLE", "Unknown table '" + tableName + "' in database '" + dbName
                    + "'");
        });
        log.info("dropped table {}.{}{}", dbName, tableName, force ? " with FORCE" : " into the recycle bin");
        afterDrop(force);
    }

    /** RECOVER TABLE name [AS newName]: the newest recoverable drop of that name, with its data. */
    public OlapTableDef recoverTable(String dbName, String tableName, String newName) {
        DatabaseDef db = requireDatabase(dbName);
        OlapTableDef table = catalog.update(change -> RecycleBin.recoverTable(change, requireDatabase(dbName),
                tableName, newName, System.currentTimeMillis()));
        log.info("recovered table {}.{} (id {}) as {}", db.getName(), tableName, table.getId(), table.getName());
        return table;
    }

    /** RECOVER PARTITION name [AS newName] FROM table. */
    public PartitionDef recoverPartition(String dbName, String tableName, String partitionName, String newName) {
        PartitionDef partition = catalog.update(change -> RecycleBin.recoverPartition(change,
                requireNotInRestore(requireTable(dbName, tableName)), partitionName, newName,
                System.currentTimeMillis()));
        log.info("recovered partition {} (id {}) of {}.{} as {}", partitionName, partition.getId(), dbName,
                tableName, partition.getName());
        return partition;
    }

    RecycleBin.DropTime dropTime(boolean force) {
        return RecycleBin.DropTime.of(System.currentTimeMillis(), properties.trashExpireMs(), force);
    }

    /** A FORCE drop (or a TRUNCATE) is erased now, not at the next tick. */
    void afterDrop(boolean force) {
        if (force) {
            eraser.eraseSoon();
        }
    }

    public PartitionDef addPartition(String dbName, String tableName, PartitionSpec spec) {
        OlapTableDef table = requireNotInRestore(requireTable(dbName, tableName));
        RangeBounds bounds = RangeBounds.of(table);
        if (bounds == null) {
            throw ApiException.badRequest("Table " + tableName + " is not RANGE partitioned");
        }
        if (spec == null) {
            throw ApiException.badRequest("A partition definition is required");
        }
        TableDefinitions.checkPartition(bounds, spec, existingSpecs(table));
        int buckets = spec.buckets() == null ? table.getDefaultBuckets() : spec.buckets();
        TableDefinitions.checkBuckets(buckets);
        checkReplication(table);
        PartitionDef partition = newPartition(catalog.nextId(), table.getId(), spec, buckets);
        var created = tablets.create(table, List.of(new TabletCreator.NewPartition(partition.getId(), buckets)));
        catalog.update(change -> {
            OlapTableDef current = catalog.table(table.getId()).orElseThrow(() -> ApiException.notFound(
                    "UNKNOWN_TABLE", "Unknown table '" + tableName + "' in database '" + dbName + "'"));
            requireNotInRestore(current);
            TableDefinitions.checkPartition(bounds, spec, existingSpecs(current));
            change.put(CatalogKeys.partition(partition.getId()), partition);
            created.get(partition.getId()).forEach((indexId, list) ->
                    change.putTablets(table.getId(), partition.getId(), indexId, list));
            return null;
        });
        log.info("added {}partition {} to {}.{}", partition.getTemporary() ? "temporary " : "", partition.getName(),
                dbName, tableName);
        return partition;
    }

    /** DROP PARTITION [FORCE]: into the recycle bin, or with FORCE erased at once. */
    public void dropPartition(String dbName, String tableName, String partitionName, boolean force) {
        OlapTableDef table = requireNotInRestore(requireTable(dbName, tableName));
        requirePartition(table, partitionName);
        if (RangeBounds.of(table) == null) {
            throw ApiException.badRequest("Table " + tableName + " is not partitioned; drop the table instead");
        }
        RecycleBin.DropTime at = dropTime(force);
        catalog.update(change -> {
            OlapTableDef current = requireNotInRestore(requireTable(dbName, tableName));
            RecycleBin.dropPartition(change, current, requirePartition(current, partitionName), at);
            return null;
        });
        log.info("dropped partition {} of {}.{}{}", partitionName, dbName, tableName,
                force ? " with FORCE" : " into the recycle bin");
        afterDrop(force);
    }

    /**
     * Replaces the partition by an empty one with a new id and new tablets (version 1); the old one is not recoverable
     * (as in Doris, TRUNCATE skips the recycle bin) and its replicas are dropped on the nodes.
     */
    public PartitionDef truncatePartition(String dbName, String tableName, String partitionName) {
        OlapTableDef table = requireNotInRestore(requireTable(dbName, tableName));
        PartitionDef old = requirePartition(table, partitionName);
        checkReplication(table);
        PartitionDef fresh = PartitionDef.newBuilder(old).setId(catalog.nextId()).setVisibleVersion(1)
                .setNextVersion(2).setVisibleVersionTimeMs(System.currentTimeMillis()).build();
        var created = tablets.create(table, List.of(new TabletCreator.NewPartition(fresh.getId(), old.getBuckets())));
        catalog.update(change -> {
            OlapTableDef current = requireNotInRestore(requireTable(dbName, tableName));
            PartitionDef still = requirePartition(current, partitionName);
            if (still.getId() != old.getId()) {
                throw ApiException.conflict("Partition " + partitionName + " changed while it was truncated");
            }
            RecycleBin.dropPartition(change, current, still, dropTime(true));
            change.put(CatalogKeys.partition(fresh.getId()), fresh);
            created.get(fresh.getId()).forEach((indexId, list) ->
                    change.putTablets(current.getId(), fresh.getId(), indexId, list));
            return null;
        });
        log.info("truncated partition {} of {}.{}: new partition id {}", partitionName, dbName, tableName,
                fresh.getId());
        afterDrop(true);
        return fresh;
    }

    /** DDL that would change a table a restore holds is refused until the restore finishes or is cancelled. */
    static OlapTableDef requireNotInRestore(OlapTableDef table) {
        if (RestoreCatalog.inRestore(table)) {
            throw new ApiException(HttpStatus.CONFLICT, "TABLE_IN_RESTORE", "Table " + table.getName()
                    + " is in restore process");
        }
        return table;
    }

    private void checkReplication(OlapTableDef table) {
        int live = tablets.liveBackends().size();
        if (table.getReplicationNum() > live) {
            throw ApiException.badRequest("Failed to find enough backends for replication num "
                    + table.getReplicationNum() + ": only " + live + " live backend(s)");
        }
    }

    private List<PartitionSpec> partitionSpecs(OlapTableDef draft, CreateTable request) {
        RangeBounds bounds = RangeBounds.of(draft);
        if (bounds == null) {
            return List.of(new PartitionSpec(draft.getName(), null, null, false, draft.getDefaultBuckets()));
        }
        List<PartitionSpec> accepted = new ArrayList<>();
        for (PartitionSpec spec : request.partitions()) {
            if (spec == null) {
                throw ApiException.badRequest("A partition must not be null");
            }
            if (Boolean.TRUE.equals(spec.temporary())) {
                throw ApiException.badRequest("Temporary partitions are added to an existing table");
            }
            TableDefinitions.checkPartition(bounds, spec, accepted);
            if (spec.buckets() != null) {
                TableDefinitions.checkBuckets(spec.buckets());
            }
            accepted.add(spec);
        }
        return accepted;
    }

    private List<PartitionSpec> existingSpecs(OlapTableDef table) {
        return catalog.partitions(table.getId()).stream().map(p -> new PartitionSpec(p.getName(), p.getRangeLower(),
                p.getRangeUpper(), p.getTemporary(), p.getBuckets())).toList();
    }

    private static PartitionDef newPartition(long id, long tableId, PartitionSpec spec, int buckets) {
        return PartitionDef.newBuilder()
                .setId(id)
                .setTableId(tableId)
                .setName(spec.name())
                .setTemporary(Boolean.TRUE.equals(spec.temporary()))
                .setRangeLower(spec.lower())
                .setRangeUpper(spec.upper())
                .setVisibleVersion(1)
                .setVisibleVersionTimeMs(System.currentTimeMillis())
                .setNextVersion(2)
                .setBuckets(buckets)
                .build();
    }
}
