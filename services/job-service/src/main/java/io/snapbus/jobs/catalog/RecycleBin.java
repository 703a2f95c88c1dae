package io.snapbus.jobs.catalog;

import io.snapbus.avro.DatabaseDef;
import io.snapbus.avro.IndexMeta;
import io.snapbus.avro.OdbcTableDef;
import io.snapbus.avro.OlapTableDef;
import io.snapbus.avro.PartitionDef;
import io.snapbus.avro.RecycledKind;
import io.snapbus.avro.RecycledObject;
import io.snapbus.avro.Replica;
import io.snapbus.avro.TabletChunk;
import io.snapbus.avro.TabletDef;
import io.snapbus.avro.TabletRef;
import io.snapbus.avro.ViewDef;
import io.snapbus.jobs.api.ApiException;
import io.snapbus.jobs.catalog.TableRequests.PartitionSpec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Doris's CatalogRecycleBin as functions of the catalog: a drop moves a table, partition or database into the bin
 * (one {@code recycle-bin/<id>} record holding its definitions; its tablet records stay), a recover moves it back
 * under its name or a new one, and an erase (after the trash period, or at once for FORCE and TRUNCATE) deletes its
 * tablet records once its replicas were dropped on the nodes. Every function adds to a {@link CatalogChange} and
 * reads the catalog it is based on, so it runs under the catalog's write lock and a refused request changes nothing.
 */
public final class RecycleBin {
    private RecycleBin() {}

    /** When a drop happens and when its object is erased: at once for FORCE, after the trash period otherwise. */
    public record DropTime(long nowMs, long expireMs, boolean force) {
        public static DropTime of(long nowMs, long trashExpireMs, boolean force) {
            return new DropTime(nowMs, force ? nowMs : nowMs + trashExpireMs, force);
        }
    }

    /** A replica an erase drops on its node. */
    public record DoomedReplica(long backendId, TabletRef tablet, long replicaId) {}

    // ---- drop ----

    /** DROP TABLE: the table and its partitions leave the catalog for the bin. */
    static RecycledObject dropTable(CatalogChange change, OlapTableDef table, DropTime at) {
        List<PartitionDef> partitions = partitionsOf(change.base(), table.getId());
        partitions.forEach(p -> change.delete(CatalogKeys.partition(p.getId())));
        change.delete(CatalogKeys.table(table.getId()));
        return put(change, entry(RecycledKind.TABLE, table.getId(), table.getDbId(), table.getId(), table.getName(),
                at).setTables(List.of(table)).setPartitions(partitions).build());
    }

    /** DROP PARTITION (and the old partition of a TRUNCATE, with FORCE): the partition leaves its table. */
    static RecycledObject dropPartition(CatalogChange change, OlapTableDef table, PartitionDef partition, DropTime at) {
        RecycledObject entry = removePartition(change, table, partition, at);
        // Rewritten so the table's commit seq moves with the drop, also after a replay.
        change.put(CatalogKeys.table(table.getId()), table);
        return entry;
    }

    /** {@link #dropPartition} for a change that rewrites the table record itself (once for many partitions). */
    static RecycledObject removePartition(CatalogChange change, OlapTableDef table, PartitionDef partition,
            DropTime at) {
        change.delete(CatalogKeys.partition(partition.getId()));
        return put(change, entry(RecycledKind.PARTITION, partition.getId(), table.getDbId(), table.getId(),
                partition.getName(), at).setTables(List.of(table)).setPartitions(List.of(partition)).build());
    }

    /**
     * Tablets written for a partition that never became one (a cancelled restore's): a PARTITION entry holding the
     * partition, so the erase drops their replicas on the nodes and forgets them. No partition record is touched.
     */
    static RecycledObject discardUnregisteredPartition(CatalogChange change, OlapTableDef table,
            PartitionDef partition, DropTime at) {
        return put(change, entry(RecycledKind.PARTITION, partition.getId(), table.getDbId(), table.getId(),
                partition.getName(), at).setTables(List.of(table)).setPartitions(List.of(partition)).build());
    }

    /** DROP DATABASE: the database with its tables, partitions, views and ODBC tables. */
    static RecycledObject dropDatabase(CatalogChange change, DatabaseDef db, DropTime at) {
        CatalogState state = change.base();
        List<OlapTableDef> tables = state.tables().values().stream().filter(t -> t.getDbId() == db.getId())
                .sorted(Comparator.comparingLong(OlapTableDef::getId)).toList();
        List<PartitionDef> partitions = new ArrayList<>();
        for (OlapTableDef table : tables) {
            for (PartitionDef partition : partitionsOf(state, table.getId())) {
                partitions.add(partition);
                change.delete(CatalogKeys.partition(partition.getId()));
            }
            change.delete(CatalogKeys.table(table.getId()));
        }
        List<ViewDef> views = state.views().values().stream().filter(v -> v.getDbId() == db.getId())
                .sorted(Comparator.comparingLong(ViewDef::getId)).toList();
        views.forEach(v -> change.delete(CatalogKeys.view(v.getId())));
        List<OdbcTableDef> odbc = state.odbcTables().values().stream().filter(t -> t.getDbId() == db.getId())
                .sorted(Comparator.comparingLong(OdbcTableDef::getId)).toList();
        odbc.forEach(t -> change.delete(CatalogKeys.odbcTable(t.getId())));
        change.delete(CatalogKeys.database(db.getId()));
        return put(change, entry(RecycledKind.DATABASE, db.getId(), db.getId(), -1, db.getName(), at)
                .setDatabase(db).setTables(tables).setPartitions(partitions).setViews(views).setOdbcTables(odbc)
                .build());
    }

