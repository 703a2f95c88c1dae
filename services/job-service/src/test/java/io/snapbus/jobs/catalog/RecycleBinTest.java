package io.snapbus.jobs.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snapbus.avro.CatalogRecord;
import io.snapbus.avro.Column;
import io.snapbus.avro.DatabaseDef;
import io.snapbus.avro.IndexMeta;
import io.snapbus.avro.OlapTableDef;
import io.snapbus.avro.PartitionDef;
import io.snapbus.avro.RecycledKind;
import io.snapbus.avro.RecycledObject;
import io.snapbus.avro.Replica;
import io.snapbus.avro.TabletDef;
import io.snapbus.avro.ViewDef;
import io.snapbus.jobs.api.ApiException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The recycle bin's rules as functions of the catalog: drop, recover (with Doris's conflicts), due, erase. */
class RecycleBinTest {
    private static final long DB = 100;
    private static final long TABLE = 200;
    private static final long JAN = 301;
    private static final long FEB = 302;
    private static final long INDEX = 400;
    private static final long DAY_MS = 86_400_000L;
    private static final long NOW = 1_000_000L;

    private CatalogState state = CatalogState.empty();
    private long seq;

    @Test
    void aDroppedTableLeavesTheCatalogButKeepsItsTabletsUntilErased() {
        givenSalesWithOrders();

        RecycledObject entry = commit(c -> RecycleBin.dropTable(c, table("orders", TABLE),
                RecycleBin.DropTime.of(NOW, DAY_MS, false)));

        assertThat(state.tables()).isEmpty();
        assertThat(state.partitions()).isEmpty();
        assertThat(state.tabletChunks()).containsKeys(JAN + "/" + INDEX, FEB + "/" + INDEX);
        assertThat(state.recycleBin()).containsOnlyKeys(TABLE);
        assertThat(entry.getKind()).isEqualTo(RecycledKind.TABLE);
        assertThat(entry.getExpireTimeMs()).isEqualTo(NOW + DAY_MS);
        assertThat(entry.getPartitions()).extracting(PartitionDef::getId).containsExactly(JAN, FEB);
        assertThat(RecycleBin.recoverable(entry, NOW + DAY_MS - 1)).isTrue();
        assertThat(RecycleBin.due(state, NOW + DAY_MS - 1)).isEmpty();
        assertThat(RecycleBin.due(state, NOW + DAY_MS)).containsExactly(entry);
    }

    @Test
    void recoverBringsTheTableBackWithItsPartitionsAndTablets() {
        givenSalesWithOrders();
        dropOrders(false);

        OlapTableDef recovered = commit(c -> RecycleBin.recoverTable(c, db(), "orders", null, NOW + 1));

        assertThat(recovered.getId()).isEqualTo(TABLE);
        assertThat(state.tables().get(TABLE).getName()).isEqualTo("orders");
        assertThat(state.partitions()).containsOnlyKeys(JAN, FEB);
        assertThat(state.tabletChunks().get(JAN + "/" + INDEX)).isNotEmpty();
        assertThat(state.recycleBin()).isEmpty();
    }

    @Test
    void aNewTableOfTheSameNameMayBeCreatedAndBlocksTheRecoverUnlessRenamed() {
        givenSalesWithOrders();
        dropOrders(false);
        put(CatalogKeys.table(900), table("orders", 900));

        assertThatThrownBy(() -> commit(c -> RecycleBin.recoverTable(c, db(), "orders", null, NOW + 1)))
                .isInstanceOf(ApiException.class).hasMessage("Table 'orders' already exists");
        assertThat(state.recycleBin()).containsOnlyKeys(TABLE);

        OlapTableDef renamed = commit(c -> RecycleBin.recoverTable(c, db(), "orders", "orders_old", NOW + 1));

        assertThat(renamed.getName()).isEqualTo("orders_old");
        assertThat(state.tables().get(TABLE).getName()).isEqualTo("orders_old");
        assertThat(state.tables().get(900L).getName()).isEqualTo("orders");
    }

    @Test
    void aViewOfTheSameNameAlsoBlocksTheRecover() {
        givenSalesWithOrders();
        dropOrders(false);
        put(CatalogKeys.view(901), new ViewDef(901L, DB, "orders", "SELECT 1", new ArrayList<>()));

        assertThatThrownBy(() -> commit(c -> RecycleBin.recoverTable(c, db(), "orders", null, NOW + 1)))
                .isInstanceOf(ApiException.class).hasMessage("Table 'orders' already exists");
    }

