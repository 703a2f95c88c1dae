package io.snapbus.jobs.restore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snapbus.avro.BackendDef;
import io.snapbus.avro.Column;
import io.snapbus.avro.DatabaseDef;
import io.snapbus.avro.IndexMeta;
import io.snapbus.avro.KeysType;
import io.snapbus.avro.OdbcResourceDef;
import io.snapbus.avro.OdbcTableDef;
import io.snapbus.avro.OlapTableDef;
import io.snapbus.avro.OlapTableType;
import io.snapbus.avro.PartitionDef;
import io.snapbus.avro.RepositoryDef;
import io.snapbus.avro.TabletDef;
import io.snapbus.avro.ViewDef;
import io.snapbus.jobs.catalog.CatalogView;
import io.snapbus.jobs.restore.RestorePlan.TableKind;
import io.snapbus.jobs.restore.RestoreRequest.Selection;
import io.snapbus.jobs.restore.RestoreRequest.TableRequest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** PENDING's checks against the catalog, each refusal with Doris's message, and the plan of ids and replicas. */
class RestorePlannerTest {
    private static final long DB = 1;
    private final Catalog catalog = new Catalog();
    private final AtomicLong ids = new AtomicLong(50_000);
    private final RestorePlanner planner = new RestorePlanner(catalog, ids::incrementAndGet);

    /** orders: p1 [2024-01-01, 2024-02-01) at version 5 and p2 [2024-02-01, 2024-03-01) at 7, two buckets, a rollup. */
    private static OlapTableDef orders(long id, String name, int replication) {
        return OlapTableDef.newBuilder().setId(id).setDbId(9).setName(name).setTableType(OlapTableType.OLAP)
                .setKeysType(KeysType.DUP_KEYS).setColumns(List.of(
                        new Column("dt", "DATE", true, false, null, null, ""),
                        new Column("id", "BIGINT", true, false, null, null, ""),
                        new Column("amount", "DECIMAL(18,2)", false, true, null, null, "")))
                .setPartitionColumns(List.of("dt")).setDistributionColumns(List.of("id")).setDefaultBuckets(2)
                .setReplicationNum(replication).setIndexes(List.of(
                        new IndexMeta(id + 1, name, 111, List.of("dt", "id", "amount"), true),
                        new IndexMeta(id + 2, "by_dt", 222, List.of("dt", "amount"), false)))
                .setState("NORMAL").build();
    }

    private static PartitionDef partition(long id, long table, String name, String lower, String upper, long version) {
        return PartitionDef.newBuilder().setId(id).setTableId(table).setName(name).setRangeLower(lower)
                .setRangeUpper(upper).setVisibleVersion(version).setNextVersion(version + 1).setBuckets(2).build();
    }

    private static SnapshotInfo.Partition infoPartition(String name, long id, long version, long firstTablet) {
        return new SnapshotInfo.Partition(name, id, version, Map.of(
                "orders", new SnapshotInfo.Index("orders", 101, 111, List.of(firstTablet, firstTablet + 1), Map.of()),
                "by_dt", new SnapshotInfo.Index("by_dt", 102, 222, List.of(firstTablet + 2, firstTablet + 3),
                        Map.of())));
    }

    private static SnapshotInfo info() {
        Map<String, SnapshotInfo.Partition> partitions = new LinkedHashMap<>();
        partitions.put("p1", infoPartition("p1", 110, 5, 1001));
        partitions.put("p2", infoPartition("p2", 120, 7, 2001));
        return new SnapshotInfo("snap1", "sales", 9, 1_700_000_000_000L, SnapshotInfo.Content.ALL,
                Map.of("orders", new SnapshotInfo.Table("orders", 100, partitions)),
                List.of(new SnapshotInfo.NamedObject(300, "big_orders")), List.of(), List.of(), 1, Map.of(),
                List.of());
    }

    private static SnapshotMeta meta() {
        return new SnapshotMeta(1, Map.of("orders", orders(100, "orders", 3)), Map.of(100L, List.of(
                partition(110, 100, "p1", "2024-01-01", "2024-02-01", 5),
                partition(120, 100, "p2", "2024-02-01", "2024-03-01", 7))),
                List.of(ViewDef.newBuilder().setId(300).setDbId(9).setName("big_orders")
                        .setSql("SELECT * FROM orders WHERE amount > 5").setColumns(List.of()).build()),
                List.of(), List.of());
    }

    private static RestoreRequest request(Map<String, String> extra, TableRequest... tables) {
        Map<String, String> properties = new HashMap<>(Map.of("backup_timestamp", "2024-01-01-00-00-00"));
        properties.putAll(extra);
        return new RestoreRequest("snap1", "sales", "repo", tables.length == 0 ? Selection.ALL : Selection.ON,
                List.of(tables), RestoreOptions.parse(properties, false));
    }

    private void refused(RestoreRequest request, String message) {
        assertThatThrownBy(() -> planner.plan(request, info(), meta())).isInstanceOf(RestoreRequestException.class)
                .hasMessage(message);
    }

