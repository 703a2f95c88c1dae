package io.snapbus.jobs.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snapbus.avro.CatalogRecord;
import io.snapbus.avro.Column;
import io.snapbus.avro.DatabaseDef;
import io.snapbus.avro.IndexMeta;
import io.snapbus.avro.OdbcResourceDef;
import io.snapbus.avro.OdbcTableDef;
import io.snapbus.avro.OlapTableDef;
import io.snapbus.avro.OlapTableType;
import io.snapbus.avro.PartitionDef;
import io.snapbus.avro.RecycledKind;
import io.snapbus.avro.RecycledObject;
import io.snapbus.avro.Replica;
import io.snapbus.avro.TabletDef;
import io.snapbus.avro.ViewDef;
import io.snapbus.jobs.api.ApiException;
import io.snapbus.jobs.catalog.RestoreCatalog.Outcome;
import io.snapbus.jobs.restore.RestoreOptions;
import io.snapbus.jobs.restore.RestorePlan;
import io.snapbus.jobs.restore.RestorePlan.PartitionPlan;
import io.snapbus.jobs.restore.RestorePlan.TableKind;
import io.snapbus.jobs.restore.RestorePlan.TablePlan;
import io.snapbus.jobs.restore.RestorePlan.TabletPlan;
import io.snapbus.jobs.restore.SnapshotInfo;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * A restore's three catalog changes on a catalog built in memory: what prepare registers (and hides), what commit
 * swaps in and sends to the recycle bin, what cancel erases, and that each one run again writes nothing.
 */
class RestoreCatalogTest {
    private static final long DB = 100;
    private static final long ORDERS = 200;
    private static final long BASE = 201;
    private static final long ROLLUP = 202;
    private static final long CUSTOMERS = 210;
    private static final long MV = 215;
    private static final long OLD_VIEW = 220;
    private static final long JAN = 301;
    private static final long FEB = 302;
    private static final long NOW = 5_000_000L;
    private static final long DAY_MS = 86_400_000L;
    private static final long GRACE_MS = 30_000L;
    private static final String STAGED = RestorePlan.ATOMIC_PREFIX + "orders";

    private CatalogState state = CatalogState.empty();
    private long seq;
    private final List<CatalogRecord> records = new ArrayList<>();

    // ---- prepare ----

    @Test
    void prepareOfAnExistingTableWritesTheNewTabletsAndTheStateButNoPartition() {
        givenSales();
        CatalogState before = state;
        RestorePlan plan = existingPlan();

        Outcome outcome = commit(c -> RestoreCatalog.prepare(c, DB, plan, options(false, false, false)));

        assertThat(outcome).isInstanceOf(Outcome.Applied.class);
        assertThat(state.tables().get(ORDERS).getState()).isEqualTo("RESTORE");
        assertThat(state.partitions()).isEqualTo(before.partitions());
        assertThat(state.tabletChunks()).containsKeys("501/" + BASE, "501/" + ROLLUP, "502/" + BASE,
                "502/" + ROLLUP);
        assertThat(tablets(501, BASE)).isEqualTo(tabletDefs(plan.tables().get(0).partitions().get(0), BASE));
    }

    @Test
    void allowLoadPreparesTablesInRestoreWithLoad() {
        givenSales();

        commit(c -> RestoreCatalog.prepare(c, DB, existingPlan(), options(true, false, false)));
        commit(c -> RestoreCatalog.prepare(c, DB, newPlan(), options(true, false, false)));

        assertThat(state.tables().get(ORDERS).getState()).isEqualTo("RESTORE_WITH_LOAD");
        assertThat(state.tables().get(600L).getState()).isEqualTo("RESTORE_WITH_LOAD");
    }

    @Test
    void prepareOfANewTableRegistersItInRestoreWithItsPartitionsAtTheBackupVersion() {
        givenSales();

        commit(c -> RestoreCatalog.prepare(c, DB, newPlan(), options(false, false, false)));

        OlapTableDef events = state.tables().get(600L);
        assertThat(events.getName()).isEqualTo("events");
        assertThat(events.getState()).isEqualTo("RESTORE");
        PartitionDef partition = state.partitions().get(610L);
        assertThat(partition.getVisibleVersion()).isEqualTo(5);
        assertThat(partition.getNextVersion()).isEqualTo(6);
        assertThat(tablets(610, 601)).hasSize(2);
    }