    @Test
    void theNewestDropOfANameIsRecoveredFirst() {
        givenSalesWithOrders();
        dropOrders(false);
        put(CatalogKeys.table(900), table("orders", 900));
        commit(c -> RecycleBin.dropTable(c, table("orders", 900), RecycleBin.DropTime.of(NOW + 10, DAY_MS, false)));

        OlapTableDef recovered = commit(c -> RecycleBin.recoverTable(c, db(), "orders", null, NOW + 20));

        assertThat(recovered.getId()).isEqualTo(900);
        assertThat(state.recycleBin()).containsOnlyKeys(TABLE);
    }

    @Test
    void nothingForceDroppedExpiredOrNeverDroppedIsRecoverable() {
        givenSalesWithOrders();
        dropOrders(true);

        assertThatThrownBy(() -> commit(c -> RecycleBin.recoverTable(c, db(), "orders", null, NOW)))
                .isInstanceOf(ApiException.class).hasMessage("Unknown table 'orders'");
        assertThatThrownBy(() -> commit(c -> RecycleBin.recoverTable(c, db(), "nope", null, NOW)))
                .isInstanceOf(ApiException.class).hasMessage("Unknown table 'nope'");
        assertThat(RecycleBin.due(state, NOW)).extracting(RecycledObject::getId).containsExactly(TABLE);

        givenSalesWithOrders();
        dropOrders(false);
        assertThatThrownBy(() -> commit(c -> RecycleBin.recoverTable(c, db(), "orders", null, NOW + DAY_MS)))
                .isInstanceOf(ApiException.class).hasMessage("Unknown table 'orders'");
    }

    @Test
    void aDroppedPartitionComesBackUnlessItsNameOrRangeIsTaken() {
        givenSalesWithOrders();
        commit(c -> RecycleBin.dropPartition(c, table("orders", TABLE), state.partitions().get(FEB),
                RecycleBin.DropTime.of(NOW, DAY_MS, false)));
        assertThat(state.partitions()).containsOnlyKeys(JAN);

        put(CatalogKeys.partition(999), partition(999, "p202402", "2024-02-10", "2024-02-20"));
        assertThatThrownBy(() -> commit(c -> RecycleBin.recoverPartition(c, table("orders", TABLE), "p202402", null,
                NOW + 1))).isInstanceOf(ApiException.class)
                .hasMessage("partition[p202402] already exist in table[orders]");
        assertThatThrownBy(() -> commit(c -> RecycleBin.recoverPartition(c, table("orders", TABLE), "p202402",
                "p_old", NOW + 1))).isInstanceOf(ApiException.class)
                .hasMessage("Can not recover partition[p202402]. Partition item conflict.");
        assertThatThrownBy(() -> commit(c -> RecycleBin.recoverPartition(c, table("orders", TABLE), "p202403", null,
                NOW + 1))).isInstanceOf(ApiException.class).hasMessage("No partition named p202403 in table orders");

        put(CatalogKeys.partition(999), null);
        PartitionDef back = commit(c -> RecycleBin.recoverPartition(c, table("orders", TABLE), "p202402", null,
                NOW + 1));
        assertThat(back.getId()).isEqualTo(FEB);
        assertThat(state.partitions()).containsOnlyKeys(JAN, FEB);
        assertThat(state.recycleBin()).isEmpty();
    }

    @Test
    void aDroppedDatabaseComesBackWithItsTablesAndViews() {
        givenSalesWithOrders();
        put(CatalogKeys.view(901), new ViewDef(901L, DB, "v", "SELECT 1", new ArrayList<>()));
        commit(c -> RecycleBin.dropDatabase(c, db(), RecycleBin.DropTime.of(NOW, DAY_MS, false)));
        assertThat(state.databases()).isEmpty();
        assertThat(state.tables()).isEmpty();
        assertThat(state.views()).isEmpty();
        put(CatalogKeys.database(DB + 1), new DatabaseDef(DB + 1, "sales"));

        assertThatThrownBy(() -> commit(c -> RecycleBin.recoverDatabase(c, "sales", null, NOW + 1)))
                .isInstanceOf(ApiException.class).hasMessage("Can't create database 'sales'; database exists");
        commit(c -> RecycleBin.recoverDatabase(c, "sales", "sales_old", NOW + 1));

        assertThat(state.databases().get(DB).getName()).isEqualTo("sales_old");
        assertThat(state.tables()).containsOnlyKeys(TABLE);
        assertThat(state.partitions()).containsOnlyKeys(JAN, FEB);
        assertThat(state.views()).containsOnlyKeys(901L);
    }

