package io.snapbus.jobs.backup;

import io.snapbus.avro.DatabaseDef;
import io.snapbus.avro.IndexMeta;
import io.snapbus.avro.OdbcResourceDef;
import io.snapbus.avro.OdbcTableDef;
import io.snapbus.avro.OlapTableDef;
import io.snapbus.avro.OlapTableType;
import io.snapbus.avro.PartitionDef;
import io.snapbus.avro.Replica;
import io.snapbus.avro.RepositoryRef;
import io.snapbus.avro.TabletDef;
import io.snapbus.avro.TabletRef;
import io.snapbus.avro.ViewDef;
import io.snapbus.jobs.catalog.CatalogView;
import io.snapbus.jobs.engine.Status;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * PENDING's catalog reads, as Doris's prepareAndSendSnapshotTask does them: resolve the requested tables and
 * partitions, skip what was dropped and what backup does not cover (materialized views), copy views and ODBC tables
 * (with their resources) as metadata, choose a replica per tablet, and record each table's commit sequence. Reads
 * only; the result is recorded in the job so nothing after PENDING needs the catalog.
 */
public final class BackupPlanner {
    private BackupPlanner() {}

    /** A plan, or the status the job is refused or cancelled with. */
    public record Outcome(BackupPlan plan, Status failure) {
        static Outcome failed(Status.Code code, String message) {
            return new Outcome(null, Status.of(code, message));
        }

        public boolean ok() {
            return plan != null;
        }
    }

    public static Outcome plan(BackupRequest request, RepositoryRef repository, CatalogView catalog) {
        Optional<DatabaseDef> db = catalog.database(request.dbName());
        if (db.isEmpty()) {
            return Outcome.failed(Status.Code.NOT_FOUND, "database " + request.dbName() + " does not exist");
        }
        long dbId = db.get().getId();
        List<BackupPlan.PlannedTable> tables = new ArrayList<>();
        List<BackupPlan.PlannedTablet> tablets = new ArrayList<>();
        List<BackupPlan.NamedObject> views = new ArrayList<>();
        List<BackupPlan.NamedObject> odbcTables = new ArrayList<>();
        Set<String> resources = new LinkedHashSet<>();
        Map<Long, Long> commitSeqs = new LinkedHashMap<>();
        List<Object> meta = new ArrayList<>();
        for (BackupRequest.TableRequest ref : request.tables()) {
            Optional<OlapTableDef> olap = catalog.table(dbId, ref.name());
            if (olap.isPresent()) {
                if (olap.get().getTableType() == OlapTableType.MATERIALIZED_VIEW) {
                    continue; // Doris skips materialized views
                }
                Outcome failure = planOlapTable(olap.get(), ref, catalog, tables, tablets, meta);
                if (failure != null) {
                    return failure;
                }
                commitSeqs.put(olap.get().getId(), catalog.tableCommitSeq(olap.get().getId()));
                continue;
            }
            Optional<ViewDef> view = catalog.view(dbId, ref.name());
            if (view.isPresent()) {
                views.add(new BackupPlan.NamedObject(view.get().getId(), view.get().getName()));
                meta.add(view.get());
                continue;
            }
            Optional<OdbcTableDef> odbc = catalog.odbcTable(dbId, ref.name());
            if (odbc.isPresent()) {
                String resourceName = odbc.get().getResourceName();
                if (resourceName != null) {
                    Optional<OdbcResourceDef> resource = catalog.resource(resourceName);
                    if (resource.isEmpty()) {
                        return Outcome.failed(Status.Code.NOT_FOUND, "resource " + resourceName
                                + " in odbc table " + odbc.get().getName() + " does not exist");
                    }
                    if (resources.add(resourceName)) {
                        meta.add(resource.get());
                    }
                }
                odbcTables.add(new BackupPlan.NamedObject(odbc.get().getId(), odbc.get().getName()));
                meta.add(odbc.get());
            }
            // A table dropped before PENDING is left out, as in Doris.
        }
        if (tables.isEmpty() && views.isEmpty() && odbcTables.isEmpty()) {
            return Outcome.failed(Status.Code.NOT_FOUND, "no valid tables found for backup");
        }
        return new Outcome(new BackupPlan(dbId, request.dbName(), repository, tables, tablets, views, odbcTables,
                List.copyOf(resources), commitSeqs, meta), null);
    }

