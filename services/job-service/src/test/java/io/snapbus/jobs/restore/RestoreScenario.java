package io.snapbus.jobs.restore;

import io.snapbus.avro.Column;
import io.snapbus.avro.IndexMeta;
import io.snapbus.avro.KeysType;
import io.snapbus.avro.OdbcResourceDef;
import io.snapbus.avro.OdbcTableDef;
import io.snapbus.avro.OlapTableDef;
import io.snapbus.avro.OlapTableType;
import io.snapbus.avro.PartitionDef;
import io.snapbus.avro.Replica;
import io.snapbus.avro.RepositoryRef;
import io.snapbus.avro.StorageType;
import io.snapbus.avro.ViewDef;
import io.snapbus.jobs.engine.AgentWork;
import io.snapbus.jobs.engine.PendingTask;
import io.snapbus.rows.ContentChecksum;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Restore jobs for tests: a generated snapshot (one table of {@code partitions} partitions with a base index and a
 * rollup, {@code buckets} tablets each, files and checksums recorded), its plan onto new ids with {@code replication}
 * replicas per tablet on three backends, and the machine's inputs that move the job through its states.
 */
final class RestoreScenario {
    static final long JOB = 9001L;
    static final long T0 = 1_700_000_000_000L;
    static final long DB = 1L;
    static final List<Long> BACKENDS = List.of(10002L, 10003L, 10004L);

    final SnapshotInfo info;
    final RestorePlan plan;
    final List<ReplicaRestore> replicas;

    private RestoreScenario(SnapshotInfo info, RestorePlan plan) {
        this.info = info;
        this.plan = plan;
        this.replicas = RestoreReplicas.of(plan, info);
    }

    static RepositoryRef repository() {
        return new RepositoryRef(30001L, "nightly", StorageType.FILESYSTEM, "file:///repo", Map.of(), null, false, 0L);
    }

    static RestoreRequest request() {
        return new RestoreRequest("snap1", "sales", "nightly", RestoreRequest.Selection.ON,
                List.of(new RestoreRequest.TableRequest("orders", List.of(), "orders_copy")),
                RestoreOptions.parse(Map.of("backup_timestamp", "2024-01-01-00-00-00", "timeout", "3600",
                        "replication_allocation", "tag.location.default: 2, tag.location.hot: 1",
                        "allow_load", "true", "atomic_restore", "true", "force_replace", "true"), false));
    }

    static RestoreJob job() {
        return RestoreJob.created(JOB, request(), repository(), T0);
    }

    /**
     * The backed-up table orders (id 100; base index 101, rollup 102) with {@code partitions} partitions of
     * {@code buckets} tablets, restored as the new table orders_copy (id 500 000) with {@code replication} replicas
     * per tablet; with a view, an ODBC table and its resource when {@code otherObjects}.
     */
    static RestoreScenario generated(int partitions, int buckets, int replication, boolean otherObjects) {
        long[] ids = {500_000L};
        Map<String, SnapshotInfo.Partition> infoPartitions = new LinkedHashMap<>();
        OlapTableDef target = table(ids[0]++, "orders_copy");
        List<RestorePlan.PartitionPlan> planned = new ArrayList<>();
        long sourceTablet = 200_000L;
        for (int p = 0; p < partitions; p++) {
            long version = 5 + p % 7;
            Map<String, SnapshotInfo.Index> indexes = new LinkedHashMap<>();
            Map<Long, List<RestorePlan.TabletPlan>> tablets = new HashMap<>();
            PartitionDef partition = PartitionDef.newBuilder().setId(ids[0]++).setTableId(target.getId())
                    .setName("p" + p).setRangeLower(Integer.toString(p * 10)).setRangeUpper(Integer.toString(p * 10
                            + 10)).setVisibleVersion(version).setNextVersion(version + 1).setBuckets(buckets).build();
            for (IndexMeta index : target.getIndexes()) {
                String name = index.getIsBase() ? "orders" : index.getName();
                List<Long> order = new ArrayList<>();
                Map<Long, List<String>> files = new HashMap<>();
                Map<Long, ContentChecksum> checksums = new HashMap<>();
                List<RestorePlan.TabletPlan> tabletPlans = new ArrayList<>();
                for (int b = 0; b < buckets; b++) {
                    long source = sourceTablet++;
                    order.add(source);
                    files.put(source, List.of(source + ".hdr.0123456789abcdef0123456789abcdef",
                            "0200000000000" + source + "_0.dat.fedcba9876543210fedcba9876543210"));
                    if (source % 5 != 0) {
                        checksums.put(source, new ContentChecksum(1000 + source, source * 7919));
                    }
                    List<Replica> tabletReplicas = new ArrayList<>();
                    for (int r = 0; r < replication; r++) {
                        tabletReplicas.add(new Replica(ids[0]++, BACKENDS.get((b + r) % BACKENDS.size()), version, -1L,
                                version));
                    }
                    tabletPlans.add(new RestorePlan.TabletPlan(ids[0]++, source, index.getSchemaHash(), tabletReplicas));
                }
                indexes.put(name, new SnapshotInfo.Index(name, index.getIsBase() ? 101 : 102,
                        index.getSchemaHash(), order, files, checksums));
                tablets.put(index.getId(), tabletPlans);
            }
            SnapshotInfo.Partition source = new SnapshotInfo.Partition("p" + p, 1000 + p, version, indexes);
            infoPartitions.put(source.name(), source);
            planned.add(new RestorePlan.PartitionPlan(source, partition, -1, tablets));
        }
        SnapshotInfo info = new SnapshotInfo("snap1", "sales", 9, T0 - 3_600_000L, SnapshotInfo.Content.ALL,
                Map.of("orders", new SnapshotInfo.Table("orders", 100, infoPartitions)), List.of(), List.of(),
                List.of(), 1, List.of());
        RestorePlan plan = new RestorePlan(List.of(new RestorePlan.TablePlan(RestorePlan.ATOMIC_PREFIX + "orders_copy",
                RestorePlan.TableKind.ATOMIC, target, 77L, planned)),
                otherObjects ? List.of(ViewDef.newBuilder().setId(ids[0]++).setDbId(DB).setName("big_orders")
                        .setSql("SELECT * FROM orders_copy WHERE amount > 5").setColumns(List.of()).build())
                        : List.of(),
                otherObjects ? List.of(OdbcTableDef.newBuilder().setId(ids[0]++).setDbId(DB).setName("pg_orders")
                        .setResourceName("pg").setRemoteDatabase("shop").setRemoteTable("orders")
                        .setColumns(List.of(column("id", "BIGINT", true))).build()) : List.of(),
                otherObjects ? List.of(OdbcResourceDef.newBuilder().setName("pg").setProperties(Map.of("host",
                        "127.0.0.1", "port", "5432")).build()) : List.of());
        return new RestoreScenario(info, plan);
    }

