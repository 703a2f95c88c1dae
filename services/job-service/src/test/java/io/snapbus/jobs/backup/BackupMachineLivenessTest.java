package io.snapbus.jobs.backup;

import static io.snapbus.jobs.backup.BackupScenario.T0;
import static io.snapbus.jobs.backup.BackupScenario.job;
import static io.snapbus.jobs.backup.BackupScenario.pending;
import static io.snapbus.jobs.backup.BackupScenario.sentTasks;
import static io.snapbus.jobs.backup.BackupScenario.twoTables;
import static org.assertj.core.api.Assertions.assertThat;

import io.snapbus.jobs.engine.AgentWork;
import io.snapbus.jobs.engine.EventKind;
import io.snapbus.jobs.engine.PendingTask;
import io.snapbus.jobs.engine.TaskRetry;
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
            // A node's report names every task it holds.
            java.util.Map<Long, Set<Long>> byBackend = pending(t.job(), AgentWork.Kind.MAKE_SNAPSHOT).stream()
                    .collect(Collectors.groupingBy(PendingTask::backendId,
                            Collectors.mapping(PendingTask::signature, Collectors.toSet())));
            for (var report : byBackend.entrySet()) {
                t = machine.apply(t.job(), new BackupInput.TasksRunning(report.getKey(), report.getValue(), now));
            }
            t = machine.apply(t.job(), new BackupInput.Tick(now));
            assertThat(t.job().state()).isEqualTo(BackupState.SNAPSHOTING);
            assertThat(sentTasks(t)).as("nothing re-sent").isEmpty();
        }
        assertThat(t.job().pendingTasks().values()).allMatch(p -> p.attempt() == 1);
    }

    @Test
    void aReportIsKeptAndLookedAtOnlyWhenTasksComeDue() {
        BackupMachine.Transition t = machine.apply(job(), new BackupInput.Planned(twoTables(), T0));
        List<PendingTask> tasks = pending(t.job(), AgentWork.Kind.MAKE_SNAPSHOT);
        Set<Long> all = tasks.stream().map(PendingTask::signature).collect(Collectors.toSet());
        long backend = tasks.get(0).backendId();

        // A report touches no awaited task: it is the backend's newest word, nothing more.
        BackupMachine.Transition reported = machine.apply(t.job(), new BackupInput.TasksRunning(backend, all, T0 + 1));
        assertThat(reported.job().pendingTasks()).isSameAs(t.job().pendingTasks());
        assertThat(reported.effects()).isEmpty();

        // When they come due, the backend's tasks are awaited several backoffs more, the others are re-sent.
        long recheck = TaskRetry.QUEUED_RECHECK_BACKOFFS * BACKOFF;
        BackupMachine.Transition due = machine.apply(reported.job(), new BackupInput.Tick(T0 + BACKOFF));
        assertThat(due.job().pendingTasks().values()).allSatisfy(p -> {
            assertThat(p.nextRetryMs()).isEqualTo(p.backendId() == backend ? T0 + BACKOFF + recheck
                    : T0 + BACKOFF + 2 * BACKOFF);
            assertThat(p.attempt()).isEqualTo(p.backendId() == backend ? 1 : 2);
        });
        assertThat(sentTasks(due)).isNotEmpty().allSatisfy(task -> assertThat(all).contains(task.signature()))
                .extracting(AgentWork.Task::signature)
                .doesNotContainAnyElementsOf(tasks.stream().filter(p -> p.backendId() == backend)
                        .map(PendingTask::signature).toList());
    }

    @Test
    void everyResendIsAnnouncedByOneTaskRetryEventNamingTheTasks() {
        BackupMachine.Transition t = machine.apply(job(), new BackupInput.Planned(twoTables(), T0));
        List<PendingTask> tasks = pending(t.job(), AgentWork.Kind.MAKE_SNAPSHOT);
        assertThat(retryEvents(t)).as("first sends are no retries").isEmpty();

        BackupMachine.Transition due = machine.apply(t.job(), new BackupInput.Tick(T0 + BACKOFF));

        List<BackupEffect.Publish> retries = retryEvents(due);
        assertThat(retries).hasSize(1);
        String message = retries.get(0).message();
        assertThat(message).startsWith("re-sent " + tasks.size() + " tasks: ")
                .contains("MAKE_SNAPSHOT " + tasks.get(0).signature(), "attempt 2", "no result " + BACKOFF + " ms");
        long named = tasks.stream().filter(p -> message.contains(" " + p.signature() + " ")).count();
        assertThat(named).isEqualTo(Math.min(tasks.size(), TaskRetry.RETRIES_NAMED));
        if (tasks.size() > TaskRetry.RETRIES_NAMED) {
            assertThat(message).endsWith("and " + (tasks.size() - TaskRetry.RETRIES_NAMED) + " more");
        }
        // Nothing due, nothing announced.
        assertThat(retryEvents(machine.apply(due.job(), new BackupInput.Tick(T0 + BACKOFF + 1)))).isEmpty();
    }

    private static List<BackupEffect.Publish> retryEvents(BackupMachine.Transition t) {
        return t.effects().stream().filter(BackupEffect.Publish.class::isInstance).map(BackupEffect.Publish.class::cast)
                .filter(p -> p.kind() == EventKind.TASK_RETRY).toList();
    }

    @Test
    void aReportTooOldToTrustKeepsNothingAlive() {
        BackupMachine.Transition t = machine.apply(job(), new BackupInput.Planned(twoTables(), T0));
        PendingTask task = pending(t.job(), AgentWork.Kind.MAKE_SNAPSHOT).get(0);
        long recheck = TaskRetry.QUEUED_RECHECK_BACKOFFS * BACKOFF;
        t = machine.apply(t.job(), new BackupInput.TasksRunning(task.backendId(), Set.of(task.signature()), T0));
        // The node fell silent: its last word, older than the recheck, no longer counts.
        t = machine.apply(t.job(), new BackupInput.Tick(T0 + recheck + 1));
        assertThat(sentTasks(t)).extracting(AgentWork.Task::signature).contains(task.signature());
        assertThat(t.job().pendingTasks().get(task.signature()).attempt()).isEqualTo(2);
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
        long recheck = TaskRetry.QUEUED_RECHECK_BACKOFFS * BACKOFF;
        t = machine.apply(t.job(), new BackupInput.TasksRunning(task.backendId(), Set.of(task.signature()),
                T0 + BACKOFF - 1));
        t = machine.apply(t.job(), new BackupInput.Tick(T0 + BACKOFF));
        assertThat(sentTasks(t)).extracting(AgentWork.Task::signature).doesNotContain(task.signature());
        // The node's next report no longer names it (lost with a restart, or its result went astray).
        t = machine.apply(t.job(), new BackupInput.TasksRunning(task.backendId(), Set.of(), T0 + 2 * BACKOFF));
        t = machine.apply(t.job(), new BackupInput.Tick(T0 + BACKOFF + recheck - 1));
        assertThat(sentTasks(t)).extracting(AgentWork.Task::signature).doesNotContain(task.signature());
        t = machine.apply(t.job(), new BackupInput.Tick(T0 + BACKOFF + recheck));
        assertThat(sentTasks(t)).extracting(AgentWork.Task::signature).contains(task.signature());
    }
}
