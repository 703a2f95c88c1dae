package io.snapbus.jobs.backup;

import io.snapbus.avro.Column;
import io.snapbus.avro.IndexMeta;
import io.snapbus.avro.KeysType;
import io.snapbus.avro.OlapTableDef;
import io.snapbus.avro.OlapTableType;
import io.snapbus.avro.PartitionDef;
import io.snapbus.avro.RepositoryRef;
import io.snapbus.avro.StorageType;
import io.snapbus.avro.TabletRef;
import io.snapbus.jobs.engine.AgentWork;
import io.snapbus.jobs.engine.PendingTask;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Test data for the backup machine: a job, a plan of OLAP tables (with the catalog copy for the meta file), and
 * answers a node would give, read off the job's pending tasks.
 */
final class BackupScenario {
    static final long JOB = 5001L;
    static final long T0 = 1_700_000_000_000L;
    static final String MD5 = "0123456789abcdef0123456789abcdef";
    static final long VERSION = 5;
    static final List<Long> BACKENDS = List.of(10001L, 10002L, 10003L);

    private BackupScenario() {}

    /** A full backup (every file uploaded, nothing reused) of orders and items to a filesystem repository. */
    static BackupJob job() {
        return job(BackupRequest.TYPE_FULL);
    }

    /** {@link #job()} as an incremental backup: UPLOAD_SNAPSHOT first reuses what the repository holds. */
    static BackupJob incrementalJob() {
        return job(BackupRequest.TYPE_INCREMENTAL);
    }

    private static BackupJob job(String type) {
        BackupRequest request = new BackupRequest("snap1", "sales", "nightly",
                List.of(new BackupRequest.TableRequest("orders", List.of()),
                        new BackupRequest.TableRequest("items", List.of())),
                3_600_000L, BackupRequest.Content.ALL, Map.of("type", type));
        RepositoryRef repo = new RepositoryRef(30001L, "nightly", StorageType.FILESYSTEM, "file:///repo", Map.of(),
                null, false, 0L);
        return BackupJob.created(JOB, request, repo, T0);
    }

    /** {@link #job()} to the keep-on-local pseudo repository: its snapshots stay on the nodes. */
    static BackupJob localJob() {
        BackupJob job = job();
        BackupRequest request = new BackupRequest(job.label(), job.request().dbName(), KeepOnLocal.REPOSITORY_NAME,
                job.request().tables(), job.timeoutMs(), job.request().content(), job.request().properties());
        return BackupJob.created(JOB, request, KeepOnLocal.repository(), T0);
    }

    /** orders (table 2: p1 = 3 with tablets 101, 102; p2 = 5 with 103, 104) and items (table 6: p9 = 7, 201, 202). */
    static BackupPlan twoTables() {
        return plan(new TableSpec(2, "orders", 4, 77, new PartitionSpec(3, "p1", List.of(101L, 102L)),
                new PartitionSpec(5, "p2", List.of(103L, 104L))),
                new TableSpec(6, "items", 8, 88, new PartitionSpec(7, "p9", List.of(201L, 202L))));
    }

    /** {@code tables} tables of {@code partitions} partitions of {@code tablets} tablets each. */
    static BackupPlan generated(int tables, int partitions, int tablets) {
        List<TableSpec> specs = new ArrayList<>();
        for (int t = 0; t < tables; t++) {
            long tableId = 1000L * (t + 1);
            List<PartitionSpec> parts = new ArrayList<>();
            for (int p = 0; p < partitions; p++) {
                List<Long> ids = new ArrayList<>();
                for (int b = 0; b < tablets; b++) {
                    ids.add(100_000L + t * 1000L + p * 100L + b);
                }
                parts.add(new PartitionSpec(tableId + 10L * (p + 1), "p" + p, ids));
            }
            specs.add(new TableSpec(tableId, "t" + t, tableId + 1, 70 + t, parts.toArray(PartitionSpec[]::new)));
        }
        return plan(specs.toArray(TableSpec[]::new));
    }

    record PartitionSpec(long id, String name, List<Long> tablets) {}

    record TableSpec(long id, String name, long indexId, int schemaHash, PartitionSpec... partitions) {}

    static long backendOf(long tabletId) {
        return BACKENDS.get((int) (tabletId % BACKENDS.size()));
    }

