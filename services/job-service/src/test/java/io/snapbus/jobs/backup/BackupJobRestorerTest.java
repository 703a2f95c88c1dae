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
import io.snapbus.jobs.backup.shell.JobInfoFile;
import io.snapbus.jobs.engine.AgentWork;
import io.snapbus.jobs.engine.JobRecordVersions;
import io.snapbus.jobs.engine.PendingTask;
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
        assertThat(JobInfoFile.json(restored)).isEqualTo(JobInfoFile.json(original));
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
        // Every task with its retry bookkeeping, exactly.
        assertThat(restored.pendingTasks()).isEqualTo(original.pendingTasks());
        assertThat(restored.nextTaskSeq()).isGreaterThanOrEqualTo(original.nextTaskSeq());
    }

    @Test
    void aTaskThatFailedTwiceIsRestoredWithItsRetryBookkeepingAndGivesUpLikeTheOriginal() {
        BackupJob job = machine.apply(job(), new BackupInput.Planned(plan(), T0)).job();
        PendingTask failing = pendingFor(job, 101L);
        for (PendingTask task : List.copyOf(job.pendingTasks().values())) {
            if (task != failing) {
                long tablet = task.tabletIds().get(0);
                job = machine.apply(job, new BackupInput.SnapshotFinished(task.signature(), 0, "OK", List.of(),
                        "/snap/" + tablet, List.of(tablet + ".hdr"), T0 + 1)).job();
            }
        }
        long now = T0 + 1;
        for (int failure = 1; failure <= 2; failure++) {
            now += 1;
            job = machine.apply(job, snapshotFailed(pendingFor(job, 101L), now)).job();
            now = pendingFor(job, 101L).nextRetryMs();
            job = machine.apply(job, new BackupInput.Tick(now)).job();
        }
        PendingTask resent = pendingFor(job, 101L);
        assertThat(resent.attempt()).isEqualTo(3);
        assertThat(resent.status()).isEqualTo(PendingTask.Status.SENT);
        assertThat(resent.lastError()).contains("disk full");

        BackupJob original = job;
        BackupJob restored = restore(job);
        assertThat(restored.pendingTasks()).isEqualTo(original.pendingTasks());
        assertThat(restored.taskErrors()).isEqualTo(original.taskErrors());

        // The same inputs from here: a tick before the backoff, failures, ticks past the backoff.
        BackupMachine.Transition last = null;
        for (int step = 0; step < 20 && !original.isDone(); step++) {
            PendingTask task = pendingFor(original, 101L);
            List<BackupInput> inputs = List.of(new BackupInput.Tick(task.nextRetryMs() - 1),
                    snapshotFailed(task, task.nextRetryMs() - 1), new BackupInput.Tick(task.nextRetryMs() + 100_000));
            for (BackupInput input : inputs) {
                if (original.isDone()) {
                    break;
                }
                last = machine.apply(original, input);
                BackupMachine.Transition fromRestored = machine.apply(restored, input);
                original = last.job();
                restored = fromRestored.job();
                assertThat(restored.pendingTasks()).isEqualTo(original.pendingTasks());
                assertThat(restored.state()).isEqualTo(original.state());
            }
        }
        assertThat(original.state()).isEqualTo(BackupState.CANCELLED);
        assertThat(restored.status()).isEqualTo(original.status());
        assertThat(original.status().message()).contains("failed " + BackupSettings.DEFAULT_MAX_TASK_ATTEMPTS
                + " times", "disk full");
    }

    @Test
    void aTaskLocatingItsMissingTabletIsRestoredAsLocating() {
        BackupJob job = machine.apply(job(), new BackupInput.Planned(plan(), T0)).job();
        PendingTask task = pendingFor(job, 102L);
        job = machine.apply(job, new BackupInput.SnapshotFinished(task.signature(), 72, "TABLET_MISSING",
                List.of("no tablet"), null, null, T0 + 5)).job();
        assertThat(pendingFor(job, 102L).status()).isEqualTo(PendingTask.Status.LOCATING);

        BackupJob restored = restore(job);

        assertThat(pendingFor(restored, 102L)).isEqualTo(pendingFor(job, 102L));
        BackupInput located = new BackupInput.TabletLocated(task.signature(), true, false, List.of(), T0 + 6);
        assertThat(machine.apply(restored, located).job().tablets())
                .isEqualTo(machine.apply(job, located).job().tablets());
    }

    @Test
    void recordsWrittenBeforeTheRetryBookkeepingRestoreTheirTasksAfresh() {
        BackupJob job = machine.apply(job(), new BackupInput.Planned(plan(), T0)).job();
        job = machine.apply(job, snapshotFailed(pendingFor(job, 101L), T0 + 1)).job();
        Map<String, BackupJobRecord> records = new java.util.LinkedHashMap<>(BackupRecords.of(job));
        records.values().forEach(r -> {
            if (r.getPart() instanceof BackupTabletChunk chunk) {
                chunk.getTablets().forEach(t -> t.setPendingTask(null));
            }
        });

        BackupJob restored = restore(records);

        assertThat(restored.pendingTasks().keySet()).isEqualTo(job.pendingTasks().keySet());
        PendingTask old = pendingFor(restored, 101L);
        assertThat(old.attempt()).isEqualTo(1);
        assertThat(old.status()).isEqualTo(PendingTask.Status.SENT);
        assertThat(old.sentAtMs()).isEqualTo(T0);
    }

    @Test
    void aJobPersistedAsDeltasRestoresLikeItsFullWritesAtEveryStep() {
        // 11 tables of 100 tablets: two chunks, one once a dropped table leaves the job.
        CompactedTopic topic = new CompactedTopic();
        BackupMachine.Transition t = topic.step(machine.apply(BackupScenario.job(),
                new BackupInput.Planned(BackupScenario.generated(11, 1, 100), T0)));
        PendingTask missing = BackupScenario.pendingFor(t.job(), 100_000L);
        PendingTask failing = BackupScenario.pendingFor(t.job(), 105_050L);
        t = topic.step(machine.apply(t.job(), BackupScenario.snapshotFailed(missing.signature(), 72, "TABLET_MISSING",
                T0 + 1)));
        t = topic.step(machine.apply(t.job(), BackupScenario.snapshotFailed(failing.signature(), 6, "INTERNAL_ERROR",
                T0 + 1)));
        int answered = 0;
        for (PendingTask task : BackupScenario.pending(t.job(), AgentWork.Kind.MAKE_SNAPSHOT)) {
            if (task.status() == PendingTask.Status.SENT && task.tabletIds().get(0) >= 101_000L) {
                topic.failNextPersist = ++answered == 500;
                t = topic.step(machine.apply(t.job(), BackupScenario.snapshotOk(task.signature(),
                        task.tabletIds().get(0), T0 + 2)));
            }
        }
        t = topic.step(machine.apply(t.job(), new BackupInput.TabletLocated(missing.signature(), false, false,
                List.of(), T0 + 3)));
        assertThat(t.job().tablets()).hasSize(1000);
        t = topic.step(machine.apply(t.job(), new BackupInput.Tick(T0 + 60_000)));
        PendingTask retried = BackupScenario.pendingFor(t.job(), 105_050L);
        assertThat(retried.attempt()).isEqualTo(2);
        t = topic.step(machine.apply(t.job(), BackupScenario.snapshotOk(retried.signature(), 105_050L, T0 + 61_000)));
        assertThat(t.job().state()).isEqualTo(BackupState.UPLOADING);
        PendingTask upload = BackupScenario.pending(t.job(), AgentWork.Kind.UPLOAD).get(3);
        t = topic.step(machine.apply(t.job(), new BackupInput.UploadFinished(upload.signature(), 6, "INTERNAL_ERROR",
                List.of("broken pipe"), Map.of(), T0 + 62_000)));
        t = topic.step(machine.apply(t.job(), new BackupInput.Tick(T0 + 200_000)));
        t = topic.step(BackupScenario.finishUploads(machine, t, T0 + 201_000));
        t = topic.step(machine.apply(t.job(), new BackupInput.MetaSaved("/tmp/job", T0 + 202_000)));
        t = topic.step(machine.apply(t.job(), new BackupInput.InfoUploaded("__meta." + MD5, "__info." + MD5,
                T0 + 203_000)));

        assertThat(t.job().state()).isEqualTo(BackupState.FINISHED);
        assertThat(topic.steps).isGreaterThan(1000);
        assertThat(topic.failedPersists).isEqualTo(1);
        // 1 100 tablets before the drop, 1 000 after: the chunk past the new count is gone.
        assertThat(topic.latest).doesNotContainKey(BackupScenario.JOB + "/tablets/"
                + BackupRecords.chunkCount(1000, BackupRecords.TABLETS_PER_CHUNK));
    }

    @Test
    void aJobCancelledWhileItsTasksRunIsPersistedAsDeltasLikeItsFullWrites() {
        CompactedTopic topic = new CompactedTopic();
        BackupMachine.Transition t = topic.step(machine.apply(BackupScenario.job(),
                new BackupInput.Planned(BackupScenario.generated(11, 1, 100), T0)));
        for (long tablet : List.of(100_001L, 105_002L, 110_003L)) {
            PendingTask task = BackupScenario.pendingFor(t.job(), tablet);
            t = topic.step(machine.apply(t.job(), BackupScenario.snapshotOk(task.signature(), tablet, T0 + 1)));
        }
        t = topic.step(machine.apply(t.job(), new BackupInput.Cancel(T0 + 2)));

        assertThat(t.job().state()).isEqualTo(BackupState.CANCELLED);
        assertThat(restore(topic.latest).pendingTasks()).isEmpty();
    }

    @Test
    void aCrashBetweenTheChunksAndTheHeaderRestoresTheLastCommittedState() {
        CompactedTopic topic = new CompactedTopic();
        BackupMachine.Transition t = topic.step(machine.apply(BackupScenario.job(),
                new BackupInput.Planned(BackupScenario.generated(11, 1, 100), T0)));
        PendingTask first = BackupScenario.pendingFor(t.job(), 103_000L);
        t = topic.step(machine.apply(t.job(), BackupScenario.snapshotOk(first.signature(), first.tabletIds().get(0),
                T0 + 1)));
        BackupJob committed = t.job();
        PendingTask missing = BackupScenario.pendingFor(committed, 100_000L);
        BackupJob locating = machine.apply(committed, BackupScenario.snapshotFailed(missing.signature(), 72,
                "TABLET_MISSING", T0 + 2)).job();
        BackupJob pruned = BackupRecordsDeltaTest.persisted(machine.apply(locating, new BackupInput.TabletLocated(
                missing.signature(), false, false, List.of(), T0 + 3)));

        // The shrunken plan's chunks and tombstones reached the log, its header did not.
        BackupRecordVersions log = new BackupRecordVersions();
        BackupRecords.of(BackupScenario.job()).forEach(log::accept);
        topic.written.forEach(records -> records.forEach(log::accept));
        new BackupRecordsDelta().since(committed, pruned).forEach((key, record) -> {
            if (!key.equals(Long.toString(BackupScenario.JOB))) {
                log.accept(key, record);
            }
        });

        assertThat(log.jobs().get(BackupScenario.JOB)).isEqualTo(restore(committed));
    }

    @Test
    void aReplayOfPartitionsReadInAnyInterleavingRebuildsTheCommittedJobKeepingOneValueAChunk() {
        CompactedTopic topic = new CompactedTopic();
        BackupMachine.Transition t = topic.step(machine.apply(BackupScenario.job(),
                new BackupInput.Planned(BackupScenario.generated(11, 1, 100), T0)));
        for (PendingTask task : BackupScenario.pending(t.job(), AgentWork.Kind.MAKE_SNAPSHOT).subList(0, 300)) {
            t = topic.step(machine.apply(t.job(), BackupScenario.snapshotOk(task.signature(),
                    task.tabletIds().get(0), T0 + 1)));
        }
        BackupJob committed = t.job();
        PendingTask next = BackupScenario.pending(committed, AgentWork.Kind.MAKE_SNAPSHOT).get(0);
        BackupJob unfinished = BackupRecordsDeltaTest.persisted(machine.apply(committed,
                BackupScenario.snapshotOk(next.signature(), next.tabletIds().get(0), T0 + 2)));
        // Every persist in write order, then one whose chunks reached the log and whose header did not.
        List<Map.Entry<String, BackupJobRecord>> log = new ArrayList<>();
        topic.written.forEach(records -> records.forEach((k, v) -> log.add(new java.util.AbstractMap.SimpleEntry<>(k,
                v))));
        Map<String, BackupJobRecord> lost = new BackupRecordsDelta().since(committed, unfinished);
        lost.remove(Long.toString(BackupScenario.JOB));
        lost.forEach((k, v) -> log.add(new java.util.AbstractMap.SimpleEntry<>(k, v)));
        BackupJob expected = restore(committed);

        for (long seed = 0; seed < 8; seed++) {
            // Six partitions by key (a different spread each round), each read in order, the reads interleaved as a
            // consumer's polls may be.
            List<java.util.ArrayDeque<Map.Entry<String, BackupJobRecord>>> partitions = new ArrayList<>();
            for (int p = 0; p < 6; p++) {
                partitions.add(new java.util.ArrayDeque<>());
            }
            long salt = seed;
            log.forEach(e -> partitions.get(Math.floorMod((salt + "/" + e.getKey()).hashCode(), 6)).add(e));
            java.util.Random random = new java.util.Random(seed);
            JobRecordVersions<BackupJobRecord, BackupJob> versions = BackupRecordVersions.versions();
            while (partitions.stream().anyMatch(q -> !q.isEmpty())) {
                var partition = partitions.get(random.nextInt(6));
                for (int n = random.nextInt(50); n >= 0 && !partition.isEmpty(); n--) {
                    var record = partition.poll();
                    versions.accept(record.getKey(), record.getValue());
                }
            }

            assertThat(versions.jobs().get(BackupScenario.JOB)).as("seed %s", seed).isEqualTo(expected);
            assertThat(versions.olderValuesKept()).as("only the unfinished persist's chunks keep their older value")
                    .isEqualTo(lost.size());
        }
    }

    /**
     * The backup-jobs topic as a replay sees it after compaction (each key's latest value), fed with what the
     * shell's persist writes: the delta since the last persist the topic acknowledged, everything after a failure.
     */
    private static final class CompactedTopic {
        final Map<String, BackupJobRecord> latest = new HashMap<>();
        final List<Map<String, BackupJobRecord>> written = new ArrayList<>();
        BackupJob acknowledged;
        boolean failNextPersist;
        int steps;
        int failedPersists;

        BackupMachine.Transition step(BackupMachine.Transition transition) {
            steps++;
            for (BackupEffect effect : transition.effects()) {
                if (effect instanceof BackupEffect.Persist persist) {
                    Map<String, BackupJobRecord> records = new BackupRecordsDelta().since(acknowledged, persist.job());
                    if (failNextPersist) {
                        failNextPersist = false;
                        failedPersists++;
                        acknowledged = null;
                        continue;
                    }
                    written.add(records);
                    records.forEach((key, record) -> {
                        if (record == null) {
                            latest.remove(key);
                        } else {
                            latest.put(key, record);
                        }
                    });
                    acknowledged = persist.job();
                }
            }
            if (acknowledged != null) {
                assertThat(restore(latest)).isEqualTo(BackupJobRestorerTest.restore(acknowledged));
            }
            return transition;
        }
    }

    private static BackupInput.SnapshotFinished snapshotFailed(PendingTask task, long nowMs) {
        return new BackupInput.SnapshotFinished(task.signature(), 6, "INTERNAL_ERROR", List.of("disk full"), null,
                null, nowMs);
    }

    private static PendingTask pendingFor(BackupJob job, long tabletId) {
        return job.pendingTasks().values().stream().filter(p -> p.tabletIds().contains(tabletId)).findFirst()
                .orElseThrow();
    }

    /** The job as a replay of these records (each key's latest value, as a compacted topic keeps it) rebuilds it. */
    static BackupJob restore(Map<String, BackupJobRecord> records) {
        BackupRecordVersions versions = new BackupRecordVersions();
        records.forEach(versions::accept);
        Map<Long, BackupJob> jobs = versions.jobs();
        assertThat(jobs).hasSize(1);
        return jobs.values().iterator().next();
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
                BackupRequest.Content.ALL, Map.of("content", "ALL", "type", "full"));
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
