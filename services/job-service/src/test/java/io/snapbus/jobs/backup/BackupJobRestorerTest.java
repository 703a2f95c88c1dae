package io.snapbus.jobs.backup;

import static org.assertj.core.api.Assertions.assertThat;

import io.snapbus.avro.BackupJobHeader;
import io.snapbus.avro.BackupJobRecord;
import io.snapbus.avro.BackupMetaChunk;
import io.snapbus.avro.BackupTabletChunk;
import io.snapbus.avro.Column;
import io.snapbus.avro.IndexMeta;
import io.snapbus.avro.KeysType;
import io.snapbus.avro.OlapTableDef;
import io.snapbus.avro.OlapTableType;
import io.snapbus.avro.PartitionDef;
import io.snapbus.avro.RepositoryRef;
import io.snapbus.avro.StorageType;
import io.snapbus.avro.TabletRef;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A job written as its backup-jobs records and rebuilt from them goes on exactly as the original would. */
class BackupJobRestorerTest {
    private static final long T0 = 1_700_000_000_000L;
    private static final String MD5 = "0123456789abcdef0123456789abcdef";
    private final BackupMachine machine = new BackupMachine(BackupSettings.defaults());

    @Test
    void aJobRestoredInAnyStateContinuesLikeTheOriginal() {
        BackupJob job = machine.apply(job(), new BackupInput.Planned(plan(), T0)).job();
        List<BackupInput> rest = new ArrayList<>();
        for (PendingTask task : job.pendingTasks().values()) {
            long tablet = task.tabletIds().get(0);
            rest.add(new BackupInput.SnapshotFinished(task.signature(), 0, "OK", List.of(), "/snap/" + tablet,
                    List.of(tablet + ".hdr", tablet + "_0.dat"), T0 + 1));
        }
        int checked = 0;
        BackupJob original = job;
        for (BackupInput input : rest) {
            assertRestoredEquivalent(original);
            original = machine.apply(original, input).job();
            checked++;
        }
        assertThat(original.state()).isEqualTo(BackupState.UPLOADING);
        assertRestoredEquivalent(original);
        for (PendingTask upload : original.pendingTasks().values()) {
            Map<Long, List<String>> files = new HashMap<>();
            upload.tabletIds().forEach(id -> files.put(id, List.of(id + ".hdr." + MD5, id + "_0.dat." + MD5)));
            BackupInput done = new BackupInput.UploadFinished(upload.signature(), 0, "OK", List.of(), files, T0 + 2);
            BackupMachine.Transition fromOriginal = machine.apply(original, done);
            BackupMachine.Transition fromRestored = machine.apply(restore(original), done);
            assertThat(fromRestored.job().state()).isEqualTo(fromOriginal.job().state());
            assertThat(fromRestored.job().tablets()).isEqualTo(fromOriginal.job().tablets());
            original = fromOriginal.job();
        }
        assertThat(original.state()).isEqualTo(BackupState.SAVE_META);
        BackupJob restored = restore(original);
        assertThat(BackupJobInfo.json(restored)).isEqualTo(BackupJobInfo.json(original));
        assertThat(checked).isEqualTo(4);
    }

    @Test
    void aRestoredLocalSnapshotIsReleasedAtItsExpiryAndARestoredReleasedOneNeverAgain() {
        BackupRequest request = new BackupRequest("local1", "sales", KeepOnLocal.REPOSITORY_NAME,
                job().request().tables(), 3_600_000L, BackupRequest.Content.ALL, Map.of());
        BackupJob job = machine.apply(BackupJob.created(5002L, request, KeepOnLocal.repository(), T0),
                new BackupInput.Planned(plan(), T0)).job();
        for (PendingTask task : List.copyOf(job.pendingTasks().values())) {
            long tablet = task.tabletIds().get(0);
            job = machine.apply(job, new BackupInput.SnapshotFinished(task.signature(), 0, "OK", List.of(),
                    "/snap/" + tablet, List.of(tablet + ".hdr"), T0 + 1)).job();
        }
        job = machine.apply(job, new BackupInput.MetaSaved("/work/local1", T0 + 2)).job();
        assertThat(job.state()).isEqualTo(BackupState.FINISHED);

        BackupJob restored = restore(job);
        assertThat(restored.repository()).isEqualTo(KeepOnLocal.repository());
        assertThat(restored.localJobDir()).isEqualTo("/work/local1");
        assertThat(restored.holdsLocalSnapshot()).isTrue();
        BackupMachine.Transition expired = machine.apply(restored, new BackupInput.Tick(T0 + 3_600_000L));
        assertThat(expired.effects()).filteredOn(e -> e instanceof BackupEffect.SendTasks).hasSize(1);

        BackupJob releasedAndRestored = restore(expired.job());
        assertThat(releasedAndRestored.localSnapshotReleased()).isTrue();
        assertThat(machine.apply(releasedAndRestored, new BackupInput.Tick(T0 + 7_200_000L)).effects()).isEmpty();
    }

