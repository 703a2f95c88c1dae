package io.snapbus.jobs.restore;

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
import io.snapbus.jobs.restore.RestoreRequest.Selection;
import io.snapbus.jobs.restore.RestoreRequest.TableRequest;
import io.snapbus.rows.ContentChecksum;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A snapshot of table {@code orders} (two range partitions, two buckets, a rollup) and a catalog the restore planner
 * reads, shared by the restore core's tests.
 */
final class RestoreFixtures {
    static final long DB = 1;

    private RestoreFixtures() {}

    /** orders: p1 [2024-01-01, 2024-02-01) at version 5 and p2 [2024-02-01, 2024-03-01) at 7, two buckets, a rollup. */
    static OlapTableDef orders(long id, String name, int replication) {
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

    static PartitionDef partition(long id, long table, String name, String lower, String upper, long version) {
        return PartitionDef.newBuilder().setId(id).setTableId(table).setName(name).setRangeLower(lower)
                .setRangeUpper(upper).setVisibleVersion(version).setNextVersion(version + 1).setBuckets(2).build();
    }

    /** A partition whose tablets recorded {@link #recorded} checksums. */
    static SnapshotInfo.Partition infoPartition(String name, long id, long version, long firstTablet) {
        return new SnapshotInfo.Partition(name, id, version, Map.of(
                "orders", index("orders", 101, 111, firstTablet, firstTablet + 1),
                "by_dt", index("by_dt", 102, 222, firstTablet + 2, firstTablet + 3)));
    }

    private static SnapshotInfo.Index index(String name, long id, int schemaHash, long... tablets) {
        Map<Long, ContentChecksum> checksums = new HashMap<>();
        List<Long> order = new ArrayList<>();
        for (long tablet : tablets) {
            order.add(tablet);
            checksums.put(tablet, recorded(tablet));
        }
        return new SnapshotInfo.Index(name, id, schemaHash, order, Map.of(), checksums);
    }

    /** What the backup of {@code tablet} recorded: rows and a checksum derived from its id. */
    static ContentChecksum recorded(long tablet) {
        return new ContentChecksum(tablet % 100, tablet * 31);
    }

    static SnapshotInfo info() {
        Map<String, SnapshotInfo.Partition> partitions = new LinkedHashMap<>();
        partitions.put("p1", infoPartition("p1", 110, 5, 1001));
        partitions.put("p2", infoPartition("p2", 120, 7, 2001));
        return new SnapshotInfo("snap1", "sales", 9, 1_700_000_000_000L, SnapshotInfo.Content.ALL,
                Map.of("orders", new SnapshotInfo.Table("orders", 100, partitions)),
                List.of(new SnapshotInfo.NamedObject(300, "big_orders")), List.of(), List.of(), 1, List.of());
    }

    static SnapshotMeta meta() {
        return new SnapshotMeta(1, Map.of("orders", orders(100, "orders", 3)), Map.of(100L, List.of(
                partition(110, 100, "p1", "2024-01-01", "2024-02-01", 5),
                partition(120, 100, "p2", "2024-02-01", "2024-03-01", 7))),
                List.of(ViewDef.newBuilder().setId(300).setDbId(9).setName("big_orders")
                        .setSql("SELECT * FROM orders WHERE amount > 5").setColumns(List.of()).build()),
                List.of(), List.of());
    }

    static RestoreRequest request(Map<String, String> extra, TableRequest... tables) {
        Map<String, String> properties = new HashMap<>(Map.of("backup_timestamp", "2024-01-01-00-00-00"));
        properties.putAll(extra);
        return new RestoreRequest("snap1", "sales", "repo", tables.length == 0 ? Selection.ALL : Selection.ON,
                List.of(tables), RestoreOptions.parse(properties, false));
    }

    static final class PlannerCatalog implements CatalogView {
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
