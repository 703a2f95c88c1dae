package io.snapbus.jobs.restore;

import static io.snapbus.jobs.restore.RestoreFixtures.info;
import static io.snapbus.jobs.restore.RestoreFixtures.meta;
import static io.snapbus.jobs.restore.RestoreFixtures.orders;
import static io.snapbus.jobs.restore.RestoreFixtures.partition;
import static io.snapbus.jobs.restore.RestoreFixtures.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snapbus.avro.Column;
import io.snapbus.avro.IndexMeta;
import io.snapbus.avro.OlapTableDef;
import io.snapbus.avro.PartitionDef;
import io.snapbus.avro.ViewDef;
import io.snapbus.jobs.restore.RestorePlan.TableKind;
import io.snapbus.jobs.restore.RestoreRequest.TableRequest;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** PENDING's checks against the catalog, each refusal with Doris's message, and the plan of ids and replicas. */
class RestorePlannerTest {
    private static final long DB = RestoreFixtures.DB;
    private final RestoreFixtures.PlannerCatalog catalog = new RestoreFixtures.PlannerCatalog();
    private final AtomicLong ids = new AtomicLong(50_000);
    private final RestorePlanner planner = new RestorePlanner(catalog, ids::incrementAndGet);

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
}