    @Test
    void anEraseNamesEveryReplicaAndThenForgetsTheTablets() {
        givenSalesWithOrders();
        RecycledObject entry = dropOrders(true);

        List<RecycleBin.DoomedReplica> replicas = RecycleBin.replicas(state, entry);
        commit(c -> {
            RecycleBin.erase(c, entry);
            return null;
        });

        // 2 partitions x 2 buckets x 3 replicas
        assertThat(replicas).hasSize(12);
        assertThat(replicas).extracting(RecycleBin.DoomedReplica::backendId).containsOnly(1L, 2L, 3L);
        assertThat(replicas).allSatisfy(r -> {
            assertThat(r.tablet().getTableId()).isEqualTo(TABLE);
            assertThat(r.tablet().getSchemaHash()).isEqualTo(77);
        });
        assertThat(state.tabletChunks()).isEmpty();
        assertThat(state.recycleBin()).isEmpty();
    }

    @Test
    void partitionsAreErasedBeforeTablesBeforeDatabases() {
        givenSalesWithOrders();
        commit(c -> RecycleBin.dropPartition(c, table("orders", TABLE), state.partitions().get(FEB),
                RecycleBin.DropTime.of(NOW + 5, DAY_MS, true)));
        commit(c -> RecycleBin.dropDatabase(c, db(), RecycleBin.DropTime.of(NOW, DAY_MS, true)));

        assertThat(RecycleBin.due(state, NOW + 10)).extracting(RecycledObject::getKind)
                .containsExactly(RecycledKind.PARTITION, RecycledKind.DATABASE);
    }

    @Test
    void theBinIsRebuiltFromTheRecordsItWrote() {
        givenSalesWithOrders();
        dropOrders(false);
        List<CatalogRecord> written = new ArrayList<>(records);

        CatalogState replayed = CatalogState.empty();
        for (CatalogRecord record : written) {
            replayed = replayed.apply(record.getKey(), record.getEntry() == null ? null : record, record.getSeq());
        }

        assertThat(replayed.recycleBin()).isEqualTo(state.recycleBin());
        assertThat(replayed.tables()).isEmpty();
        assertThat(replayed.tabletChunks()).isEqualTo(state.tabletChunks());
    }

    // ---- builders ----

    /** Every record written, tombstones as records without an entry (for the replay test). */
    private final List<CatalogRecord> records = new ArrayList<>();

    private void givenSalesWithOrders() {
        state = CatalogState.empty();
        records.clear();
        put(CatalogKeys.database(DB), db());
        put(CatalogKeys.table(TABLE), table("orders", TABLE));
        put(CatalogKeys.partition(JAN), partition(JAN, "p202401", "2024-01-01", "2024-02-01"));
        put(CatalogKeys.partition(FEB), partition(FEB, "p202402", "2024-02-01", "2024-03-01"));
        for (long partition : List.of(JAN, FEB)) {
            List<TabletDef> tablets = new ArrayList<>();
            for (int bucket = 0; bucket < 2; bucket++) {
                List<Replica> replicas = new ArrayList<>();
                for (long backend = 1; backend <= 3; backend++) {
                    replicas.add(new Replica(partition * 100 + bucket * 10 + backend, backend, 1L, -1L, 1L));
                }
                tablets.add(new TabletDef(partition * 10 + bucket, replicas));
            }
            commit(c -> c.putTablets(TABLE, partition, INDEX, tablets));
        }
    }

    private RecycledObject dropOrders(boolean force) {
        return commit(c -> RecycleBin.dropTable(c, table("orders", TABLE), RecycleBin.DropTime.of(NOW, DAY_MS,
                force)));
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

    private static DatabaseDef db() {
        return new DatabaseDef(DB, "sales");
    }

    private static OlapTableDef table(String name, long id) {
        return OlapTableDef.newBuilder().setId(id).setDbId(DB).setName(name)
                .setColumns(List.of(new Column("dt", "DATE", true, false, null, null, ""),
                        new Column("id", "BIGINT", true, false, null, null, "")))
                .setPartitionColumns(List.of("dt")).setDistributionColumns(List.of("id"))
                .setIndexes(List.of(IndexMeta.newBuilder().setId(INDEX).setName(name).setSchemaHash(77)
                        .setColumns(List.of("dt", "id")).setIsBase(true).build()))
                .build();
    }

    private static PartitionDef partition(long id, String name, String lower, String upper) {
        return PartitionDef.newBuilder().setId(id).setTableId(TABLE).setName(name).setRangeLower(lower)
                .setRangeUpper(upper).setBuckets(2).build();
    }
}