    private static OlapTableDef table(long id, String name) {
        return OlapTableDef.newBuilder().setId(id).setDbId(DB).setName(name).setTableType(OlapTableType.OLAP)
                .setKeysType(KeysType.DUP_KEYS).setColumns(List.of(column("dt", "DATE", true),
                        column("id", "BIGINT", true), column("amount", "DECIMAL(18,2)", false)))
                .setPartitionColumns(List.of("dt")).setDistributionColumns(List.of("id")).setDefaultBuckets(2)
                .setReplicationNum(3).setIndexes(List.of(
                        new IndexMeta(id + 1_000_000L, name, 111, List.of("dt", "id", "amount"), true),
                        new IndexMeta(id + 1_000_001L, "by_dt", 222, List.of("dt", "amount"), false)))
                .setState("RESTORE").build();
    }

    private static Column column(String name, String type, boolean key) {
        return new Column(name, type, key, !key, null, null, "");
    }

    RestoreInput.Planned planned(long nowMs) {
        return new RestoreInput.Planned(plan, replicas, false, nowMs);
    }

    /** The awaited tasks of {@code kind}, by signature. */
    static List<PendingTask> pending(RestoreJob job, AgentWork.Kind kind) {
        return job.tasks().pending().values().stream().filter(t -> t.kind() == kind).toList();
    }

    /** The task's success: a snapshot with its path, a download of all it carries, a check with the expected sums. */
    static RestoreInput.TaskFinished ok(RestoreJob job, PendingTask task, long nowMs) {
        List<Long> tablets = task.tabletIds().stream().map(id -> job.replicas().get(id).tabletId()).toList();
        ReplicaRestore first = job.replicas().get(task.tabletIds().get(0));
        Map<Long, ContentChecksum> checksums = new HashMap<>();
        if (first.expected() != null) {
            checksums.put(first.tabletId(), first.expected());
        }
        return new RestoreInput.TaskFinished(task.signature(), 0, "OK", List.of(),
                "/data/snapshot/20240101000000." + task.signature() + ".3600", tablets, 4096L * tablets.size(),
                checksums, nowMs);
    }

    /** A DOWNLOAD that completed only the first {@code completed} replicas it carried, then failed. */
    static RestoreInput.TaskFinished partialDownload(RestoreJob job, PendingTask task, int completed, long nowMs) {
        List<Long> tablets = task.tabletIds().subList(0, completed).stream()
                .map(id -> job.replicas().get(id).tabletId()).toList();
        return new RestoreInput.TaskFinished(task.signature(), 6, "INTERNAL_ERROR", List.of("connection reset"),
                null, tablets, 4096L * completed, Map.of(), nowMs);
    }

    static RestoreInput.TaskFinished failed(PendingTask task, long nowMs) {
        return RestoreInput.TaskFinished.status(task.signature(), 6, "INTERNAL_ERROR", List.of("disk full"), nowMs);
    }
}
