package io.snapbus.jobs.backup;

import static io.snapbus.jobs.backup.BackupScenario.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.snapbus.avro.BackupJobRecord;
import io.snapbus.jobs.engine.AgentWork;
import io.snapbus.jobs.engine.PendingTask;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A persist writes the chunks that changed since the job's last persisted version, and the header last. */
class BackupRecordsDeltaTest {
    private static final long JOB = BackupScenario.JOB;
    private final BackupMachine machine = new BackupMachine(BackupSettings.defaults());

    @Test
    void aSnapshotResultForOneTabletOfAFiveThousandTabletJobWritesOneChunkAndTheHeader() {
        BackupJob planned = planned(BackupScenario.generated(50, 1, 100));
        assertThat(planned.tablets()).hasSize(5000);
        PendingTask task = BackupScenario.pending(planned, AgentWork.Kind.MAKE_SNAPSHOT).get(2500);
        long tablet = task.tabletIds().get(0);
        BackupJob after = persisted(machine.apply(planned, BackupScenario.snapshotOk(task.signature(), tablet,
                T0 + 1)));

        Map<String, BackupJobRecord> records = new BackupRecordsDelta().since(planned, after);

        int chunk = position(after, tablet) / BackupRecords.TABLETS_PER_CHUNK;
        assertThat(records.keySet()).containsExactly(JOB + "/tablets/" + chunk, Long.toString(JOB));
        assertThat(records.get(JOB + "/tablets/" + chunk)).isEqualTo(BackupRecords.of(after)
                .get(JOB + "/tablets/" + chunk));
        assertThat(records.get(Long.toString(JOB))).isEqualTo(BackupRecords.of(after).get(Long.toString(JOB)));
    }

    @Test
    void changesSinceAPersistThatWasNeverAcknowledgedAreFoundByComparingEveryTablet() {
        BackupJob planned = planned(BackupScenario.generated(50, 1, 100));
        PendingTask first = BackupScenario.pendingFor(planned, 100_005L);
        PendingTask second = BackupScenario.pendingFor(planned, 149_005L);
        BackupJob notAcknowledged = persisted(machine.apply(planned, BackupScenario.snapshotOk(first.signature(),
                100_005L, T0 + 1)));
        BackupJob after = persisted(machine.apply(notAcknowledged, BackupScenario.snapshotOk(second.signature(),
                149_005L, T0 + 2)));
        assertThat(after.changedTablets().sinceStateSeq()).isNotEqualTo(planned.stateSeq());

        Map<String, BackupJobRecord> records = new BackupRecordsDelta().since(planned, after);

        assertThat(records.keySet()).containsExactly(chunkKey(after, 100_005L), chunkKey(after, 149_005L),
                Long.toString(JOB));
        records.forEach((key, record) -> assertThat(record).isEqualTo(BackupRecords.of(after).get(key)));
    }

    @Test
    void aGroupOfPersistedStatesWritesTheLastOneWithEveryChunkAnyOfThemChanged() {
        BackupJob planned = planned(BackupScenario.generated(50, 1, 100));
        PendingTask first = BackupScenario.pendingFor(planned, 100_005L);
        PendingTask second = BackupScenario.pendingFor(planned, 149_005L);
        BackupJob one = persisted(machine.apply(planned, BackupScenario.snapshotOk(first.signature(), 100_005L,
                T0 + 1)));
        BackupJob two = persisted(machine.apply(one, BackupScenario.snapshotOk(second.signature(), 149_005L,
                T0 + 2)));

        Map<String, BackupJobRecord> records = new BackupRecordsDelta().since(planned, List.of(one, two));

        assertThat(new ArrayList<>(records.keySet())).containsExactly(chunkKey(two, 100_005L),
                chunkKey(two, 149_005L), Long.toString(JOB));
        records.forEach((key, record) -> assertThat(record).isEqualTo(BackupRecords.of(two).get(key)));
    }

    @Test
    void aGroupWhoseChangesDoNotChainFromThePersistedStateIsComparedTabletByTablet() {
        BackupJob planned = planned(BackupScenario.generated(50, 1, 100));
        PendingTask first = BackupScenario.pendingFor(planned, 100_005L);
        PendingTask second = BackupScenario.pendingFor(planned, 149_005L);
        BackupJob one = persisted(machine.apply(planned, BackupScenario.snapshotOk(first.signature(), 100_005L,
                T0 + 1)));
        BackupJob two = persisted(machine.apply(one, BackupScenario.snapshotOk(second.signature(), 149_005L,
                T0 + 2)));

        Map<String, BackupJobRecord> records = new BackupRecordsDelta().since(planned, List.of(two));

        assertThat(records.keySet()).containsExactly(chunkKey(two, 100_005L), chunkKey(two, 149_005L),
                Long.toString(JOB));
        records.forEach((key, record) -> assertThat(record).isEqualTo(BackupRecords.of(two).get(key)));
    }