    @Test
    void prepareOfAnAtomicRestoreStagesTheTableBesideTheLiveOneWhichStaysNormal() {
        givenSales();
        CatalogState before = state;

        commit(c -> RestoreCatalog.prepare(c, DB, atomicPlan(), options(false, true, false)));

        OlapTableDef staged = state.tables().get(700L);
        assertThat(staged.getName()).isEqualTo(STAGED);
        assertThat(staged.getIndexes().get(0).getName()).isEqualTo(STAGED);
        assertThat(staged.getState()).isEqualTo("RESTORE");
        assertThat(state.tables().get(ORDERS)).isEqualTo(before.tables().get(ORDERS));
        assertThat(state.partitions()).containsKeys(JAN, FEB, 710L, 711L);
    }

    @Test
    void prepareRefusesANameTakenSinceThePlanWithDorissMessageAndWritesNothing() {
        givenSales();
        put(CatalogKeys.view(900), new ViewDef(900L, DB, "events", "SELECT 1", new ArrayList<>()));
        CatalogState before = state;

        Outcome outcome = commit(c -> RestoreCatalog.prepare(c, DB, newPlan(), options(false, false, false)));

        assertThat(outcome).isEqualTo(new Outcome.Refused("Table events already exist in db: sales"));
        assertThat(state).isEqualTo(before);
    }

    @Test
    void prepareRefusesAnExistingTableAnotherRestoreHoldsOrWhosePartitionWasDropped() {
        givenSales();
        put(CatalogKeys.table(ORDERS), OlapTableDef.newBuilder(orders()).setState("RESTORE").build());
        assertThat(step(c -> RestoreCatalog.prepare(c, DB, existingPlan(), options(false, false, false))))
                .isEqualTo(new Outcome.Refused("Table orders's state is not NORMAL: RESTORE"));

        givenSales();
        put(CatalogKeys.partition(JAN), null);
        assertThat(step(c -> RestoreCatalog.prepare(c, DB, existingPlan(), options(false, false, false))))
                .isEqualTo(new Outcome.Refused("partition " + JAN + " has been dropped"));
    }

    @Test
    void prepareRunAgainWritesNothingForEveryKind() {
        for (RestorePlan plan : List.of(existingPlan(), newPlan(), atomicPlan())) {
            givenSales();
            commit(c -> RestoreCatalog.prepare(c, DB, plan, options(false, false, false)));
            CatalogState prepared = state;

            CatalogChange again = new CatalogChange(state);
            assertThat(RestoreCatalog.prepare(again, DB, plan, options(false, false, false)))
                    .isEqualTo(new Outcome.AlreadyApplied());
            assertThat(again.isEmpty()).isTrue();
            assertThat(state).isEqualTo(prepared);
        }
    }

    // ---- commit ----

    @Test
    void commitReplacesAndAddsPartitionsOfAnExistingTableKeepingNamesAndTheBackupVersions() {
        givenSales();
        RestorePlan plan = existingPlan();
        List<Long> oldJanTablets = new ArrayList<>();
        tablets(JAN, BASE).forEach(t -> oldJanTablets.add(t.getId()));
        tablets(JAN, ROLLUP).forEach(t -> oldJanTablets.add(t.getId()));
        commit(c -> RestoreCatalog.prepare(c, DB, plan, options(false, false, false)));

        Outcome outcome = commit(c -> RestoreCatalog.commit(c, DB, plan, options(false, false, false), NOW,
                DAY_MS, GRACE_MS));

        assertThat(outcome).isInstanceOf(Outcome.Applied.class);
        assertThat(state.tables().get(ORDERS).getState()).isEqualTo("NORMAL");
        assertThat(state.partitions()).containsOnlyKeys(FEB, 501L, 502L);
        PartitionDef jan = state.partitions().get(501L);
        assertThat(jan.getName()).isEqualTo("p202401");
        assertThat(jan.getTableId()).isEqualTo(ORDERS);
        assertThat(jan.getVisibleVersion()).isEqualTo(3);
        assertThat(jan.getNextVersion()).isEqualTo(4);
        PartitionDef mar = state.partitions().get(502L);
        assertThat(mar.getName()).isEqualTo("p202403");
        assertThat(mar.getVisibleVersion()).isEqualTo(2);
        assertThat(mar.getNextVersion()).isEqualTo(3);
        assertThat(state.partitions().get(FEB).getVisibleVersion()).isEqualTo(6);

        RecycledObject old = state.recycleBin().get(JAN);
        assertThat(old.getKind()).isEqualTo(RecycledKind.PARTITION);
        assertThat(old.getForce()).isTrue();
        assertThat(RecycleBin.recoverable(old, NOW)).isFalse();
        assertThat(RecycleBin.due(state, NOW + GRACE_MS - 1)).as("kept for the reads begun on it").isEmpty();
        assertThat(RecycleBin.due(state, NOW + GRACE_MS)).containsExactly(old);
        // 2 indexes x 2 buckets x 3 replicas of the old January, dropped on the nodes by the erase
        assertThat(RecycleBin.replicas(state, old)).hasSize(12)
                .allSatisfy(r -> assertThat(oldJanTablets).contains(r.tablet().getTabletId()));
        assertThat(state.recycleBin()).containsOnlyKeys(JAN);
    }