    private static Outcome planOlapTable(OlapTableDef table, BackupRequest.TableRequest ref, CatalogView catalog,
            List<BackupPlan.PlannedTable> tables, List<BackupPlan.PlannedTablet> tablets, List<Object> meta) {
        if (!"NORMAL".equals(table.getState())) {
            return Outcome.failed(Status.Code.COMMON_ERROR, "Table " + table.getName() + "'s state is not NORMAL: "
                    + table.getState());
        }
        List<PartitionDef> all = catalog.partitions(table.getId());
        List<PartitionDef> chosen = new ArrayList<>();
        if (ref.partitions().isEmpty()) {
            if (all.stream().anyMatch(PartitionDef::getTemporary)) {
                return Outcome.failed(Status.Code.COMMON_ERROR, "Do not support backup table with temp partitions");
            }
            chosen.addAll(all);
        } else {
            for (String name : ref.partitions()) {
                Optional<PartitionDef> partition = all.stream().filter(p -> p.getName().equals(name)).findFirst();
                if (partition.isEmpty()) {
                    return Outcome.failed(Status.Code.NOT_FOUND, "partition " + name
                            + " does not exist in table" + table.getName());
                }
                if (partition.get().getTemporary()) {
                    return Outcome.failed(Status.Code.NOT_FOUND, "backup tmp partition " + name
                            + " in table " + table.getName() + " is not supported");
                }
                chosen.add(partition.get());
            }
        }
        List<BackupPlan.PlannedPartition> partitions = new ArrayList<>();
        meta.add(table);
        for (PartitionDef partition : chosen) {
            long version = partition.getVisibleVersion();
            List<BackupPlan.PlannedIndex> indexes = new ArrayList<>();
            for (IndexMeta index : table.getIndexes()) {
                List<Long> order = new ArrayList<>();
                for (TabletDef tablet : catalog.tablets(partition.getId(), index.getId())) {
                    Optional<Replica> replica = chooseReplica(tablet, version);
                    if (replica.isEmpty()) {
                        return Outcome.failed(Status.Code.COMMON_ERROR, "failed to choose replica to make snapshot"
                                + " for tablet " + tablet.getId() + ". visible version: " + version);
                    }
                    order.add(tablet.getId());
                    tablets.add(new BackupPlan.PlannedTablet(new TabletRef(table.getDbId(), table.getId(),
                            partition.getId(), index.getId(), tablet.getId(), index.getSchemaHash()), version,
                            replica.get().getBackendId(), replica.get().getId()));
                }
                indexes.add(new BackupPlan.PlannedIndex(index.getId(), index.getName(), index.getSchemaHash(), order));
            }
            partitions.add(new BackupPlan.PlannedPartition(partition.getId(), partition.getName(), version, indexes));
            meta.add(partition);
        }
        tables.add(new BackupPlan.PlannedTable(table.getId(), table.getName(), partitions));
        return null;
    }

    /**
     * The lowest replica id with no failed version and a version at least the visible one, so successive backups
     * read the same replica (Doris's rule).
     */
    public static Optional<Replica> chooseReplica(TabletDef tablet, long visibleVersion) {
        return tablet.getReplicas().stream()
                .filter(r -> r.getLastFailedVersion() < 0 && r.getVersion() >= visibleVersion)
                .min(Comparator.comparingLong(Replica::getId));
    }

    /**
     * The same rule among replicas the catalog shows now, skipping {@code excludedBackends} (those whose replica
     * already answered TABLET_MISSING for this tablet).
     */
    public static Optional<ReplicaInfo> chooseReplica(List<ReplicaInfo> replicas, long visibleVersion,
            Set<Long> excludedBackends) {
        return replicas.stream()
                .filter(r -> !excludedBackends.contains(r.backendId()))
                .filter(r -> r.lastFailedVersion() < 0 && r.version() >= visibleVersion)
                .min(Comparator.comparingLong(ReplicaInfo::replicaId));
    }
}