    @Test
    void aMissingTableIsCreatedWithNewIdsAtTheBackupsVersionsItsTabletsPairedByPosition() {
        RestorePlan plan = planner.plan(request(Map.of()), info(), meta());

        RestorePlan.TablePlan table = plan.tables().get(0);
        assertThat(table.kind()).isEqualTo(TableKind.NEW);
        assertThat(table.targetName()).isEqualTo("orders");
        assertThat(table.target().getId()).isGreaterThan(50_000);
        assertThat(table.target().getDbId()).isEqualTo(DB);
        assertThat(table.target().getState()).isEqualTo("RESTORE");
        assertThat(table.partitions()).extracting(p -> p.target().getVisibleVersion()).containsExactly(5L, 7L);
        assertThat(table.partitions()).extracting(p -> p.target().getNextVersion()).containsExactly(6L, 8L);
        RestorePlan.PartitionPlan p1 = table.partitions().get(0);
        assertThat(p1.replacedPartitionId()).isEqualTo(-1);
        long baseIndex = table.target().getIndexes().get(0).getId();
        assertThat(p1.tablets().get(baseIndex)).extracting(RestorePlan.TabletPlan::sourceTabletId)
                .containsExactly(1001L, 1002L);
        for (RestorePlan.TabletPlan tablet : p1.tablets().get(baseIndex)) {
            assertThat(tablet.replicas()).hasSize(3);
            assertThat(tablet.replicas()).extracting(r -> r.getBackendId()).doesNotHaveDuplicates();
            assertThat(tablet.replicas()).allMatch(r -> r.getVersion() == 5);
        }
        assertThat(plan.replicaCount()).isEqualTo(2 * 2 * 2 * 3);
        Set<Long> allIds = new HashSet<>();
        plan.tables().forEach(t -> t.partitions().forEach(p -> {
            allIds.add(p.target().getId());
            p.tablets().values().forEach(ts -> ts.forEach(tt -> {
                allIds.add(tt.tabletId());
                tt.replicas().forEach(r -> allIds.add(r.getId()));
            }));
        }));
        assertThat(allIds).hasSize(2 + 8 + 24).allMatch(id -> id > 50_000);
        assertThat(plan.views()).extracting(ViewDef::getName).containsExactly("big_orders");
    }

    @Test
    void anAliasGivesTheTableAndItsBaseIndexTheNewNameAndReserveReplicaKeepsTheBackupsAllocation() {
        RestorePlan plan = planner.plan(request(Map.of("reserve_replica", "true"),
                new TableRequest("orders", List.of("p2"), "orders_copy")), info(), meta());

        RestorePlan.TablePlan table = plan.tables().get(0);
        assertThat(table.targetName()).isEqualTo("orders_copy");
        assertThat(table.target().getIndexes()).extracting(IndexMeta::getName)
                .containsExactly("orders_copy", "by_dt");
        assertThat(table.partitions()).extracting(p -> p.source().name()).containsExactly("p2");
        assertThat(table.target().getReplicationNum()).isEqualTo(3);
    }

    @Test
    void intoAnExistingTableSamePartitionsAreReplacedAndMissingOnesAdded() {
        catalog.table(orders(400, "orders", 3), partition(410, 400, "p1", "2024-01-01", "2024-02-01", 9));

        RestorePlan plan = planner.plan(request(Map.of()), info(), meta());

        RestorePlan.TablePlan table = plan.tables().get(0);
        assertThat(table.kind()).isEqualTo(TableKind.EXISTING);
        assertThat(table.liveTableId()).isEqualTo(400);
        assertThat(table.partitions()).extracting(RestorePlan.PartitionPlan::replacedPartitionId)
                .containsExactly(410L, -1L);
        assertThat(table.partitions().get(0).target().getId()).as("new tablets in a new partition").isNotEqualTo(410);
        assertThat(table.partitions().get(0).tablets()).containsKeys(401L, 402L);
    }

    @Test
    void anAtomicRestoreStagesANewTableBesideTheLiveOne() {
        catalog.table(orders(400, "orders", 3), partition(410, 400, "p1", "2024-01-01", "2024-02-01", 9));

        RestorePlan.TablePlan table = planner.plan(request(Map.of("atomic_restore", "true")), info(), meta())
                .tables().get(0);

        assertThat(table.kind()).isEqualTo(TableKind.ATOMIC);
        assertThat(table.targetName()).isEqualTo("__doris_atomic_restore_prefix__orders");
        assertThat(table.liveTableId()).isEqualTo(400);
        assertThat(table.partitions()).allMatch(p -> p.replacedPartitionId() == -1);
    }