    @Test
    void commitWritesTheTableRecordOnceHoweverManyPartitionsItDrops() {
        givenSales();
        RestorePlan plan = existingPlan();
        RestoreOptions clean = options(false, false, true);
        commit(c -> RestoreCatalog.prepare(c, DB, plan, clean));

        CatalogChange change = new CatalogChange(state);
        RestoreCatalog.commit(change, DB, plan, clean, NOW, DAY_MS, GRACE_MS);

        assertThat(change.entries()).filteredOn(e -> e.key().equals(CatalogKeys.table(ORDERS))).hasSize(1);
    }

    @Test
    void commitMakesANewTableNormal() {
        givenSales();
        RestorePlan plan = newPlan();
        commit(c -> RestoreCatalog.prepare(c, DB, plan, options(false, false, false)));

        commit(c -> RestoreCatalog.commit(c, DB, plan, options(false, false, false), NOW, DAY_MS, GRACE_MS));

        assertThat(state.tables().get(600L).getState()).isEqualTo("NORMAL");
        assertThat(state.partitions().get(610L).getVisibleVersion()).isEqualTo(5);
        assertThat(state.recycleBin()).isEmpty();
    }

    @Test
    void commitOfAnAtomicRestoreErasesTheLiveTableAndRenamesTheStagedOne() {
        givenSales();
        RestorePlan plan = atomicPlan();
        commit(c -> RestoreCatalog.prepare(c, DB, plan, options(false, true, false)));

        commit(c -> RestoreCatalog.commit(c, DB, plan, options(false, true, false), NOW, DAY_MS, GRACE_MS));

        OlapTableDef orders = state.tables().get(700L);
        assertThat(orders.getName()).isEqualTo("orders");
        assertThat(orders.getIndexes().get(0).getName()).isEqualTo("orders");
        assertThat(orders.getState()).isEqualTo("NORMAL");
        assertThat(state.tables()).doesNotContainKey(ORDERS);
        assertThat(state.tables().values()).noneMatch(t -> t.getName().equals(STAGED));
        assertThat(state.partitions()).containsOnlyKeys(710L, 711L);
        assertThat(state.partitions().get(711L).getVisibleVersion()).isEqualTo(8);
        RecycledObject live = state.recycleBin().get(ORDERS);
        assertThat(live.getKind()).isEqualTo(RecycledKind.TABLE);
        assertThat(live.getForce()).isTrue();
        assertThat(RecycleBin.replicas(state, live)).hasSize(24);
    }

    @Test
    void commitCreatesViewsOdbcTablesAndResources() {
        givenSales();
        ViewDef replaced = new ViewDef(OLD_VIEW, DB, "old_view", "SELECT 2", new ArrayList<>());
        ViewDef created = new ViewDef(800L, DB, "big_orders", "SELECT * FROM orders", new ArrayList<>());
        OdbcTableDef odbc = new OdbcTableDef(810L, DB, "remote_users", "pg", "app", "users",
                new ArrayList<>(List.of(new Column("id", "BIGINT", false, true, null, null, ""))));
        OdbcResourceDef pg = new OdbcResourceDef("pg", new HashMap<>(Map.of("host", "db.local")), "pg_creds");
        RestorePlan plan = new RestorePlan(List.of(), List.of(replaced, created), List.of(odbc), List.of(pg));

        commit(c -> RestoreCatalog.commit(c, DB, plan, options(false, false, false), NOW, DAY_MS, GRACE_MS));

        assertThat(state.views().get(OLD_VIEW).getSql()).isEqualTo("SELECT 2");
        assertThat(state.views().get(800L)).isEqualTo(created);
        assertThat(state.odbcTables().get(810L)).isEqualTo(odbc);
        assertThat(state.resources().get("pg")).isEqualTo(pg);
        CatalogChange again = new CatalogChange(state);
        assertThat(RestoreCatalog.commit(again, DB, plan, options(false, false, false), NOW, DAY_MS, GRACE_MS))
                .isEqualTo(new Outcome.AlreadyApplied());
        assertThat(again.isEmpty()).isTrue();
    }

