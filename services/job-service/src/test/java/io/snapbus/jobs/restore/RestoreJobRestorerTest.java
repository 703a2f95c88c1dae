package io.snapbus.jobs.restore;

import static io.snapbus.jobs.restore.RestoreScenario.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.snapbus.jobs.engine.AgentWork;
import io.snapbus.jobs.engine.PendingTask;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A restore job written as its restore-jobs records (through Avro's wire format) and rebuilt from them equals the
 * original in every state, and goes on exactly as the original would. Not persisted, so absent from both sides here:
 * the nodes' task reports, the tasks' progress shown and the debug holds.
 */
class RestoreJobRestorerTest {
    private final RestoreMachine machine = new RestoreMachine(RestoreSettings.defaults());
    /** 12 partitions of a base index and a rollup, 10 buckets, 3 replicas: 720 replicas. */
    private final RestoreScenario scenario = RestoreScenario.generated(12, 10, 3, true);

    @Test
    void aPendingJobNotYetPlannedIsItsHeaderAlone() {
        RestoreJob created = RestoreScenario.job();

        assertThat(RestoreRecords.of(created)).containsOnlyKeys(Long.toString(RestoreScenario.JOB));
        assertThat(RestoreTopic.roundTrip(created)).isEqualTo(created);
    }

    @Test
    void aJobRestoredInEveryStateEqualsTheOriginal() {
        List<RestoreJob> states = new ArrayList<>();
        RestoreJob job = RestoreScenario.job();
        states.add(job);
        job = apply(job, scenario.planned(T0 + 1));
        assertThat(job.plan()).isNotNull();
        states.add(job);
        job = apply(job, new RestoreInput.CatalogPrepared(T0 + 2));
        assertThat(job.state()).isEqualTo(RestoreState.CREATING);
        states.add(job);
        job = finishSome(job, AgentWork.Kind.CREATE, 100, T0 + 3);
        assertThat(RestoreScenario.pending(job, AgentWork.Kind.CREATE)).isNotEmpty();
        states.add(job);
        job = finishAll(job, AgentWork.Kind.CREATE, T0 + 4);
        assertThat(job.state()).isEqualTo(RestoreState.SNAPSHOTING);
        states.add(job);
        job = finishAll(job, AgentWork.Kind.MAKE_SNAPSHOT, T0 + 5);
        assertThat(job.state()).isEqualTo(RestoreState.DOWNLOADING);
        states.add(job);

        List<PendingTask> downloads = RestoreScenario.pending(job, AgentWork.Kind.DOWNLOAD);
        assertThat(downloads.get(0).tabletIds()).hasSize(10);
        job = apply(job, RestoreScenario.ok(job, downloads.get(0), T0 + 6));
        job = apply(job, RestoreScenario.partialDownload(job, downloads.get(1), 3, T0 + 7));
        job = apply(job, RestoreScenario.failed(downloads.get(2), T0 + 8));
        PendingTask awaitingResend = job.tasks().pending().get(downloads.get(1).signature());
        assertThat(awaitingResend.status()).isEqualTo(PendingTask.Status.FAILED);
        assertThat(job.replicas().get(downloads.get(1).tabletIds().get(0)).phase())
                .isEqualTo(ReplicaRestore.Phase.DOWNLOADED);
        assertThat(job.tasks().errors()).isNotEmpty();
        states.add(job);
        RestoreJob downloading = job;

        job = apply(job, new RestoreInput.Tick(awaitingResend.nextRetryMs()));
        assertThat(job.tasks().pending()).doesNotContainKey(downloads.get(1).signature());
        states.add(job);
        job = finishAll(job, AgentWork.Kind.DOWNLOAD, T0 + 60_000);
        assertThat(job.state()).isEqualTo(RestoreState.COMMITTING);
        assertThat(job.commitStep()).isEqualTo(CommitStep.MOVING);
        states.add(job);
        job = finishAll(job, AgentWork.Kind.MOVE, T0 + 61_000);
        assertThat(job.commitStep()).isEqualTo(CommitStep.CHECKING);
        assertThat(RestoreScenario.pending(job, AgentWork.Kind.CHECK_CONSISTENCY)).isNotEmpty();
        states.add(job);
        job = finishAll(job, AgentWork.Kind.CHECK_CONSISTENCY, T0 + 62_000);
        assertThat(job.commitStep()).isEqualTo(CommitStep.SWAPPING);
        states.add(job);
        job = apply(job, new RestoreInput.CatalogCommitted(T0 + 63_000));
        assertThat(job.state()).isEqualTo(RestoreState.FINISHED);
        states.add(job);

        RestoreJob cancelled = apply(downloading, new RestoreInput.Cancel(T0 + 9));
        assertThat(cancelled.state()).isEqualTo(RestoreState.CANCELLED);
        assertThat(cancelled.catalogUndone()).isFalse();
        states.add(cancelled);
        RestoreJob undone = apply(cancelled, new RestoreInput.CatalogUndone(T0 + 10));
        assertThat(undone.catalogUndone()).isTrue();
        states.add(undone);

        for (RestoreJob original : states) {
            RestoreJob restored = RestoreTopic.roundTrip(original);
            assertThat(restored).as("%s %s", original.state(), original.commitStep()).isEqualTo(original);
            assertThat(restored.counts()).isEqualTo(original.counts());
            assertThat(restored.tasks().nextTaskSeq()).isEqualTo(original.tasks().nextTaskSeq());
        }
    }

    @Test
    void aRestoredJobGoesOnLikeTheOriginal() {
        RestoreJob job = apply(RestoreScenario.job(), scenario.planned(T0 + 1));
        job = apply(job, new RestoreInput.CatalogPrepared(T0 + 2));
        job = finishAll(job, AgentWork.Kind.CREATE, T0 + 3);
        job = finishAll(job, AgentWork.Kind.MAKE_SNAPSHOT, T0 + 4);
        PendingTask failing = RestoreScenario.pending(job, AgentWork.Kind.DOWNLOAD).get(0);
        job = apply(job, RestoreScenario.partialDownload(job, failing, 4, T0 + 5));
        RestoreJob original = job;
        RestoreJob restored = RestoreTopic.roundTrip(job);

        // A re-send after the backoff carries the six replicas not yet downloaded, under a new signature.
        RestoreInput tick = new RestoreInput.Tick(original.tasks().pending().get(failing.signature()).nextRetryMs());
        RestoreMachine.Transition fromOriginal = machine.apply(original, tick);
        RestoreMachine.Transition fromRestored = machine.apply(restored, tick);
        assertThat(fromRestored.effects()).isEqualTo(fromOriginal.effects().stream()
                .map(e -> e instanceof RestoreEffect.Persist ? new RestoreEffect.Persist(fromRestored.job()) : e)
                .toList());
        AgentWork.Download resent = (AgentWork.Download) fromRestored.effects().stream()
                .filter(e -> e instanceof RestoreEffect.SendTasks).map(e -> ((RestoreEffect.SendTasks) e).batches())
                .flatMap(List::stream).flatMap(b -> b.tasks().stream()).findFirst().orElseThrow();
        assertThat(resent.tabletIds()).hasSize(6);
        assertThat(resent.signature()).isNotEqualTo(failing.signature());

        original = fromOriginal.job();
        restored = fromRestored.job();
        for (AgentWork.Kind kind : List.of(AgentWork.Kind.DOWNLOAD, AgentWork.Kind.MOVE,
                AgentWork.Kind.CHECK_CONSISTENCY)) {
            original = finishAll(original, kind, T0 + 100_000);
            restored = finishAll(restored, kind, T0 + 100_000);
            assertThat(restored).isEqualTo(original);
        }
        assertThat(restored.commitStep()).isEqualTo(CommitStep.SWAPPING);
    }

    @Test
    void aMetadataOnlyJobAndAPlanWithoutTablesRoundTrip() {
        RestoreJob metadataOnly = apply(RestoreScenario.job(), new RestoreInput.Planned(scenario.plan,
                scenario.replicas, true, T0 + 1));
        assertThat(RestoreTopic.roundTrip(metadataOnly)).isEqualTo(metadataOnly);

        RestorePlan viewsOnly = new RestorePlan(List.of(), scenario.plan.views(), scenario.plan.odbcTables(),
                scenario.plan.resources());
        RestoreJob planned = apply(RestoreScenario.job(), new RestoreInput.Planned(viewsOnly, List.of(), false,
                T0 + 1));
        assertThat(RestoreTopic.roundTrip(planned)).isEqualTo(planned);
        RestorePlan empty = new RestorePlan(List.of(), List.of(), List.of(), List.of());
        RestoreJob nothing = apply(RestoreScenario.job(), new RestoreInput.Planned(empty, List.of(), false, T0 + 1));
        assertThat(RestoreTopic.roundTrip(nothing).plan()).isEqualTo(empty);
    }

    private RestoreJob apply(RestoreJob job, RestoreInput input) {
        return machine.apply(job, input).job();
    }

    private RestoreJob finishSome(RestoreJob job, AgentWork.Kind kind, int count, long nowMs) {
        for (PendingTask task : RestoreScenario.pending(job, kind).subList(0, count)) {
            job = apply(job, RestoreScenario.ok(job, task, nowMs));
        }
        return job;
    }

    private RestoreJob finishAll(RestoreJob job, AgentWork.Kind kind, long nowMs) {
        for (PendingTask task : RestoreScenario.pending(job, kind)) {
            job = apply(job, RestoreScenario.ok(job, task, nowMs));
        }
        return job;
    }
}