    // ---- recover ----

    /** RECOVER TABLE: the newest recoverable drop of that name in the database, under its name or {@code newName}. */
    static OlapTableDef recoverTable(CatalogChange change, DatabaseDef db, String name, String newName, long nowMs) {
        CatalogState state = change.base();
        RecycledObject entry = newest(state, RecycledKind.TABLE, e -> e.getDbId() == db.getId()
                && e.getName().equals(name), nowMs).orElseThrow(() -> ApiException.notFound("UNKNOWN_TABLE",
                        "Unknown table '" + name + "'"));
        String target = newName == null || newName.isBlank() ? name : Names.check("table", newName);
        if (nameTaken(state, db.getId(), target)) {
            throw ApiException.conflict("Table '" + target + "' already exists");
        }
        OlapTableDef table = OlapTableDef.newBuilder(entry.getTables().get(0)).setName(target).build();
        change.put(CatalogKeys.table(table.getId()), table);
        entry.getPartitions().forEach(p -> change.put(CatalogKeys.partition(p.getId()), p));
        change.delete(CatalogKeys.recycled(entry.getId()));
        return table;
    }

    /** RECOVER PARTITION: back into its (live) table, if no partition has its name or overlaps its range. */
    static PartitionDef recoverPartition(CatalogChange change, OlapTableDef table, String name, String newName,
            long nowMs) {
        CatalogState state = change.base();
        RecycledObject entry = newest(state, RecycledKind.PARTITION, e -> e.getTableId() == table.getId()
                && e.getName().equals(name), nowMs).orElseThrow(() -> ApiException.notFound("UNKNOWN_PARTITION",
                        "No partition named " + name + " in table " + table.getName()));
        String target = newName == null || newName.isBlank() ? name : Names.check("partition", newName);
        List<PartitionDef> live = partitionsOf(state, table.getId());
        if (live.stream().anyMatch(p -> p.getName().equals(target))) {
            throw ApiException.conflict("partition[" + target + "] already exist in table[" + table.getName() + "]");
        }
        PartitionDef partition = PartitionDef.newBuilder(entry.getPartitions().get(0)).setName(target).build();
        RangeBounds bounds = RangeBounds.of(table);
        if (bounds != null) {
            List<PartitionSpec> existing = live.stream().map(p -> new PartitionSpec(p.getName(), p.getRangeLower(),
                    p.getRangeUpper(), p.getTemporary(), p.getBuckets())).toList();
            try {
                TableDefinitions.checkPartition(bounds, new PartitionSpec(target, partition.getRangeLower(),
                        partition.getRangeUpper(), partition.getTemporary(), partition.getBuckets()), existing);
            } catch (ApiException e) {
                throw ApiException.conflict("Can not recover partition[" + name + "]. Partition item conflict.");
            }
        }
        change.put(CatalogKeys.partition(partition.getId()), partition);
        change.put(CatalogKeys.table(table.getId()), table);
        change.delete(CatalogKeys.recycled(entry.getId()));
        return partition;
    }

    /** RECOVER DATABASE: the database with everything it held when dropped. */
    static DatabaseDef recoverDatabase(CatalogChange change, String name, String newName, long nowMs) {
        CatalogState state = change.base();
        RecycledObject entry = newest(state, RecycledKind.DATABASE, e -> e.getName().equals(name), nowMs)
                .orElseThrow(() -> ApiException.notFound("UNKNOWN_DATABASE", "Unknown database '" + name + "'"));
        String target = newName == null || newName.isBlank() ? name : Names.check("database", newName);
        if (state.databases().values().stream().anyMatch(d -> d.getName().equals(target))) {
            throw ApiException.conflict("Can't create database '" + target + "'; database exists");
        }
        DatabaseDef db = new DatabaseDef(entry.getDatabase().getId(), target);
        change.put(CatalogKeys.database(db.getId()), db);
        entry.getTables().forEach(t -> change.put(CatalogKeys.table(t.getId()), t));
        entry.getPartitions().forEach(p -> change.put(CatalogKeys.partition(p.getId()), p));
        entry.getViews().forEach(v -> change.put(CatalogKeys.view(v.getId()), v));
        entry.getOdbcTables().forEach(t -> change.put(CatalogKeys.odbcTable(t.getId()), t));
        change.delete(CatalogKeys.recycled(entry.getId()));
        return db;
    }