    @Test
    void commitRefusesAViewWhoseNameATableTookSinceThePlan() {
        givenSales();
        ViewDef created = new ViewDef(800L, DB, "customers", "SELECT 1", new ArrayList<>());
        RestorePlan plan = new RestorePlan(List.of(), List.of(created), List.of(), List.of());
        CatalogState before = state;

        assertThat(step(c -> RestoreCatalog.commit(c, DB, plan, options(false, false, false), NOW, DAY_MS, GRACE_MS)))
                .isEqualTo(new Outcome.Refused("Table customers already exist in db: sales"));
        assertThat(state).isEqualTo(before);
    }

    @Test
    void cleanTablesAndCleanPartitionsSendWhatTheBackupLacksToTheRecycleBin() {
        givenSales();
        RestorePlan plan = existingPlan();
        RestoreOptions clean = options(false, false, true);
        commit(c -> RestoreCatalog.prepare(c, DB, plan, clean));

        commit(c -> RestoreCatalog.commit(c, DB, plan, clean, NOW, DAY_MS, GRACE_MS));

        assertThat(state.partitions()).containsOnlyKeys(501L, 502L);
        RecycledObject feb = state.recycleBin().get(FEB);
        assertThat(feb.getForce()).isFalse();
        assertThat(RecycleBin.recoverable(feb, NOW + 1)).isTrue();
        assertThat(feb.getExpireTimeMs()).isEqualTo(NOW + DAY_MS);
        assertThat(state.tables()).containsOnlyKeys(ORDERS, MV);
        RecycledObject customers = state.recycleBin().get(CUSTOMERS);
        assertThat(customers.getKind()).isEqualTo(RecycledKind.TABLE);
        assertThat(RecycleBin.recoverable(customers, NOW + 1)).isTrue();
        assertThat(state.views()).isEmpty();
        assertThat(state.recycleBin().get(JAN).getForce()).isTrue();
        assertThat(state.tables().get(ORDERS).getState()).isEqualTo("NORMAL");
    }

    @Test
    void commitRunAgainWritesNothingForEveryKind() {
        for (RestorePlan plan : List.of(existingPlan(), newPlan(), atomicPlan())) {
            givenSales();
            RestoreOptions options = options(false, false, true);
            commit(c -> RestoreCatalog.prepare(c, DB, plan, options));
            commit(c -> RestoreCatalog.commit(c, DB, plan, options, NOW, DAY_MS, GRACE_MS));
            CatalogState committed = state;

            CatalogChange again = new CatalogChange(state);
            assertThat(RestoreCatalog.commit(again, DB, plan, options, NOW + 1, DAY_MS, GRACE_MS))
                    .isEqualTo(new Outcome.AlreadyApplied());
            assertThat(again.isEmpty()).isTrue();
            CatalogChange prepareAgain = new CatalogChange(state);
            assertThat(RestoreCatalog.prepare(prepareAgain, DB, plan, options)).isEqualTo(new Outcome.AlreadyApplied());
            assertThat(prepareAgain.isEmpty()).isTrue();
            assertThat(state).isEqualTo(committed);
        }
    }