    private static BackupPlan plan(TableSpec... specs) {
        List<BackupPlan.PlannedTable> tables = new ArrayList<>();
        List<BackupPlan.PlannedTablet> tablets = new ArrayList<>();
        List<Object> meta = new ArrayList<>();
        Map<Long, Long> commitSeqs = new LinkedHashMap<>();
        for (TableSpec spec : specs) {
            meta.add(OlapTableDef.newBuilder().setId(spec.id()).setDbId(1L).setName(spec.name())
                    .setTableType(OlapTableType.OLAP).setKeysType(KeysType.DUP_KEYS)
                    .setColumns(List.of(new Column("id", "BIGINT", true, false, null, null, "")))
                    .setIndexes(List.of(new IndexMeta(spec.indexId(), spec.name(), spec.schemaHash(), List.of("id"),
                            true))).build());
            List<BackupPlan.PlannedPartition> partitions = new ArrayList<>();
            for (PartitionSpec p : spec.partitions()) {
                meta.add(PartitionDef.newBuilder().setId(p.id()).setTableId(spec.id()).setName(p.name())
                        .setVisibleVersion(VERSION).setBuckets(p.tablets().size()).build());
                for (long id : p.tablets()) {
                    tablets.add(new BackupPlan.PlannedTablet(new TabletRef(1L, spec.id(), p.id(), spec.indexId(), id,
                            spec.schemaHash()), VERSION, backendOf(id), id * 10 + BACKENDS.indexOf(backendOf(id))));
                }
                partitions.add(new BackupPlan.PlannedPartition(p.id(), p.name(), VERSION,
                        List.of(new BackupPlan.PlannedIndex(spec.indexId(), spec.name(), spec.schemaHash(),
                                p.tablets()))));
            }
            tables.add(new BackupPlan.PlannedTable(spec.id(), spec.name(), partitions));
            commitSeqs.put(spec.id(), 40 + spec.id());
        }
        return new BackupPlan(1L, "sales", null, tables, tablets, List.of(), List.of(), List.of(), commitSeqs, meta);
    }

    static List<String> files(long tabletId) {
        return List.of(tabletId + ".hdr", "0200000000" + tabletId + "_0.dat");
    }

    static BackupInput.SnapshotFinished snapshotOk(long signature, long tabletId, long nowMs) {
        return new BackupInput.SnapshotFinished(signature, 0, "OK", List.of(), "/snap/" + signature, files(tabletId),
                nowMs);
    }

    static BackupInput.SnapshotFinished snapshotFailed(long signature, int code, String name, long nowMs) {
        return new BackupInput.SnapshotFinished(signature, code, name, List.of("failed on the node"), null, null, nowMs);
    }

    static BackupInput.UploadFinished uploadOk(PendingTask task, long nowMs) {
        Map<Long, List<String>> uploaded = new HashMap<>();
        task.tabletIds().forEach(id -> uploaded.put(id, files(id).stream().map(f -> f + "." + MD5).toList()));
        return new BackupInput.UploadFinished(task.signature(), 0, "OK", List.of(), uploaded, nowMs);
    }

    /** Every awaited MAKE_SNAPSHOT answered OK, lowest signature first. */
    static BackupMachine.Transition finishSnapshots(BackupMachine machine, BackupMachine.Transition t, long nowMs) {
        for (PendingTask task : pending(t.job(), AgentWork.Kind.MAKE_SNAPSHOT)) {
            t = machine.apply(t.job(), snapshotOk(task.signature(), task.tabletIds().get(0), nowMs));
        }
        return t;
    }

    /** Every awaited UPLOAD answered OK, and those the upload window sends meanwhile. */
    static BackupMachine.Transition finishUploads(BackupMachine machine, BackupMachine.Transition t, long nowMs) {
        List<PendingTask> awaited = pending(t.job(), AgentWork.Kind.UPLOAD);
        while (!awaited.isEmpty()) {
            for (PendingTask task : awaited) {
                t = machine.apply(t.job(), uploadOk(task, nowMs));
            }
            awaited = pending(t.job(), AgentWork.Kind.UPLOAD);
        }
        return t;
    }

    static List<PendingTask> pending(BackupJob job, AgentWork.Kind kind) {
        return job.pendingTasks().values().stream().filter(p -> p.kind() == kind)
                .sorted(java.util.Comparator.comparingLong(PendingTask::signature)).toList();
    }

    static PendingTask pendingFor(BackupJob job, long tabletId) {
        return job.pendingTasks().values().stream().filter(p -> p.tabletIds().contains(tabletId)).findFirst()
                .orElseThrow();
    }

    static List<AgentWork.Batch> sent(BackupMachine.Transition t) {
        return t.effects().stream().filter(e -> e instanceof BackupEffect.SendTasks)
                .flatMap(e -> ((BackupEffect.SendTasks) e).batches().stream()).toList();
    }

    static List<AgentWork.Task> sentTasks(BackupMachine.Transition t) {
        return sent(t).stream().flatMap(b -> b.tasks().stream()).toList();
    }

    static List<String> events(BackupMachine.Transition t) {
        return t.effects().stream().filter(e -> e instanceof BackupEffect.Publish).map(e -> (BackupEffect.Publish) e)
                .map(p -> p.kind() + ":" + p.from() + "->" + p.to()).toList();
    }
}
