package io.snapbus.jobs.backup;

import static io.snapbus.jobs.backup.BackupScenario.T0;
import static io.snapbus.jobs.backup.BackupScenario.finishUploads;
import static io.snapbus.jobs.backup.BackupScenario.generated;
import static io.snapbus.jobs.backup.BackupScenario.job;
import static io.snapbus.jobs.backup.BackupScenario.pending;
import static io.snapbus.jobs.backup.BackupScenario.sentTasks;
import static io.snapbus.jobs.backup.BackupScenario.snapshotOk;
import static org.assertj.core.api.Assertions.assertThat;

import io.snapbus.jobs.engine.AgentWork;
import io.snapbus.jobs.engine.PendingTask;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A job larger than the snapshot task window awaits at most the window's MAKE_SNAPSHOT tasks at once, the first tablets
 * of the plan first (each send is grouped by backend).
 */
class BackupSnapshotWindowTest {
    private static final int WINDOW = 4;
    private final BackupMachine machine = new BackupMachine(BackupSettings.defaults().withSnapshotTaskWindow(WINDOW));
    private final BackupPlan plan = generated(1, 5, 5); // 25 tablets

    @Test
    void sendsTheFirstWindowInPlanOrderThenTheNextTabletsOnceHalfOfItFinished() {
        BackupMachine.Transition t = machine.apply(job(), new BackupInput.Planned(plan, T0));

        assertThat(t.job().state()).isEqualTo(BackupState.SNAPSHOTING);
        assertThat(tabletsOf(sentTasks(t))).containsExactlyInAnyOrderElementsOf(planIds(0, 4));
        assertThat(t.job().pendingTasks()).hasSize(WINDOW);

        List<PendingTask> awaited = pending(t.job(), AgentWork.Kind.MAKE_SNAPSHOT);
        t = machine.apply(t.job(), snapshotOk(awaited.get(0).signature(), awaited.get(0).tabletIds().get(0), T0));
        assertThat(sentTasks(t)).as("3 of 4 still awaited: more than half").isEmpty();
        t = machine.apply(t.job(), snapshotOk(awaited.get(1).signature(), awaited.get(1).tabletIds().get(0), T0));
        assertThat(tabletsOf(sentTasks(t))).containsExactlyInAnyOrderElementsOf(planIds(4, 6));
        assertThat(t.job().pendingTasks()).hasSize(WINDOW);
    }

    @Test
    void everyTabletGetsOneSnapshotAndTheJobFinishesAlsoAfterAReplayMidway() {
        BackupMachine.Transition t = machine.apply(job(), new BackupInput.Planned(plan, T0));
        Set<Long> snapshotted = new HashSet<>();
        int sent = sentTasks(t).size();
        int rounds = 0;
        while (t.job().state() == BackupState.SNAPSHOTING) {
            assertThat(t.job().pendingTasks().size()).isLessThanOrEqualTo(WINDOW);
            PendingTask next = pending(t.job(), AgentWork.Kind.MAKE_SNAPSHOT).get(0);
            assertThat(snapshotted.add(next.tabletIds().get(0))).as("snapshotted once").isTrue();
            t = machine.apply(t.job(), snapshotOk(next.signature(), next.tabletIds().get(0), T0 + rounds));
            sent += (int) sentTasks(t).stream().filter(task -> task instanceof AgentWork.Snapshot).count();
            if (++rounds == 11) {
                // A restarted job-service: the job as its records hold it, tablets without a task included.
                BackupJob replayed = BackupJobRestorerTest.restore(BackupRecords.of(t.job()));
                assertThat(replayed.pendingTasks().keySet()).isEqualTo(t.job().pendingTasks().keySet());
                t = new BackupMachine.Transition(replayed, List.of());
            }
        }
        assertThat(snapshotted).containsExactlyInAnyOrderElementsOf(planIds(0, 25));
        assertThat(sent).isEqualTo(25);
        assertThat(t.job().state()).isEqualTo(BackupState.UPLOADING);
        t = finishUploads(machine, t, T0 + 100);
        assertThat(t.job().counts().uploaded()).isEqualTo(25);
    }

    @Test
    void aJobWithinTheWindowSendsEveryTaskAtPlanningAsDorisDoes() {
        BackupMachine all = new BackupMachine(BackupSettings.defaults());
        BackupMachine.Transition t = all.apply(job(), new BackupInput.Planned(plan, T0));
        assertThat(tabletsOf(sentTasks(t))).containsExactlyInAnyOrderElementsOf(planIds(0, 25));
    }

    private List<Long> planIds(int from, int to) {
        return plan.tablets().subList(from, to).stream().map(p -> p.ref().getTabletId()).toList();
    }

    private static List<Long> tabletsOf(List<AgentWork.Task> tasks) {
        List<Long> ids = new ArrayList<>();
        tasks.forEach(task -> ids.add(((AgentWork.Snapshot) task).tablet().getTabletId()));
        return ids;
    }

    @Test
    void uploadsGoOutAWindowOfTabletsAtATimeAndEveryTabletIsUploadedOnce() {
        BackupMachine.Transition t = machine.apply(job(), new BackupInput.Planned(plan, T0));
        while (t.job().state() == BackupState.SNAPSHOTING) {
            PendingTask next = pending(t.job(), AgentWork.Kind.MAKE_SNAPSHOT).get(0);
            t = machine.apply(t.job(), snapshotOk(next.signature(), next.tabletIds().get(0), T0));
        }
        assertThat(t.job().state()).isEqualTo(BackupState.UPLOADING);
        List<Long> uploaded = new ArrayList<>();
        int rounds = 0;
        while (t.job().state() == BackupState.UPLOADING) {
            assertThat(t.job().tasks().taskOfTablet().size()).as("tablets awaited").isBetween(1, WINDOW);
            PendingTask next = pending(t.job(), AgentWork.Kind.UPLOAD).get(0);
            uploaded.addAll(next.tabletIds());
            t = machine.apply(t.job(), BackupScenario.uploadOk(next, T0 + rounds));
            if (++rounds == 7) {
                // A restarted job-service resumes the window where it was.
                BackupJob replayed = BackupJobRestorerTest.restore(BackupRecords.of(t.job()));
                assertThat(replayed.pendingTasks().keySet()).isEqualTo(t.job().pendingTasks().keySet());
                t = new BackupMachine.Transition(replayed, List.of());
            }
        }
        assertThat(t.job().state()).isEqualTo(BackupState.SAVE_META);
        assertThat(uploaded).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(planIds(0, 25));
        assertThat(t.job().counts().uploaded()).isEqualTo(25);
    }
}