    @Test
    void theJobNamesTheAwaitedTaskOfEachTabletThroughSnapshotsAndUploads() {
        BackupJob job = planned(BackupScenario.generated(5, 1, 10));
        assertThat(job.tasks().taskOfTablet()).isEqualTo(taskOfTabletWalkingEveryTask(job));
        for (PendingTask task : BackupScenario.pending(job, AgentWork.Kind.MAKE_SNAPSHOT)) {
            job = machine.apply(job, BackupScenario.snapshotOk(task.signature(), task.tabletIds().get(0), T0 + 1))
                    .job();
            assertThat(job.tasks().taskOfTablet()).isEqualTo(taskOfTabletWalkingEveryTask(job));
        }
        assertThat(job.state()).isEqualTo(BackupState.UPLOADING);
        for (PendingTask task : BackupScenario.pending(job, AgentWork.Kind.UPLOAD)) {
            job = machine.apply(job, BackupScenario.uploadOk(task, T0 + 2)).job();
            assertThat(job.tasks().taskOfTablet()).isEqualTo(taskOfTabletWalkingEveryTask(job));
        }
        assertThat(job.tasks().taskOfTablet()).isEmpty();
    }

    private static Map<Long, Long> taskOfTabletWalkingEveryTask(BackupJob job) {
        Map<Long, Long> expected = new java.util.HashMap<>();
        job.pendingTasks().values().forEach(t -> t.tabletIds().forEach(id -> expected.put(id, t.signature())));
        return expected;
    }

    @Test
    void planningWritesEveryChunkAndTheMetaWithTheHeaderLast() {
        BackupJob created = BackupScenario.job();
        BackupJob planned = planned(BackupScenario.generated(50, 1, 100));

        Map<String, BackupJobRecord> records = new BackupRecordsDelta().since(created, planned);

        assertThat(new ArrayList<>(records.keySet())).isEqualTo(new ArrayList<>(BackupRecords.of(planned).keySet()));
        assertThat(records.keySet()).contains(JOB + "/tablets/0", JOB + "/tablets/4", JOB + "/meta/0");
        assertThat(new ArrayList<>(records.keySet()).get(records.size() - 1)).isEqualTo(Long.toString(JOB));
    }

    @Test
    void aDroppedTableRewritesEveryChunkAndTombstonesTheChunksPastTheNewCount() {
        // 45 tables of 90 tablets: 4050 tablets; without one table 3960, so the last chunk(s) go.
        BackupJob planned = planned(BackupScenario.generated(45, 1, 90));
        PendingTask task = BackupScenario.pendingFor(planned, 100_000L);
        BackupJob locating = machine.apply(planned, BackupScenario.snapshotFailed(task.signature(), 72,
                "TABLET_MISSING", T0 + 1)).job();
        BackupJob pruned = persisted(machine.apply(locating, new BackupInput.TabletLocated(task.signature(), false,
                false, List.of(), T0 + 2)));
        assertThat(pruned.tablets()).hasSize(3960);

        Map<String, BackupJobRecord> records = new BackupRecordsDelta().since(planned, pruned);

        List<String> expected = new ArrayList<>(BackupRecords.of(pruned).keySet());
        int before = BackupRecords.chunkCount(4050, BackupRecords.TABLETS_PER_CHUNK);
        int after = BackupRecords.chunkCount(3960, BackupRecords.TABLETS_PER_CHUNK);
        assertThat(after).isLessThan(before);
        List<String> gone = new ArrayList<>();
        for (int n = after; n < before; n++) {
            gone.add(JOB + "/tablets/" + n);
        }
        expected.addAll(expected.size() - 1, gone);
        assertThat(new ArrayList<>(records.keySet())).containsExactlyInAnyOrderElementsOf(expected);
        gone.forEach(key -> assertThat(records.get(key)).as(key).isNull());
        assertThat(new ArrayList<>(records.keySet()).get(records.size() - 1)).isEqualTo(Long.toString(JOB));
        BackupRecords.of(pruned).forEach((key, record) -> assertThat(records.get(key)).isEqualTo(record));
    }

    @Test
    void aJobNeverPersistedOrWhoseLastPersistFailedIsWrittenInFull() {
        BackupJob planned = planned(BackupScenario.generated(50, 1, 100));

        assertThat(new BackupRecordsDelta().since(null, planned)).isEqualTo(BackupRecords.of(planned));
    }

    @Test
    void aPersistWithoutChangesToTabletsOrTasksWritesOnlyTheHeader() {
        BackupJob planned = planned(BackupScenario.generated(50, 1, 100));
        BackupJob cancelled = persisted(machine.apply(planned, new BackupInput.Cancel(T0 + 1)));

        // Cancelling forgets every task: every chunk changes.
        assertThat(new BackupRecordsDelta().since(planned, cancelled))
                .hasSize(BackupRecords.chunkCount(5000, BackupRecords.TABLETS_PER_CHUNK) + 1);
        assertThat(new BackupRecordsDelta().since(cancelled, cancelled).keySet()).containsExactly(Long.toString(JOB));
    }

    private BackupJob planned(BackupPlan plan) {
        return persisted(machine.apply(BackupScenario.job(), new BackupInput.Planned(plan, T0)));
    }

    /** The job the transition persisted. */
    static BackupJob persisted(BackupMachine.Transition transition) {
        return transition.effects().stream().filter(e -> e instanceof BackupEffect.Persist)
                .map(e -> ((BackupEffect.Persist) e).job()).reduce((a, b) -> b).orElseThrow();
    }

    private static String chunkKey(BackupJob job, long tabletId) {
        return JOB + "/tablets/" + position(job, tabletId) / BackupRecords.TABLETS_PER_CHUNK;
    }

    private static int position(BackupJob job, long tabletId) {
        List<BackupPlan.PlannedTablet> tablets = job.plan().tablets();
        for (int i = 0; i < tablets.size(); i++) {
            if (tablets.get(i).ref().getTabletId() == tabletId) {
                return i;
            }
        }
        throw new AssertionError("no tablet " + tabletId);
    }
}