    @Test
    void refusesWhatDorisRefusesWithItsMessages() {
        OlapTableDef live = orders(400, "orders", 3);
        catalog.table(live, partition(410, 400, "p1", "2024-01-01", "2024-01-20", 9));
        refused(request(Map.of()), "Partition p1 in table orders has different partition item with partition in "
                + "repository");

        catalog.table(live, partition(410, 400, "p0", "2023-12-01", "2024-01-15", 9));
        refused(request(Map.of(), new TableRequest("orders", List.of("p1"), null)),
                "Partition p1 in table orders has conflict partition item with existing items");

        catalog.table(orders(400, "orders", 1), partition(410, 400, "p1", "2024-01-01", "2024-02-01", 9));
        refused(request(Map.of()), "Partition p1 in table orders has different replication num '1' with partition "
                + "in repository, which is 3");

        OlapTableDef other = OlapTableDef.newBuilder(live).setColumns(List.of(
                new Column("dt", "DATE", true, false, null, null, ""),
                new Column("id", "INT", true, false, null, null, ""),
                new Column("amount", "DECIMAL(18,2)", false, true, null, null, ""))).build();
        catalog.table(other, partition(410, 400, "p1", "2024-01-01", "2024-02-01", 9));
        refused(request(Map.of()), "Table orders already exist but with different schema");

        catalog.table(OlapTableDef.newBuilder(live).setState("RESTORE").build(),
                partition(410, 400, "p1", "2024-01-01", "2024-02-01", 9));
        refused(request(Map.of()), "Table orders's state is not NORMAL: RESTORE");

        catalog.table(live, partition(410, 400, "p1", "2024-01-01", "2024-02-01", 9),
                PartitionDef.newBuilder(partition(411, 400, "tp", "2024-01-01", "2024-01-02", 2)).setTemporary(true)
                        .build());
        refused(request(Map.of()), "Do not support restoring table with temp partitions");

        catalog.clear();
        refused(request(Map.of("replication_num", "4")), "Failed to find enough backends for replication num 4: only "
                + "3 live backend(s)");
        catalog.views.put("orders", ViewDef.newBuilder().setId(500).setDbId(DB).setName("orders").setSql("SELECT 1")
                .setColumns(List.of()).build());
        refused(request(Map.of()), "The local table orders with the same name but a different type of backup meta.");

        catalog.clear();
        catalog.views.put("big_orders", ViewDef.newBuilder().setId(500).setDbId(DB).setName("big_orders")
                .setSql("SELECT 1").setColumns(List.of()).build());
        refused(request(Map.of()), "View big_orders already exist but with different schema");
        assertThat(planner.plan(request(Map.of("atomic_restore", "true", "force_replace", "true")), info(), meta())
                .views()).singleElement().satisfies(v -> assertThat(v.getId()).as("replaced in place").isEqualTo(500));
    }

    /** An in-memory catalog of database "sales" (id 1) and three live backends. */
    private static final class Catalog implements CatalogView {
        final Map<String, OlapTableDef> tables = new HashMap<>();
        final Map<Long, List<PartitionDef>> partitions = new HashMap<>();
        final Map<String, ViewDef> views = new HashMap<>();

        void table(OlapTableDef table, PartitionDef... parts) {
            tables.put(table.getName(), table);
            partitions.put(table.getId(), new ArrayList<>(List.of(parts)));
        }

        void clear() {
            tables.clear();
            partitions.clear();
            views.clear();
        }

        @Override
        public Optional<DatabaseDef> database(String name) {
            return name.equals("sales") ? Optional.of(new DatabaseDef(DB, "sales")) : Optional.empty();
        }

        @Override
        public Optional<DatabaseDef> database(long id) {
            return id == DB ? database("sales") : Optional.empty();
        }

        @Override
        public Optional<OlapTableDef> table(long dbId, String name) {
            return Optional.ofNullable(tables.get(name));
        }

        @Override
        public Optional<OlapTableDef> table(long tableId) {
            return tables.values().stream().filter(t -> t.getId() == tableId).findFirst();
        }

        @Override
        public List<PartitionDef> partitions(long tableId) {
            return partitions.getOrDefault(tableId, List.of());
        }

        @Override
        public List<TabletDef> tablets(long partitionId, long indexId) {
            return List.of();
        }

        @Override
        public Optional<ViewDef> view(long dbId, String name) {
            return Optional.ofNullable(views.get(name));
        }

        @Override
        public Optional<OdbcTableDef> odbcTable(long dbId, String name) {
            return Optional.empty();
        }

        @Override
        public Optional<OdbcResourceDef> resource(String name) {
            return Optional.empty();
        }

        @Override
        public List<BackendDef> backends() {
            return List.of(new BackendDef(10001L, "127.0.0.1", 1, 2, false), new BackendDef(10002L, "127.0.0.1", 3, 4,
                    false), new BackendDef(10003L, "127.0.0.1", 5, 6, false), new BackendDef(10004L, "127.0.0.1", 7,
                    8, true));
        }

        @Override
        public Optional<RepositoryDef> repository(String name) {
            return Optional.empty();
        }

        @Override
        public long tableCommitSeq(long tableId) {
            return 0;
        }

        @Override
        public long nextId() {
            throw new UnsupportedOperationException("the planner takes its ids from the supplier it is given");
        }
    }
}
