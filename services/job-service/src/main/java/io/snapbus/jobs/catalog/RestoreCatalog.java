package io.snapbus.jobs.catalog;

import io.snapbus.avro.DatabaseDef;
import io.snapbus.avro.IndexMeta;
import io.snapbus.avro.OlapTableDef;
import io.snapbus.avro.PartitionDef;
import io.snapbus.avro.RecycledKind;
import io.snapbus.avro.RecycledObject;
import io.snapbus.avro.TabletDef;
import io.snapbus.jobs.restore.RestoreOptions;
import io.snapbus.jobs.restore.RestorePlan;
import io.snapbus.jobs.restore.RestorePlan.PartitionPlan;
import io.snapbus.jobs.restore.RestorePlan.TableKind;
import io.snapbus.jobs.restore.RestorePlan.TablePlan;
import io.snapbus.jobs.restore.RestorePlan.TabletPlan;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The three catalog changes of a restore, each one atomic catalog change and idempotent: {@link #prepare} registers
 * the new tablets (and new or staged tables) before any replica is created, {@link #commit} swaps them in (its rules
 * are {@link RestoreCommit}'s), and {@link #cancel} puts what prepare wrote on the erase path. Until the commit no
 * live partition changes, so a failure, crash or cancel before it leaves every partition as it was; after it every
 * partition is restored. The rules are static functions of a {@link CatalogChange} (testable without a broker); the
 * methods run them under the catalog's write lock. A step run again after it happened (a replay) writes nothing.
 */
@Component
public class RestoreCatalog {
    public static final String NORMAL = "NORMAL";
    /** Doris's OlapTableState.RESTORE: no load, no DDL, no backup. */
    public static final String RESTORE = "RESTORE";
    /** Doris's RESTORE_WITH_LOAD (allow_load): loads are taken, DDL and backup are not. */
    public static final String RESTORE_WITH_LOAD = "RESTORE_WITH_LOAD";

    private static final Logger log = LoggerFactory.getLogger(RestoreCatalog.class);

    /** What a step did. */
    public sealed interface Outcome {
        /** The change was written: {@code records} catalog records. */
        record Applied(int records) implements Outcome {}

        /** Nothing to write: the step happened before (or, for cancel, there is nothing to undo). */
        record AlreadyApplied() implements Outcome {}

        /** The step cannot happen; nothing was written. The message is Doris's where Doris has one. */
        record Refused(String message) implements Outcome {}
    }

    private final Catalog catalog;
    private final CatalogProperties properties;
    private final RecycleBinEraser eraser;

    public RestoreCatalog(Catalog catalog, CatalogProperties properties, RecycleBinEraser eraser) {
        this.catalog = catalog;
        this.properties = properties;
        this.eraser = eraser;
    }

    /** Whether the table is being restored into (DDL and backups refuse it). */
    public static boolean inRestore(OlapTableDef table) {
        return RESTORE.equals(table.getState()) || RESTORE_WITH_LOAD.equals(table.getState());
    }

    // ---- the shell's calls ----

    /** End of PENDING, before any CREATE task. */
    public Outcome prepare(long dbId, RestorePlan plan, RestoreOptions options) {
        Outcome outcome = catalog.update(change -> prepare(change, dbId, plan, options));
        log.info("restore catalog: prepare of {} tables in db {}: {}", plan.tables().size(), dbId, outcome);
        return outcome;
    }

    /** End of COMMITTING: the one change that swaps the restored partitions and tables in. */
    public Outcome commit(long dbId, RestorePlan plan, RestoreOptions options, long nowMs) {
        Outcome outcome = catalog.update(change -> commit(change, dbId, plan, options, nowMs,
                properties.trashExpireMs(), properties.replacedReadGrace().toMillis()));
        log.info("restore catalog: commit of {} tables in db {}: {}", plan.tables().size(), dbId, outcome);
        if (outcome instanceof Outcome.Applied) {
            eraser.eraseAfter(properties.replacedReadGrace());
        }
        return outcome;
    }

    /** Doris's cancelInternal: what prepare wrote is erased, tables are NORMAL again. */
    public Outcome cancel(long dbId, RestorePlan plan, long nowMs) {
        Outcome outcome = catalog.update(change -> cancel(change, plan, nowMs));
        log.info("restore catalog: cancel of {} tables in db {}: {}", plan.tables().size(), dbId, outcome);
        if (outcome instanceof Outcome.Applied) {
            eraser.eraseSoon();
        }
        return outcome;
    }

    // ---- prepare ----

    /**
     * NEW and ATOMIC tables are registered (ATOMIC under the staged name) in state RESTORE, or RESTORE_WITH_LOAD with
     * allow_load, with their partitions and tablets. An EXISTING table goes to that state and gets the tablets of its
     * restored partitions, whose partition records wait for the commit, so nothing reads or loads them before.
     */
    static Outcome prepare(CatalogChange change, long dbId, RestorePlan plan, RestoreOptions options) {
        CatalogState state = change.base();
        DatabaseDef db = state.databases().get(dbId);
        if (db == null) {
            return new Outcome.Refused("database " + dbId + " does not exist");
        }
        Optional<String> cancelled = cancelledBefore(state, plan);
        if (cancelled.isPresent()) {
            return new Outcome.Refused(cancelled.get());
        }
        String restoring = options.allowLoad() ? RESTORE_WITH_LOAD : RESTORE;
        List<TablePlan> todo = new ArrayList<>();
        for (TablePlan table : plan.tables()) {
            if (table.kind() == TableKind.EXISTING) {
                OlapTableDef live = state.tables().get(table.liveTableId());
                if (live == null) {
                    return new Outcome.Refused("table " + table.liveTableId() + " has been dropped");
                }
                if (tabletsWritten(state, table) || partitionsRegistered(state, table)) {
                    continue;
                }
                Optional<String> refusal = existingTableRefusal(state, table, live);
                if (refusal.isPresent()) {
                    return new Outcome.Refused(refusal.get());
                }
            } else {
                if (state.tables().containsKey(table.target().getId())) {
                    continue;
                }
                if (nameTaken(state, dbId, table.targetName())) {
                    return new Outcome.Refused("Table " + table.targetName() + " already exist in db: "
                            + db.getName());
                }
            }
            todo.add(table);
        }
        if (todo.isEmpty()) {
            return new Outcome.AlreadyApplied();
        }
        for (TablePlan table : todo) {
            if (table.kind() == TableKind.EXISTING) {
                OlapTableDef live = state.tables().get(table.liveTableId());
                change.put(CatalogKeys.table(live.getId()), withState(live, restoring));
                table.partitions().forEach(p -> putTablets(change, live.getId(), p));
            } else {
                OlapTableDef staged = renamed(table.target(), table.targetName(), restoring);
                change.put(CatalogKeys.table(staged.getId()), staged);
                for (PartitionPlan partition : table.partitions()) {
                    change.put(CatalogKeys.partition(partition.target().getId()), restored(partition, staged));
                    putTablets(change, staged.getId(), partition);
                }
            }
        }
        return new Outcome.Applied(change.entries().size());
    }

    /** The live partitions an EXISTING restore replaces are still there, and no other one took an added one's place. */
    private static Optional<String> existingTableRefusal(CatalogState state, TablePlan table, OlapTableDef live) {
        if (!NORMAL.equals(live.getState())) {
            return Optional.of("Table " + live.getName() + "'s state is not NORMAL: " + live.getState());
        }
        Set<Long> replaced = replacedIds(table);
        List<PartitionDef> others = partitionsOf(state, live.getId()).stream()
                .filter(p -> !replaced.contains(p.getId())).toList();
        RangeBounds bounds = RangeBounds.of(live);
        for (PartitionPlan partition : table.partitions()) {
            if (partition.replacedPartitionId() != -1 && !state.partitions().containsKey(
                    partition.replacedPartitionId())) {
                return Optional.of("partition " + partition.replacedPartitionId() + " has been dropped");
            }
            PartitionDef target = partition.target();
            boolean clash = others.stream().anyMatch(p -> p.getName().equals(target.getName())
                    || bounds != null && bounds.overlaps(p.getRangeLower(), p.getRangeUpper(), target.getRangeLower(),
                            target.getRangeUpper()));
            if (clash) {
                return Optional.of("Partition " + target.getName() + " in table " + live.getName()
                        + " has conflict partition item with existing items");
            }
        }
        return Optional.empty();
    }

    // ---- commit ----

    /** See {@link RestoreCommit}: the one change that swaps the restore in. */
    static Outcome commit(CatalogChange change, long dbId, RestorePlan plan, RestoreOptions options, long nowMs,
            long trashExpireMs, long readGraceMs) {
        return RestoreCommit.apply(change, dbId, plan, options, nowMs, trashExpireMs, readGraceMs);
    }

    // ---- cancel ----

    /**
     * Doris's cancelInternal: NEW and staged ATOMIC tables this plan registered are dropped with FORCE (their replicas
     * erased); an EXISTING table's new tablets go to the erase path as PARTITION entries and the table is NORMAL
     * again. Views, ODBC tables and resources exist only after the commit, so there is nothing of theirs to undo.
     * Touches only objects with the plan's ids; after a commit, or without a prepare, it writes nothing.
     */
    static Outcome cancel(CatalogChange change, RestorePlan plan, long nowMs) {
        CatalogState state = change.base();
        RecycleBin.DropTime erase = new RecycleBin.DropTime(nowMs, nowMs, true);
        for (TablePlan table : plan.tables()) {
            if (table.kind() == TableKind.EXISTING) {
                List<PartitionDef> unregistered = table.partitions().stream().filter(p -> hasTablets(state, p))
                        .map(PartitionPlan::target).filter(p -> !state.partitions().containsKey(p.getId())
                                && !state.recycleBin().containsKey(p.getId()))
                        .toList();
                if (unregistered.isEmpty()) {
                    continue;
                }
                OlapTableDef live = state.tables().get(table.liveTableId());
                OlapTableDef holder = live != null ? live : table.target();
                unregistered.forEach(p -> RecycleBin.discardUnregisteredPartition(change, holder, p, erase));
                if (live != null && inRestore(live)) {
                    change.put(CatalogKeys.table(live.getId()), withState(live, NORMAL));
                }
            } else {
                OlapTableDef staged = state.tables().get(table.target().getId());
                // A NEW table keeps its name at the commit, so its state tells; an ATOMIC one is renamed.
                boolean uncommitted = staged != null && staged.getName().equals(table.targetName())
                        && (table.kind() == TableKind.ATOMIC || inRestore(staged));
                if (uncommitted) {
                    RecycleBin.dropTable(change, staged, erase);
                }
            }
        }
        return change.isEmpty() ? new Outcome.AlreadyApplied() : new Outcome.Applied(change.entries().size());
    }

    // ---- helpers ----

    /** A new or staged table under {@code name}, its base index named after it, in {@code state}. */
    static OlapTableDef renamed(OlapTableDef table, String name, String state) {
        List<IndexMeta> indexes = table.getIndexes().stream().map(i -> i.getIsBase()
                ? IndexMeta.newBuilder(i).setName(name).build() : i).toList();
        return OlapTableDef.newBuilder(table).setName(name).setIndexes(new ArrayList<>(indexes)).setState(state)
                .build();
    }

    static OlapTableDef withState(OlapTableDef table, String state) {
        return OlapTableDef.newBuilder(table).setState(state).build();
    }

    /** The restored partition of {@code table} at the backup's version: visible = v, next = v + 1. */
    static PartitionDef restored(PartitionPlan partition, OlapTableDef table) {
        long version = partition.source().version();
        return PartitionDef.newBuilder(partition.target()).setTableId(table.getId()).setTemporary(false)
                .setVisibleVersion(version).setNextVersion(version + 1).build();
    }

    private static void putTablets(CatalogChange change, long tableId, PartitionPlan partition) {
        new TreeMap<>(partition.tablets()).forEach((indexId, tablets) -> {
            List<TabletDef> defs = new ArrayList<>();
            for (TabletPlan tablet : tablets) {
                defs.add(new TabletDef(tablet.tabletId(), new ArrayList<>(tablet.replicas())));
            }
            change.putTablets(tableId, partition.target().getId(), indexId, defs);
        });
    }

    /** The name a table has once restored: an ATOMIC one's staged name without the prefix. */
    static String realName(TablePlan table) {
        String staged = table.targetName();
        return table.kind() == TableKind.ATOMIC && staged.startsWith(RestorePlan.ATOMIC_PREFIX)
                ? staged.substring(RestorePlan.ATOMIC_PREFIX.length()) : staged;
    }

    /** A NEW or ATOMIC table is committed once it is NORMAL under its real name (or was dropped since, NORMAL). */
    static boolean tableCommitted(CatalogState state, TablePlan table) {
        long id = table.target().getId();
        OlapTableDef current = state.tables().get(id);
        if (current != null) {
            return NORMAL.equals(current.getState()) && current.getName().equals(realName(table));
        }
        RecycledObject dropped = state.recycleBin().get(id);
        return dropped != null && dropped.getKind() == RecycledKind.TABLE && !dropped.getTables().isEmpty()
                && NORMAL.equals(dropped.getTables().get(0).getState());
    }

    static boolean partitionsRegistered(CatalogState state, TablePlan table) {
        return !table.partitions().isEmpty() && table.partitions().stream()
                .allMatch(p -> state.partitions().containsKey(p.target().getId()));
    }

    static boolean tabletsWritten(CatalogState state, TablePlan table) {
        return table.partitions().stream().anyMatch(p -> hasTablets(state, p));
    }

    private static boolean hasTablets(CatalogState state, PartitionPlan partition) {
        return partition.tablets().keySet().stream().anyMatch(indexId -> state.tabletChunks().containsKey(
                CatalogState.chunkGroup(partition.target().getId(), indexId)));
    }

    /** A cancel put the plan's new tables or partitions in the bin: prepare must not bring them back. */
    private static Optional<String> cancelledBefore(CatalogState state, RestorePlan plan) {
        for (TablePlan table : plan.tables()) {
            List<Long> ids = new ArrayList<>();
            if (table.kind() != TableKind.EXISTING) {
                ids.add(table.target().getId());
            }
            table.partitions().forEach(p -> ids.add(p.target().getId()));
            for (long id : ids) {
                // A cancel drops with FORCE while the table is being restored; a drop after the commit is not that.
                RecycledObject entry = state.recycleBin().get(id);
                if (entry != null && entry.getForce() && entry.getTables().stream()
                        .anyMatch(RestoreCatalog::inRestore)) {
                    return Optional.of("the restore of table " + table.targetName() + " was cancelled");
                }
            }
        }
        return Optional.empty();
    }

    static Set<Long> replacedIds(TablePlan table) {
        Set<Long> ids = new HashSet<>();
        table.partitions().forEach(p -> ids.add(p.replacedPartitionId()));
        ids.remove(-1L);
        return ids;
    }

    static List<PartitionDef> partitionsOf(CatalogState state, long tableId) {
        return state.partitions().values().stream().filter(p -> p.getTableId() == tableId && !p.getTemporary())
                .sorted(Comparator.comparingLong(PartitionDef::getId)).toList();
    }

    static Optional<OlapTableDef> tableNamed(CatalogState state, long dbId, String name) {
        return state.tables().values().stream().filter(t -> t.getDbId() == dbId && t.getName().equals(name))
                .findFirst();
    }

    private static boolean nameTaken(CatalogState state, long dbId, String name) {
        return takenByAnother(state, dbId, name, Long.MIN_VALUE);
    }

    static boolean takenByAnother(CatalogState state, long dbId, String name, long id) {
        return state.tables().values().stream().anyMatch(t -> t.getDbId() == dbId && t.getName().equals(name)
                && t.getId() != id)
                || state.views().values().stream().anyMatch(v -> v.getDbId() == dbId && v.getName().equals(name)
                        && v.getId() != id)
                || state.odbcTables().values().stream().anyMatch(t -> t.getDbId() == dbId
                        && t.getName().equals(name) && t.getId() != id);
    }
}