    // ---- erase ----

    /** Whether RECOVER may still bring it back: not FORCE-dropped and not expired. */
    public static boolean recoverable(RecycledObject entry, long nowMs) {
        return !entry.getForce() && entry.getExpireTimeMs() > nowMs;
    }

    /**
     * The entries due for erasure, partitions first, then tables, then databases (Doris's order), oldest first: those
     * whose expiry passed. A FORCE drop expires at once, or after the read grace of what a restore replaced.
     */
    static List<RecycledObject> due(CatalogState state, long nowMs) {
        return state.recycleBin().values().stream().filter(e -> e.getExpireTimeMs() <= nowMs)
                .sorted(Comparator.comparingInt((RecycledObject e) -> eraseOrder(e.getKind()))
                        .thenComparingLong(RecycledObject::getExpireTimeMs).thenComparingLong(RecycledObject::getId))
                .toList();
    }

    /** Every replica of every tablet the entry holds, for the DROP tasks of its erase. */
    static List<DoomedReplica> replicas(CatalogState state, RecycledObject entry) {
        Map<Long, OlapTableDef> tables = entry.getTables().stream()
                .collect(Collectors.toMap(OlapTableDef::getId, Function.identity(), (a, b) -> a));
        List<DoomedReplica> doomed = new ArrayList<>();
        for (PartitionDef partition : entry.getPartitions()) {
            OlapTableDef table = tables.get(partition.getTableId());
            if (table == null) {
                continue;
            }
            for (IndexMeta index : table.getIndexes()) {
                Map<Integer, TabletChunk> chunks = state.tabletChunks().get(
                        CatalogState.chunkGroup(partition.getId(), index.getId()));
                if (chunks == null) {
                    continue;
                }
                chunks.values().stream().sorted(Comparator.comparingInt(TabletChunk::getChunkIndex)).forEach(chunk -> {
                    for (TabletDef tablet : chunk.getTablets()) {
                        TabletRef ref = new TabletRef(table.getDbId(), table.getId(), partition.getId(), index.getId(),
                                tablet.getId(), index.getSchemaHash());
                        for (Replica replica : tablet.getReplicas()) {
                            doomed.add(new DoomedReplica(replica.getBackendId(), ref, replica.getId()));
                        }
                    }
                });
            }
        }
        return doomed;
    }

    /** Forgets the entry and its tablets; its replicas are gone from the nodes. */
    static void erase(CatalogChange change, RecycledObject entry) {
        entry.getPartitions().forEach(p -> change.deletePartitionTablets(p.getId()));
        change.delete(CatalogKeys.recycled(entry.getId()));
    }

    // ---- helpers ----

    /** What a bin entry is called in messages: "table orders (id 123)", "partition p1 (id 9) of table orders". */
    public static String describe(RecycledObject entry) {
        String kind = entry.getKind().name().toLowerCase(java.util.Locale.ROOT);
        String of = entry.getKind() == RecycledKind.PARTITION && !entry.getTables().isEmpty()
                ? " of table " + entry.getTables().get(0).getName() : "";
        return kind + " " + entry.getName() + " (id " + entry.getId() + ")" + of;
    }

    private static Optional<RecycledObject> newest(CatalogState state, RecycledKind kind,
            Predicate<RecycledObject> matches, long nowMs) {
        return state.recycleBin().values().stream()
                .filter(e -> e.getKind() == kind && recoverable(e, nowMs) && matches.test(e))
                .max(Comparator.comparingLong(RecycledObject::getDropTimeMs).thenComparingLong(RecycledObject::getId));
    }

    private static int eraseOrder(RecycledKind kind) {
        return switch (kind) {
            case PARTITION -> 0;
            case TABLE -> 1;
            case DATABASE -> 2;
            case UNKNOWN -> 3;
        };
    }

    private static RecycledObject.Builder entry(RecycledKind kind, long id, long dbId, long tableId, String name,
            DropTime at) {
        return RecycledObject.newBuilder().setKind(kind).setId(id).setDbId(dbId).setTableId(tableId).setName(name)
                .setDropTimeMs(at.nowMs()).setExpireTimeMs(at.expireMs()).setForce(at.force());
    }

    private static RecycledObject put(CatalogChange change, RecycledObject entry) {
        change.put(CatalogKeys.recycled(entry.getId()), entry);
        return entry;
    }

    private static List<PartitionDef> partitionsOf(CatalogState state, long tableId) {
        return state.partitions().values().stream().filter(p -> p.getTableId() == tableId)
                .sorted(Comparator.comparingLong(PartitionDef::getId)).toList();
    }

    private static boolean nameTaken(CatalogState state, long dbId, String name) {
        return state.tables().values().stream().anyMatch(t -> t.getDbId() == dbId && t.getName().equals(name))
                || state.views().values().stream().anyMatch(v -> v.getDbId() == dbId && v.getName().equals(name))
                || state.odbcTables().values().stream().anyMatch(t -> t.getDbId() == dbId && t.getName().equals(name));
    }
}