    @Test
    void commitWithoutPrepareIsRefusedAndWritesNothing() {
        givenSales();
        CatalogState before = state;

        assertThat(step(c -> RestoreCatalog.commit(c, DB, existingPlan(), options(false, false, false), NOW,
                DAY_MS, GRACE_MS))).isEqualTo(new Outcome.Refused(
                        "the restore of table orders was not prepared: its new tablets are not in the catalog"));
        assertThat(step(c -> RestoreCatalog.commit(c, DB, atomicPlan(), options(false, true, false), NOW,
                DAY_MS, GRACE_MS))).isEqualTo(new Outcome.Refused("replace table failed, the temp table " + STAGED
                        + " is not found"));
        assertThat(step(c -> RestoreCatalog.commit(c, DB, newPlan(), options(false, false, false), NOW,
                DAY_MS, GRACE_MS))).isEqualTo(new Outcome.Refused("table 600 has been dropped"));
        assertThat(state).isEqualTo(before);
    }

    // ---- cancel ----

    @Test
    void cancelAfterPrepareLeavesTheCatalogAsBeforeOnceTheEraseIsDone() {
        for (RestorePlan plan : List.of(existingPlan(), newPlan(), atomicPlan())) {
            givenSales();
            CatalogState before = state;
            commit(c -> RestoreCatalog.prepare(c, DB, plan, options(false, false, false)));

            assertThat(step(c -> RestoreCatalog.cancel(c, plan, NOW))).isInstanceOf(Outcome.Applied.class);

            assertThat(state.tables()).isEqualTo(before.tables());
            assertThat(state.partitions()).isEqualTo(before.partitions());
            List<RecycledObject> due = RecycleBin.due(state, NOW);
            assertThat(due).isNotEmpty().allMatch(RecycledObject::getForce);
            assertThat(due.stream().mapToInt(e -> RecycleBin.replicas(state, e).size()).sum())
                    .as("every replica prepare registered is dropped on the nodes")
                    .isEqualTo((int) plan.replicaCount());
            CatalogChange again = new CatalogChange(state);
            assertThat(RestoreCatalog.cancel(again, plan, NOW + 1)).isEqualTo(new Outcome.AlreadyApplied());
            assertThat(again.isEmpty()).isTrue();

            due.forEach(entry -> commit(c -> {
                RecycleBin.erase(c, entry);
                return null;
            }));
            assertThat(state.tabletChunks()).isEqualTo(before.tabletChunks());
            assertThat(state.recycleBin()).isEmpty();
            assertThat(step(c -> RestoreCatalog.cancel(c, plan, NOW + 2))).isEqualTo(new Outcome.AlreadyApplied());
        }
    }

    @Test
    void prepareAfterCancelIsRefused() {
        givenSales();
        RestorePlan plan = newPlan();
        commit(c -> RestoreCatalog.prepare(c, DB, plan, options(false, false, false)));
        commit(c -> RestoreCatalog.cancel(c, plan, NOW));

        assertThat(step(c -> RestoreCatalog.prepare(c, DB, plan, options(false, false, false))))
                .isEqualTo(new Outcome.Refused("the restore of table events was cancelled"));
    }

    @Test
    void cancelWithoutPrepareOrAfterCommitWritesNothing() {
        for (RestorePlan plan : List.of(existingPlan(), newPlan(), atomicPlan())) {
            givenSales();
            CatalogChange unprepared = new CatalogChange(state);
            assertThat(RestoreCatalog.cancel(unprepared, plan, NOW)).isEqualTo(new Outcome.AlreadyApplied());
            assertThat(unprepared.isEmpty()).isTrue();

            commit(c -> RestoreCatalog.prepare(c, DB, plan, options(false, false, false)));
            commit(c -> RestoreCatalog.commit(c, DB, plan, options(false, false, false), NOW, DAY_MS, GRACE_MS));
            CatalogChange committed = new CatalogChange(state);
            assertThat(RestoreCatalog.cancel(committed, plan, NOW)).isEqualTo(new Outcome.AlreadyApplied());
            assertThat(committed.isEmpty()).isTrue();
        }
    }

    @Test
    void cancelLeavesAStagedNameThatNowPointsAtAnotherTable() {
        givenSales();
        put(CatalogKeys.table(999), OlapTableDef.newBuilder(orders()).setId(999L).setName(STAGED)
                .setState("RESTORE").build());
        CatalogState before = state;

        assertThat(step(c -> RestoreCatalog.cancel(c, atomicPlan(), NOW))).isEqualTo(new Outcome.AlreadyApplied());
        assertThat(state).isEqualTo(before);
    }

    // ---- replay and state checks ----