    private void assertRestoredEquivalent(BackupJob original) {
        BackupJob restored = restore(original);
        assertThat(restored.state()).isEqualTo(original.state());
        assertThat(restored.stateSeq()).isEqualTo(original.stateSeq());
        assertThat(restored.tablets()).isEqualTo(original.tablets());
        assertThat(restored.plan()).isEqualTo(original.plan());
        assertThat(restored.pendingTasks().keySet()).isEqualTo(original.pendingTasks().keySet());
        original.pendingTasks().forEach((signature, task) -> {
            PendingTask again = restored.pendingTasks().get(signature);
            assertThat(again.kind()).isEqualTo(task.kind());
            assertThat(again.backendId()).isEqualTo(task.backendId());
            assertThat(again.tabletIds()).containsExactlyInAnyOrderElementsOf(task.tabletIds());
        });
        assertThat(restored.nextTaskSeq()).isGreaterThanOrEqualTo(original.nextTaskSeq());
    }

    private static BackupJob restore(BackupJob job) {
        BackupJobHeader header = null;
        List<BackupTabletChunk> tablets = new ArrayList<>();
        List<BackupMetaChunk> meta = new ArrayList<>();
        for (BackupJobRecord record : BackupRecords.of(job).values()) {
            Object part = record.getPart();
            if (part instanceof BackupJobHeader h) {
                header = h;
            } else if (part instanceof BackupTabletChunk t) {
                tablets.add(0, t); // out of order on purpose
            } else {
                meta.add(0, (BackupMetaChunk) part);
            }
        }
        return BackupJobRestorer.restore(job.jobId(), job.stateSeq(), header, tablets, meta);
    }

    private static BackupJob job() {
        BackupRequest request = new BackupRequest("snap1", "sales", "nightly",
                List.of(new BackupRequest.TableRequest("orders", List.of())), 3_600_000L,
                BackupRequest.Content.ALL, Map.of("content", "ALL"));
        return BackupJob.created(5001L, request, new RepositoryRef(30001L, "nightly", StorageType.FILESYSTEM,
                "file:///repo", Map.of(), null, false, 0L), T0);
    }

    /** orders (id 2): partitions p1 (id 3: tablets 101, 102) and p2 (id 5: 103, 104), index 4, two backends. */
    private static BackupPlan plan() {
        OlapTableDef table = OlapTableDef.newBuilder().setId(2L).setDbId(1L).setName("orders")
                .setTableType(OlapTableType.OLAP).setKeysType(KeysType.DUP_KEYS)
                .setColumns(List.of(new Column("id", "BIGINT", true, false, null, null, "")))
                .setIndexes(List.of(new IndexMeta(4L, "orders", 77, List.of("id"), true))).build();
        PartitionDef p1 = PartitionDef.newBuilder().setId(3L).setTableId(2L).setName("p1").setVisibleVersion(5L)
                .setBuckets(2).build();
        PartitionDef p2 = PartitionDef.newBuilder().setId(5L).setTableId(2L).setName("p2").setVisibleVersion(5L)
                .setBuckets(2).build();
        List<BackupPlan.PlannedTablet> tablets = new ArrayList<>();
        for (long id = 101; id <= 104; id++) {
            tablets.add(new BackupPlan.PlannedTablet(new TabletRef(1L, 2L, id <= 102 ? 3L : 5L, 4L, id, 77), 5,
                    id % 2 == 1 ? 10002L : 10003L, id * 10));
        }
        List<BackupPlan.PlannedPartition> partitions = List.of(
                new BackupPlan.PlannedPartition(3, "p1", 5, List.of(new BackupPlan.PlannedIndex(4, "orders", 77,
                        List.of(101L, 102L)))),
                new BackupPlan.PlannedPartition(5, "p2", 5, List.of(new BackupPlan.PlannedIndex(4, "orders", 77,
                        List.of(103L, 104L)))));
        return new BackupPlan(1L, "sales", job().repository(), List.of(new BackupPlan.PlannedTable(2, "orders",
                partitions)), tablets, List.of(), List.of(), List.of(), Map.of(2L, 42L), List.of(table, p1, p2));
    }
}
