package io.snapbus.jobs.restore;

import io.snapbus.avro.BackendDef;
import io.snapbus.avro.Column;
import io.snapbus.avro.DatabaseDef;
import io.snapbus.avro.IndexMeta;
import io.snapbus.avro.OdbcResourceDef;
import io.snapbus.avro.OdbcTableDef;
import io.snapbus.avro.OlapTableDef;
import io.snapbus.avro.OlapTableType;
import io.snapbus.avro.PartitionDef;
import io.snapbus.avro.Replica;
import io.snapbus.avro.ViewDef;
import io.snapbus.jobs.catalog.CatalogView;
import io.snapbus.jobs.catalog.RangeBounds;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * PENDING of a restore (Doris's checkAndPrepareMeta, doris-restore-facts.md §2.1, §2.3, §2.6): checks the selected
 * snapshot objects against the catalog with Doris's rules and messages and plans new ids, replicas and the file
 * mapping. Reads only; a refused restore changed nothing.
 */
public final class RestorePlanner {
    private final CatalogView catalog;
    private final LongSupplier ids;

    /** {@code ids} hands out fresh catalog ids (the catalog's allocator in the shell). */
    public RestorePlanner(CatalogView catalog, LongSupplier ids) {
        this.catalog = catalog;
        this.ids = ids;
    }

    public RestorePlan plan(RestoreRequest request, SnapshotInfo info, SnapshotMeta meta) {
        DatabaseDef db = catalog.database(request.dbName()).orElseThrow(() -> RestoreRequestException.notFound(
                "Unknown database '" + request.dbName() + "'"));
        SnapshotSelection selection = SnapshotSelection.of(request, info);
        List<BackendDef> backends = catalog.backends().stream().filter(b -> !b.getDecommissioned())
                .sorted(Comparator.comparingLong(BackendDef::getId)).toList();
        List<RestorePlan.TablePlan> tables = new ArrayList<>();
        for (SnapshotSelection.SelectedTable selected : selection.tables()) {
            OlapTableDef backedUp = meta.tables().get(selected.source().name());
            if (backedUp == null) {
                throw RestoreRequestException.invalid("Table " + selected.source().name()
                        + " is in the job info but not in the meta file of snapshot " + info.label());
            }
            tables.add(table(db, request.options(), selected, backedUp, meta, backends));
        }
        List<ViewDef> views = new ArrayList<>();
        for (SnapshotSelection.SelectedObject selected : selection.views()) {
            ViewDef backedUp = meta.views().stream().filter(v -> v.getName().equals(selected.source().name()))
                    .findFirst().orElseThrow(() -> missingMeta(selected.source().name(), info));
            views.add(view(db, request.options(), selected.targetName(), backedUp));
        }
        List<OdbcTableDef> odbcTables = new ArrayList<>();
        for (SnapshotSelection.SelectedObject selected : selection.odbcTables()) {
            OdbcTableDef backedUp = meta.odbcTables().stream().filter(o -> o.getName().equals(
                    selected.source().name())).findFirst().orElseThrow(() -> missingMeta(selected.source().name(),
                    info));
            odbcTable(db, selected.targetName(), backedUp).ifPresent(odbcTables::add);
        }
        return new RestorePlan(tables, views, odbcTables, resources(meta, odbcTables));
    }

    private RestorePlan.TablePlan table(DatabaseDef db, RestoreOptions options,
            SnapshotSelection.SelectedTable selected, OlapTableDef backedUp, SnapshotMeta meta,
            List<BackendDef> backends) {
        String name = selected.targetName();
        requireNoOtherObjectNamed(db, name);
        Optional<OlapTableDef> live = catalog.table(db.getId(), name);
        List<PartitionDef> livePartitions = live.map(t -> catalog.partitions(t.getId())).orElse(List.of());
        int replication = options.reserveReplica() ? backedUp.getReplicationNum() : options.replicationNum();
        if (live.isPresent()) {
            OlapTableDef existing = live.get();
            if (existing.getTableType() != OlapTableType.OLAP) {
                throw RestoreRequestException.invalid("Only support restore OLAP table: " + name);
            }
            if (!"NORMAL".equals(existing.getState())) {
                throw RestoreRequestException.conflict("Table " + name + "'s state is not NORMAL: "
                        + existing.getState());
            }
            if (livePartitions.stream().anyMatch(PartitionDef::getTemporary)) {
                throw RestoreRequestException.invalid("Do not support restoring table with temp partitions");
            }
            boolean partitioned = !existing.getPartitionColumns().isEmpty();
            if (partitioned != !backedUp.getPartitionColumns().isEmpty() && !options.forceReplace()) {
                throw RestoreRequestException.invalid("Table's partition type is different");
            }
            if (!options.atomicRestore() || !options.forceReplace()) {
                requireSameSchema(name, existing, livePartitions, backedUp, selected, meta);
            }
        }
        if (options.atomicRestore() || live.isEmpty()) {
            String target = options.atomicRestore() ? RestorePlan.ATOMIC_PREFIX + name : name;
            OlapTableDef created = newTable(db, backedUp, name, replication);
            List<RestorePlan.PartitionPlan> partitions = new ArrayList<>();
            for (SnapshotInfo.Partition partition : selected.partitions()) {
                partitions.add(partition(created, backedUp, meta, partition, -1, replication, backends));
            }
            return new RestorePlan.TablePlan(target, options.atomicRestore() ? RestorePlan.TableKind.ATOMIC
                    : RestorePlan.TableKind.NEW, created, live.map(OlapTableDef::getId).orElse(-1L), partitions);
        }
        OlapTableDef existing = live.get();
        if (existing.getReplicationNum() != replication) {
            // Doris checks each existing partition; our replication number is the table's.
            SnapshotInfo.Partition first = selected.partitions().get(0);
            throw RestoreRequestException.invalid("Partition " + first.name() + " in table " + name
                    + " has different replication num '" + existing.getReplicationNum()
                    + "' with partition in repository, which is " + replication);
        }
        RangeBounds bounds = RangeBounds.of(existing);
        List<RestorePlan.PartitionPlan> partitions = new ArrayList<>();
        for (SnapshotInfo.Partition partition : selected.partitions()) {
            PartitionDef source = meta.partition(selected.source().name(), partition.name()).orElseThrow(() ->
                    missingMeta(selected.source().name() + "." + partition.name(), null));
            Optional<PartitionDef> same = livePartitions.stream().filter(p -> p.getName().equals(partition.name()))
                    .findFirst();
            if (same.isPresent()) {
                if (!Objects.equals(same.get().getRangeLower(), source.getRangeLower())
                        || !Objects.equals(same.get().getRangeUpper(), source.getRangeUpper())) {
                    throw RestoreRequestException.invalid("Partition " + partition.name() + " in table " + name
                            + " has different partition item with partition in repository");
                }
            } else if (bounds == null) {
                throw RestoreRequestException.invalid("No partition exist in single partitioned table " + name);
            } else if (livePartitions.stream().anyMatch(p -> bounds.overlaps(p.getRangeLower(), p.getRangeUpper(),
                    source.getRangeLower(), source.getRangeUpper()))) {
                throw RestoreRequestException.invalid("Partition " + partition.name() + " in table " + name
                        + " has conflict partition item with existing items");
            }
            partitions.add(partition(existing, backedUp, meta, partition, same.map(PartitionDef::getId).orElse(-1L),
                    replication, backends));
        }
        return new RestorePlan.TablePlan(name, RestorePlan.TableKind.EXISTING, existing, existing.getId(),
                partitions);
    }

    /**
     * Doris's table signature on what both sides have: model, columns of every index, partition and distribution
     * columns, buckets of each common partition, and the name (so an alias onto another table is refused).
     */
    private static void requireSameSchema(String name, OlapTableDef live, List<PartitionDef> livePartitions,
            OlapTableDef backedUp, SnapshotSelection.SelectedTable selected, SnapshotMeta meta) {
        boolean same = live.getName().equals(backedUp.getName())
                && live.getKeysType() == backedUp.getKeysType()
                && columns(live).equals(columns(backedUp))
                && live.getPartitionColumns().equals(backedUp.getPartitionColumns())
                && live.getDistributionColumns().equals(backedUp.getDistributionColumns())
                && indexes(live).equals(indexes(backedUp));
        if (same) {
            for (PartitionDef partition : livePartitions) {
                Optional<PartitionDef> theirs = meta.partition(selected.source().name(), partition.getName());
                if (theirs.isPresent() && theirs.get().getBuckets() != partition.getBuckets()) {
                    same = false;
                }
            }
        }
        if (!same) {
            throw RestoreRequestException.conflict("Table " + name + " already exist but with different schema");
        }
    }

    private static List<String> columns(OlapTableDef table) {
        return table.getColumns().stream().map(RestorePlanner::signature).toList();
    }

    private static String signature(Column c) {
        return c.getName() + " " + c.getType() + " " + c.getIsKey() + " " + c.getNullable() + " "
                + c.getAggregation();
    }

    private static Map<String, List<String>> indexes(OlapTableDef table) {
        Map<String, List<String>> out = new java.util.TreeMap<>();
        table.getIndexes().forEach(i -> out.put(i.getIsBase() ? "" : i.getName(), List.copyOf(i.getColumns())));
        return out;
    }

    /** The backed-up table as a new table of this database: new table and index ids, the restore's replication. */
    private OlapTableDef newTable(DatabaseDef db, OlapTableDef backedUp, String name, int replication) {
        List<IndexMeta> indexes = new ArrayList<>();
        for (IndexMeta index : backedUp.getIndexes()) {
            indexes.add(IndexMeta.newBuilder(index).setId(ids.getAsLong())
                    .setName(index.getIsBase() ? name : index.getName()).build());
        }
        return OlapTableDef.newBuilder(backedUp).setId(ids.getAsLong()).setDbId(db.getId()).setName(name)
                .setIndexes(indexes).setReplicationNum(replication).setState("RESTORE").build();
    }

    /**
     * A new partition of {@code target} at the backup's version, its tablets paired by position with the backed-up
     * ones of the same index name, each with {@code replication} replicas on distinct live backends.
     */
    private RestorePlan.PartitionPlan partition(OlapTableDef target, OlapTableDef backedUp, SnapshotMeta meta,
            SnapshotInfo.Partition source, long replaced, int replication, List<BackendDef> backends) {
        if (replication > backends.size()) {
            throw RestoreRequestException.invalid("Failed to find enough backends for replication num "
                    + replication + ": only " + backends.size() + " live backend(s)");
        }
        PartitionDef backedUpPartition = meta.partition(backedUp.getName(), source.name()).orElseThrow(() ->
                missingMeta(backedUp.getName() + "." + source.name(), null));
        long version = source.version();
        PartitionDef partition = PartitionDef.newBuilder(backedUpPartition).setId(ids.getAsLong())
                .setTableId(target.getId()).setTemporary(false).setVisibleVersion(version)
                .setNextVersion(version + 1).build();
        Map<Long, List<RestorePlan.TabletPlan>> tablets = new LinkedHashMap<>();
        int ordinal = (int) Math.floorMod(partition.getId(), (long) backends.size());
        for (IndexMeta index : target.getIndexes()) {
            String backedUpName = index.getIsBase() ? backedUp.getName() : index.getName();
            SnapshotInfo.Index sourceIndex = source.indexes().get(backedUpName);
            if (sourceIndex == null) {
                throw RestoreRequestException.invalid("index " + backedUpName + " does not exist in partition "
                        + source.name() + " of the snapshot");
            }
            List<RestorePlan.TabletPlan> planned = new ArrayList<>();
            for (long sourceTablet : sourceIndex.tabletOrder()) {
                List<Replica> replicas = new ArrayList<>();
                for (int r = 0; r < replication; r++) {
                    BackendDef backend = backends.get((ordinal + r) % backends.size());
                    replicas.add(new Replica(ids.getAsLong(), backend.getId(), version, -1L, version));
                }
                ordinal++;
                planned.add(new RestorePlan.TabletPlan(ids.getAsLong(), sourceTablet, index.getSchemaHash(),
                        replicas));
            }
            tablets.put(index.getId(), planned);
        }
        return new RestorePlan.PartitionPlan(source.withoutFiles(), partition, replaced, tablets);
    }

    private void requireNoOtherObjectNamed(DatabaseDef db, String name) {
        if (catalog.view(db.getId(), name).isPresent() || catalog.odbcTable(db.getId(), name).isPresent()) {
            throw RestoreRequestException.conflict("The local table " + name
                    + " with the same name but a different type of backup meta.");
        }
    }

    private ViewDef view(DatabaseDef db, RestoreOptions options, String name, ViewDef backedUp) {
        if (catalog.table(db.getId(), name).isPresent() || catalog.odbcTable(db.getId(), name).isPresent()) {
            throw RestoreRequestException.conflict("The local table " + name
                    + " with the same name but a different type of backup meta.");
        }
        Optional<ViewDef> live = catalog.view(db.getId(), name);
        if (live.isPresent() && !live.get().getSql().equals(backedUp.getSql()) && !options.forceReplace()) {
            throw RestoreRequestException.conflict("View " + name + " already exist but with different schema");
        }
        return ViewDef.newBuilder(backedUp).setId(live.map(ViewDef::getId).orElseGet(ids::getAsLong))
                .setDbId(db.getId()).setName(name).build();
    }

    private Optional<OdbcTableDef> odbcTable(DatabaseDef db, String name, OdbcTableDef backedUp) {
        if (catalog.table(db.getId(), name).isPresent() || catalog.view(db.getId(), name).isPresent()) {
            throw RestoreRequestException.conflict("The local table " + name
                    + " with the same name but a different type of backup meta.");
        }
        Optional<OdbcTableDef> live = catalog.odbcTable(db.getId(), name);
        if (live.isPresent()) {
            boolean same = live.get().getColumns().equals(backedUp.getColumns())
                    && Objects.equals(live.get().getResourceName(), backedUp.getResourceName())
                    && live.get().getRemoteDatabase().equals(backedUp.getRemoteDatabase())
                    && live.get().getRemoteTable().equals(backedUp.getRemoteTable());
            if (!same) {
                throw RestoreRequestException.conflict("Odbc table " + name
                        + " already exist but with different schema");
            }
            return Optional.empty(); // already there as backed up
        }
        return Optional.of(OdbcTableDef.newBuilder(backedUp).setId(ids.getAsLong()).setDbId(db.getId())
                .setName(name).build());
    }

    /** The resources the restored ODBC tables use that the catalog lacks; one that differs is refused. */
    private List<OdbcResourceDef> resources(SnapshotMeta meta, List<OdbcTableDef> odbcTables) {
        List<OdbcResourceDef> missing = new ArrayList<>();
        for (OdbcResourceDef resource : meta.resources()) {
            boolean used = odbcTables.stream().anyMatch(t -> resource.getName().equals(t.getResourceName()));
            Optional<OdbcResourceDef> live = catalog.resource(resource.getName());
            if (live.isPresent()) {
                if (!live.get().getProperties().equals(resource.getProperties())) {
                    throw RestoreRequestException.conflict("Odbc resource " + resource.getName()
                            + " already exist but with different properties");
                }
            } else if (used) {
                missing.add(resource);
            }
        }
        return missing;
    }

    private static RestoreRequestException missingMeta(String name, SnapshotInfo info) {
        return RestoreRequestException.invalid(name + " is in the job info but not in the meta file"
                + (info == null ? "" : " of snapshot " + info.label()));
    }
}