    @Test
    void replayingTheWrittenRecordsGivesTheSameCatalog() {
        givenSales();
        RestorePlan plan = existingPlan();
        commit(c -> RestoreCatalog.prepare(c, DB, plan, options(false, false, true)));
        commit(c -> RestoreCatalog.commit(c, DB, plan, options(false, false, true), NOW, DAY_MS, GRACE_MS));

        CatalogState replayed = CatalogState.empty();
        for (CatalogRecord record : records) {
            replayed = replayed.apply(record.getKey(), record.getEntry() == null ? null : record, record.getSeq());
        }

        assertThat(replayed).isEqualTo(state);
    }

    @Test
    void ddlRefusesATableInRestoreEvenWithAllowLoad() {
        for (String restoring : List.of("RESTORE", "RESTORE_WITH_LOAD")) {
            OlapTableDef table = OlapTableDef.newBuilder(orders()).setState(restoring).build();
            assertThatThrownBy(() -> TableOperations.requireNotInRestore(table)).isInstanceOf(ApiException.class)
                    .hasMessage("Table orders is in restore process");
        }
        assertThat(TableOperations.requireNotInRestore(orders())).isEqualTo(orders());
    }

    // ---- builders ----

    /**
     * sales: orders (JAN at version 4, FEB at 6; 2 buckets, a rollup, 3 replicas), customers, a materialized view
     * and a view.
     */
    private void givenSales() {
        state = CatalogState.empty();
        records.clear();
        put(CatalogKeys.database(DB), new DatabaseDef(DB, "sales"));
        put(CatalogKeys.table(ORDERS), orders());
        put(CatalogKeys.partition(JAN), partition(JAN, ORDERS, "p202401", "2024-01-01", "2024-02-01", 4));
        put(CatalogKeys.partition(FEB), partition(FEB, ORDERS, "p202402", "2024-02-01", "2024-03-01", 6));
        for (long partition : List.of(JAN, FEB)) {
            for (long index : List.of(BASE, ROLLUP)) {
                List<TabletDef> tablets = tabletDefs(tabletPlans(partition, index, 4), index);
                commit(c -> c.putTablets(ORDERS, partition, index, tablets));
            }
        }
        put(CatalogKeys.table(CUSTOMERS), table(CUSTOMERS, "customers", CUSTOMERS + 1, OlapTableType.OLAP));
        put(CatalogKeys.table(MV), table(MV, "orders_mv", MV + 1, OlapTableType.MATERIALIZED_VIEW));
        put(CatalogKeys.view(OLD_VIEW), new ViewDef(OLD_VIEW, DB, "old_view", "SELECT 1", new ArrayList<>()));
    }

    /** orders: January replaced by partition 501 at version 3, March added as 502 at version 2. */
    private static RestorePlan existingPlan() {
        List<PartitionPlan> partitions = List.of(
                partitionPlan(orders(), partition(501, ORDERS, "p202401", "2024-01-01", "2024-02-01", 3), JAN),
                partitionPlan(orders(), partition(502, ORDERS, "p202403", "2024-03-01", "2024-04-01", 2), -1));
        return plan(new TablePlan("orders", TableKind.EXISTING, orders(), ORDERS, partitions));
    }

    /** events: a new table 600 with one partition 610 at version 5. */
    private static RestorePlan newPlan() {
        OlapTableDef events = OlapTableDef.newBuilder(table(600, "events", 601, OlapTableType.OLAP))
                .setState("RESTORE").build();
        return plan(new TablePlan("events", TableKind.NEW, events, -1, List.of(
                partitionPlan(events, partition(610, 600, "p1", "2024-01-01", "2024-02-01", 5), -1))));
    }

    /** orders restored beside the live one as table 700: January (710) at version 3, February (711) at 8. */
    private static RestorePlan atomicPlan() {
        OlapTableDef staged = OlapTableDef.newBuilder(orders()).setId(700L).setIndexes(List.of(
                index(701, "orders", true), index(702, "by_dt", false))).setState("RESTORE").build();
        return plan(new TablePlan(STAGED, TableKind.ATOMIC, staged, ORDERS, List.of(
                partitionPlan(staged, partition(710, 700, "p202401", "2024-01-01", "2024-02-01", 3), -1),
                partitionPlan(staged, partition(711, 700, "p202402", "2024-02-01", "2024-03-01", 8), -1))));
    }

    private static RestorePlan plan(TablePlan table) {
        return new RestorePlan(List.of(table), List.of(), List.of(), List.of());
    }

