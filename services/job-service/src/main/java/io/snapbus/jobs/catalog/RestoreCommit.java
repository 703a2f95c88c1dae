package io.snapbus.jobs.catalog;

import static io.snapbus.jobs.catalog.RestoreCatalog.NORMAL;
import static io.snapbus.jobs.catalog.RestoreCatalog.partitionsOf;
import static io.snapbus.jobs.catalog.RestoreCatalog.partitionsRegistered;
import static io.snapbus.jobs.catalog.RestoreCatalog.realName;
import static io.snapbus.jobs.catalog.RestoreCatalog.renamed;
import static io.snapbus.jobs.catalog.RestoreCatalog.replacedIds;
import static io.snapbus.jobs.catalog.RestoreCatalog.restored;
import static io.snapbus.jobs.catalog.RestoreCatalog.tableCommitted;
import static io.snapbus.jobs.catalog.RestoreCatalog.tableNamed;
import static io.snapbus.jobs.catalog.RestoreCatalog.tabletsWritten;
import static io.snapbus.jobs.catalog.RestoreCatalog.takenByAnother;
import static io.snapbus.jobs.catalog.RestoreCatalog.withState;

import io.snapbus.avro.DatabaseDef;
import io.snapbus.avro.OdbcResourceDef;
import io.snapbus.avro.OdbcTableDef;
import io.snapbus.avro.OlapTableDef;
import io.snapbus.avro.OlapTableType;
import io.snapbus.avro.PartitionDef;
import io.snapbus.avro.ViewDef;
import io.snapbus.jobs.catalog.RestoreCatalog.Outcome;
import io.snapbus.jobs.restore.RestoreOptions;
import io.snapbus.jobs.restore.RestorePlan;
import io.snapbus.jobs.restore.RestorePlan.PartitionPlan;
import io.snapbus.jobs.restore.RestorePlan.TableKind;
import io.snapbus.jobs.restore.RestorePlan.TablePlan;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * The commit of a restore (end of COMMITTING, Doris's allTabletCommitted) as one catalog change: the restored
 * partitions and tables swapped in, what they replace erased through the recycle bin, views, ODBC tables and resources
 * created, and clean_tables / clean_partitions. A pure function of the change's base catalog and the plan.
 */
final class RestoreCommit {
    private RestoreCommit() {}

    /**
     * NEW tables become NORMAL; an EXISTING table's replaced partitions go to the recycle bin with FORCE (not
     * recoverable; erased, their replicas dropped, once {@code readGraceMs} passed, so reads begun on them end) and the
     * restored ones take their names; an ATOMIC staged table replaces the live one (erased the same way) under the
     * real name. Then views, ODBC tables and resources, and clean_tables / clean_partitions (recycle bin,
     * recoverable). Run again after it happened, it writes nothing.
     */
    static Outcome apply(CatalogChange change, long dbId, RestorePlan plan, RestoreOptions options, long nowMs,
            long trashExpireMs, long readGraceMs) {
        CatalogState state = change.base();
        DatabaseDef db = state.databases().get(dbId);
        if (db == null) {
            return new Outcome.Refused("database " + dbId + " has been dropped");
        }
        if (committed(state, dbId, plan)) {
            return new Outcome.AlreadyApplied();
        }
        Optional<String> refusal = commitRefusal(state, db, plan);
        if (refusal.isPresent()) {
            return new Outcome.Refused(refusal.get());
        }
        RecycleBin.DropTime erase = new RecycleBin.DropTime(nowMs, nowMs + readGraceMs, true);
        RecycleBin.DropTime trash = RecycleBin.DropTime.of(nowMs, trashExpireMs, false);
        for (TablePlan table : plan.tables()) {
            switch (table.kind()) {
                case NEW -> change.put(CatalogKeys.table(table.target().getId()),
                        withState(state.tables().get(table.target().getId()), NORMAL));
                case ATOMIC -> {
                    OlapTableDef staged = state.tables().get(table.target().getId());
                    String name = realName(table);
                    tableNamed(state, dbId, name).filter(t -> t.getId() != staged.getId())
                            .ifPresent(live -> RecycleBin.dropTable(change, live, erase));
                    change.put(CatalogKeys.table(staged.getId()), renamed(staged, name, NORMAL));
                }
                case EXISTING -> commitExisting(change, state, table, options.cleanPartitions(), erase, trash);
            }
        }
        plan.views().forEach(v -> change.put(CatalogKeys.view(v.getId()), v));
        plan.odbcTables().forEach(t -> change.put(CatalogKeys.odbcTable(t.getId()), t));
        plan.resources().stream().filter(r -> !state.resources().containsKey(r.getName()))
                .forEach(r -> change.put(CatalogKeys.resource(r.getName()), r));
        if (options.cleanTables()) {
            cleanTables(change, state, dbId, plan, trash);
        }
        return new Outcome.Applied(change.entries().size());
    }

    private static void commitExisting(CatalogChange change, CatalogState state, TablePlan table,
            boolean cleanPartitions, RecycleBin.DropTime erase, RecycleBin.DropTime trash) {
        OlapTableDef normal = withState(state.tables().get(table.liveTableId()), NORMAL);
        Set<Long> replaced = replacedIds(table);
        for (PartitionPlan partition : table.partitions()) {
            PartitionDef old = state.partitions().get(partition.replacedPartitionId());
            if (old != null) {
                RecycleBin.removePartition(change, normal, old, erase);
            }
            change.put(CatalogKeys.partition(partition.target().getId()), restored(partition, normal));
        }
        if (cleanPartitions) {
            // Doris's clean_partitions: what the backup does not have goes to the recycle bin.
            partitionsOf(state, normal.getId()).stream().filter(p -> !replaced.contains(p.getId()))
                    .forEach(p -> RecycleBin.removePartition(change, normal, p, trash));
        }
        change.put(CatalogKeys.table(normal.getId()), normal);
    }

    /**
     * Doris's clean_tables: the OLAP tables and views of the database the restore does not hold go to the recycle bin
     * (views, which have no bin entry of their own here, are deleted as DROP VIEW does). Materialized views, ODBC
     * tables, staged tables and tables another restore holds are left alone.
     */
    private static void cleanTables(CatalogChange change, CatalogState state, long dbId, RestorePlan plan,
            RecycleBin.DropTime trash) {
        Set<String> kept = new HashSet<>();
        Set<Long> keptIds = new HashSet<>();
        for (TablePlan table : plan.tables()) {
            kept.add(realName(table));
            keptIds.add(table.target().getId());
            keptIds.add(table.liveTableId());
        }
        plan.views().forEach(v -> kept.add(v.getName()));
        state.tables().values().stream().filter(t -> t.getDbId() == dbId && t.getTableType() == OlapTableType.OLAP
                        && NORMAL.equals(t.getState()) && !t.getName().startsWith(RestorePlan.ATOMIC_PREFIX)
                        && !kept.contains(t.getName()) && !keptIds.contains(t.getId()))
                .sorted(Comparator.comparingLong(OlapTableDef::getId))
                .forEach(t -> RecycleBin.dropTable(change, t, trash));
        state.views().values().stream().filter(v -> v.getDbId() == dbId && !kept.contains(v.getName()))
                .sorted(Comparator.comparingLong(ViewDef::getId))
                .forEach(v -> change.delete(CatalogKeys.view(v.getId())));
    }

    /** Whether the commit happened: every table swapped in, or (no tables) every view, ODBC table and resource in. */
    private static boolean committed(CatalogState state, long dbId, RestorePlan plan) {
        if (!plan.tables().isEmpty()) {
            return plan.tables().stream().allMatch(t -> switch (t.kind()) {
                case NEW, ATOMIC -> tableCommitted(state, t);
                case EXISTING -> partitionsRegistered(state, t);
            });
        }
        return plan.views().stream().allMatch(v -> v.equals(state.views().get(v.getId())))
                && plan.odbcTables().stream().allMatch(t -> t.equals(state.odbcTables().get(t.getId())))
                && plan.resources().stream().allMatch(r -> state.resources().containsKey(r.getName()));
    }

    /** Why the commit cannot happen: something prepare registered is gone, or a name is taken. */
    private static Optional<String> commitRefusal(CatalogState state, DatabaseDef db, RestorePlan plan) {
        for (TablePlan table : plan.tables()) {
            OlapTableDef current = state.tables().get(table.kind() == TableKind.EXISTING ? table.liveTableId()
                    : table.target().getId());
            if (table.kind() == TableKind.ATOMIC) {
                if (current == null || !current.getName().equals(table.targetName())) {
                    return Optional.of("replace table failed, the temp table " + table.targetName()
                            + " is not found");
                }
                String name = realName(table);
                Optional<OlapTableDef> origin = tableNamed(state, db.getId(), name);
                if (origin.isPresent() && origin.get().getTableType() != OlapTableType.OLAP) {
                    return Optional.of("replace table failed, the origin table " + name
                            + " is not OLAP table, it is " + origin.get().getTableType());
                }
                if (state.views().values().stream().anyMatch(v -> v.getDbId() == db.getId()
                        && v.getName().equals(name))) {
                    return Optional.of("replace table failed, the origin table " + name
                            + " is not OLAP table, it is VIEW");
                }
                if (state.odbcTables().values().stream().anyMatch(t -> t.getDbId() == db.getId()
                        && t.getName().equals(name))) {
                    return Optional.of("replace table failed, the origin table " + name
                            + " is not OLAP table, it is ODBC");
                }
            } else if (current == null) {
                return Optional.of("table " + (table.kind() == TableKind.EXISTING ? table.liveTableId()
                        : table.target().getId()) + " has been dropped");
            } else if (table.kind() == TableKind.EXISTING && !tabletsWritten(state, table)) {
                return Optional.of("the restore of table " + current.getName()
                        + " was not prepared: its new tablets are not in the catalog");
            }
        }
        for (ViewDef view : plan.views()) {
            if (takenByAnother(state, db.getId(), view.getName(), view.getId())) {
                return Optional.of("Table " + view.getName() + " already exist in db: " + db.getName());
            }
        }
        for (OdbcTableDef odbc : plan.odbcTables()) {
            if (takenByAnother(state, db.getId(), odbc.getName(), odbc.getId())) {
                return Optional.of("Table " + odbc.getName() + " already exist in db: " + db.getName());
            }
        }
        for (OdbcResourceDef resource : plan.resources()) {
            OdbcResourceDef live = state.resources().get(resource.getName());
            if (live != null && !live.getProperties().equals(resource.getProperties())) {
                return Optional.of("Odbc resource " + resource.getName()
                        + " already exist but with different properties");
            }
        }
        return Optional.empty();
    }
}
