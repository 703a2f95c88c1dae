package io.snapbus.jobs.backup;

import static io.snapbus.jobs.backup.BackupScenario.T0;
import static io.snapbus.jobs.backup.BackupScenario.job;
import static io.snapbus.jobs.backup.BackupScenario.pending;
import static io.snapbus.jobs.backup.BackupScenario.sentTasks;
import static io.snapbus.jobs.backup.BackupScenario.twoTables;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The nodes' task reports tell a slow task from a lost one. */
class BackupMachineLivenessTest {
    private static final long BACKOFF = 10_000;
    private final BackupMachine machine = new BackupMachine(new BackupSettings(10, 5_000, 300_000, BACKOFF,
            4 * BACKOFF, 3));

    @Test
    void aSnapshotItsNodeReportsRunningIsNeitherResentNorGivenUpOn() {
        BackupMachine.Transition t = machine.apply(job(), new BackupInput.Planned(twoTables(), T0));
        long now = T0;
        // Ten times the whole retry budget, with every node reporting its tasks running every 5 s.
        for (int i = 0; i < 200; i++) {
            now += 5_000;
            for (PendingTask task : pending(t.job(), AgentWork.Kind.MAKE_SNAPSHOT)) {
                t = machine.apply(t.job(), new BackupInput.TasksRunning(task.backendId(), Set.of(task.signature()),
                        now));
            }
            t = machine.apply(t.job(), new BackupInput.Tick(now));
            assertThat(t.job().state()).isEqualTo(BackupState.SNAPSHOTING);
            assertThat(sentTasks(t)).as("nothing re-sent").isEmpty();
        }
        assertThat(t.job().pendingTasks().values()).allMatch(p -> p.attempt() == 1);
    }

    @Test
    void aReportTouchesOnlyTasksDueWithinHalfTheInitialBackoff() {
        BackupMachine.Transition t = machine.apply(job(), new BackupInput.Planned(twoTables(), T0));
        List<PendingTask> tasks = pending(t.job(), AgentWork.Kind.MAKE_SNAPSHOT);
        Set<Long> all = tasks.stream().map(PendingTask::signature).collect(Collectors.toSet());
        long backend = tasks.get(0).backendId();

        // Sent at T0, due at T0 + BACKOFF: a report just after sending leaves them be, the job is the same value.
        BackupMachine.Transition early = machine.apply(t.job(), new BackupInput.TasksRunning(backend, all, T0 + 1));
        assertThat(early.job()).isSameAs(t.job());

        // Half a backoff before they are due, the report pushes each of the backend's tasks a backoff further.
        long now = T0 + BACKOFF / 2;
        BackupMachine.Transition late = machine.apply(t.job(), new BackupInput.TasksRunning(backend, all, now));
        assertThat(late.job().pendingTasks().values()).allSatisfy(p -> assertThat(p.nextRetryMs())
                .isEqualTo(p.backendId() == backend ? now + BACKOFF : T0 + BACKOFF));
        assertThat(late.job().dueTasks(T0 + BACKOFF)).allMatch(p -> p.backendId() != backend);
    }

    @Test
    void aReportFromAnotherBackendDoesNotKeepATaskAlive() {
        BackupMachine.Transition t = machine.apply(job(), new BackupInput.Planned(twoTables(), T0));
        PendingTask task = pending(t.job(), AgentWork.Kind.MAKE_SNAPSHOT).get(0);
        long other = BackupScenario.BACKENDS.stream().filter(b -> b != task.backendId()).findFirst().orElseThrow();
        t = machine.apply(t.job(), new BackupInput.TasksRunning(other, Set.of(task.signature()), T0 + BACKOFF - 1));
        t = machine.apply(t.job(), new BackupInput.Tick(T0 + BACKOFF));
        assertThat(sentTasks(t)).extracting(AgentWork.Task::signature).contains(task.signature());
        assertThat(t.job().pendingTasks().get(task.signature()).attempt()).isEqualTo(2);
    }

    @Test
    void aTaskIsResentOnceItsNodeStopsReportingIt() {
        BackupMachine.Transition t = machine.apply(job(), new BackupInput.Planned(twoTables(), T0));
        PendingTask task = pending(t.job(), AgentWork.Kind.MAKE_SNAPSHOT).get(0);
        t = machine.apply(t.job(), new BackupInput.TasksRunning(task.backendId(), Set.of(task.signature()),
                T0 + 30_000));
        t = machine.apply(t.job(), new BackupInput.Tick(T0 + 30_000 + BACKOFF - 1));
        assertThat(sentTasks(t)).extracting(AgentWork.Task::signature).doesNotContain(task.signature());
        t = machine.apply(t.job(), new BackupInput.Tick(T0 + 30_000 + BACKOFF));
        assertThat(sentTasks(t)).extracting(AgentWork.Task::signature).contains(task.signature());
    }
}