    private static PartitionPlan partitionPlan(OlapTableDef table, PartitionDef target, long replaced) {
        Map<Long, List<TabletPlan>> tablets = new LinkedHashMap<>();
        for (IndexMeta index : table.getIndexes()) {
            tablets.put(index.getId(), tabletPlans(target.getId(), index.getId(), target.getVisibleVersion()));
        }
        return new PartitionPlan(new SnapshotInfo.Partition(target.getName(), target.getId() - 100,
                target.getVisibleVersion(), Map.of()), target, replaced, tablets);
    }

    /** Two tablets of three replicas on backends 1..3. */
    private static List<TabletPlan> tabletPlans(long partition, long index, long version) {
        List<TabletPlan> tablets = new ArrayList<>();
        for (int bucket = 0; bucket < 2; bucket++) {
            long tablet = partition * 1000 + (index % 100) * 10 + bucket;
            List<Replica> replicas = new ArrayList<>();
            for (long backend = 1; backend <= 3; backend++) {
                replicas.add(new Replica(tablet * 10 + backend, backend, version, -1L, version));
            }
            tablets.add(new TabletPlan(tablet, tablet + 1_000_000, 77, replicas));
        }
        return tablets;
    }

    private static List<TabletDef> tabletDefs(PartitionPlan partition, long index) {
        return tabletDefs(partition.tablets().get(index), index);
    }

    private static List<TabletDef> tabletDefs(List<TabletPlan> plans, long index) {
        return plans.stream().map(t -> new TabletDef(t.tabletId(), new ArrayList<>(t.replicas()))).toList();
    }

    private List<TabletDef> tablets(long partition, long index) {
        List<TabletDef> out = new ArrayList<>();
        state.tabletChunks().get(CatalogState.chunkGroup(partition, index)).values()
                .forEach(chunk -> out.addAll(chunk.getTablets()));
        return out;
    }

    private static RestoreOptions options(boolean allowLoad, boolean atomic, boolean clean) {
        return new RestoreOptions("2024-05-01-00-00-00", RestoreOptions.DEFAULT_TIMEOUT_MS, Map.of("default", 3),
                false, false, allowLoad, -1, clean, clean, atomic, false);
    }

    private static OlapTableDef orders() {
        return OlapTableDef.newBuilder(table(ORDERS, "orders", BASE, OlapTableType.OLAP)).setIndexes(List.of(
                index(BASE, "orders", true), index(ROLLUP, "by_dt", false))).build();
    }

    private static OlapTableDef table(long id, String name, long baseIndex, OlapTableType type) {
        return OlapTableDef.newBuilder().setId(id).setDbId(DB).setName(name).setTableType(type)
                .setColumns(List.of(new Column("dt", "DATE", true, false, null, null, ""),
                        new Column("id", "BIGINT", true, false, null, null, "")))
                .setPartitionColumns(List.of("dt")).setDistributionColumns(List.of("id")).setDefaultBuckets(2)
                .setIndexes(List.of(index(baseIndex, name, true))).setState("NORMAL").build();
    }

    private static IndexMeta index(long id, String name, boolean base) {
        return IndexMeta.newBuilder().setId(id).setName(name).setSchemaHash(77).setColumns(List.of("dt", "id"))
                .setIsBase(base).build();
    }

    private static PartitionDef partition(long id, long table, String name, String lower, String upper,
            long version) {
        return PartitionDef.newBuilder().setId(id).setTableId(table).setName(name).setRangeLower(lower)
                .setRangeUpper(upper).setVisibleVersion(version).setNextVersion(version + 1).setBuckets(2).build();
    }

    /** Runs one restore step as the catalog would: its records applied, in order. */
    private Outcome step(Function<CatalogChange, Outcome> body) {
        return commit(body);
    }

    private <T> T commit(Function<CatalogChange, T> body) {
        CatalogChange change = new CatalogChange(state);
        T result = body.apply(change);
        for (CatalogChange.Entry entry : change.entries()) {
            put(entry.key(), entry.value());
        }
        return result;
    }

    private void put(String key, org.apache.avro.specific.SpecificRecord value) {
        seq++;
        CatalogRecord record = value == null ? null : new CatalogRecord(key, seq, value);
        records.add(record == null ? new CatalogRecord(key, seq, null) : record);
        state = state.apply(key, record, seq);
    }
}
