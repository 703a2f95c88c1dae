package io.snapbus.jobs.restore;

import static io.snapbus.jobs.restore.RestoreScenario.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.snapbus.jobs.engine.AgentWork;
import io.snapbus.jobs.engine.PendingTask;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A restore larger than its task window: each state awaits tasks for at most the window's replicas, the next half
 * window goes out once half has finished, every replica gets exactly one task of each kind, and a job replayed from
 * its records in the middle of a window sends only the rest.
 */
class RestoreTaskWindowTest {
    private static final int WINDOW = 16;
    private static final List<AgentWork.Kind> KINDS = List.of(AgentWork.Kind.CREATE, AgentWork.Kind.MAKE_SNAPSHOT,
            AgentWork.Kind.DOWNLOAD, AgentWork.Kind.MOVE, AgentWork.Kind.CHECK_CONSISTENCY);

    private final RestoreMachine machine = new RestoreMachine(RestoreSettings.defaults().withTaskWindow(WINDOW));
    /** 3 partitions of a base index and a rollup, 10 buckets, 2 replicas: 120 replicas. */
    private final RestoreScenario scenario = RestoreScenario.generated(3, 10, 2, false);

    /** Per kind, replica id to the signatures of the tasks sent for it. */
    private final Map<AgentWork.Kind, Map<Long, Set<Long>>> sent = new EnumMap<>(AgentWork.Kind.class);
    private final Set<Long> signaturesSent = new HashSet<>();
    private int mostAwaited;
    private long now = T0;

    @Test
    void everyStateAwaitsAtMostTheWindowAndEveryReplicaGetsOneTaskOfEachKind() {
        RestoreJob job = start();
        List<Integer> firstAwaited = new ArrayList<>();
        RestoreState entered = null;
        while (job.state() != RestoreState.COMMITTING || job.commitStep() != CommitStep.SWAPPING) {
            if (job.state() != entered) {
                entered = job.state();
                firstAwaited.add(job.tasks().taskOfTablet().size());
            }
            job = finishOldest(job);
        }
        job = apply(job, new RestoreInput.CatalogCommitted(now));

        assertThat(job.state()).isEqualTo(RestoreState.FINISHED);
        assertThat(mostAwaited).isEqualTo(WINDOW);
        // A state's first window is full: WINDOW replicas awaited as it is entered (DOWNLOAD: whole tasks of 10).
        assertThat(firstAwaited).allMatch(n -> n == WINDOW);
        assertEveryReplicaSentOnce(job);
    }

    @Test
    void aJobReplayedInTheMiddleOfAWindowSendsOnlyTheRest() {
        RestoreJob job = start();
        while (job.state() != RestoreState.DOWNLOADING || job.counts().downloaded() < 40) {
            job = finishOldest(job);
        }
        assertThat(job.tasks().pending()).isNotEmpty();
        RestoreJob replayed = RestoreTopic.roundTrip(job);
        assertThat(replayed).isEqualTo(job);
        assertThat(replayed.window().walked()).isZero();

        job = replayed;
        while (job.state() != RestoreState.COMMITTING || job.commitStep() != CommitStep.SWAPPING) {
            job = finishOldest(job);
        }
        assertThat(mostAwaited).isEqualTo(WINDOW);
        assertEveryReplicaSentOnce(job);
    }

    @Test
    void aJobWithinTheWindowSendsEachStateAtOnce() {
        RestoreMachine wide = new RestoreMachine(RestoreSettings.defaults());
        RestoreJob job = wide.apply(RestoreScenario.job(), scenario.planned(T0)).job();
        job = wide.apply(job, new RestoreInput.CatalogPrepared(T0)).job();

        assertThat(RestoreScenario.pending(job, AgentWork.Kind.CREATE)).hasSize(scenario.replicas.size());
    }

    private RestoreJob start() {
        RestoreJob job = apply(RestoreScenario.job(), scenario.planned(now));
        return apply(job, new RestoreInput.CatalogPrepared(now));
    }

    /** The oldest awaited task succeeds. */
    private RestoreJob finishOldest(RestoreJob job) {
        PendingTask oldest = job.tasks().pending().values().stream()
                .min(Comparator.comparingLong(PendingTask::signature)).orElseThrow();
        now += 10;
        return apply(job, RestoreScenario.ok(job, oldest, now));
    }

    private RestoreJob apply(RestoreJob job, RestoreInput input) {
        RestoreMachine.Transition t = machine.apply(job, input);
        t.effects().stream().filter(e -> e instanceof RestoreEffect.SendTasks)
                .flatMap(e -> ((RestoreEffect.SendTasks) e).batches().stream())
                .flatMap(b -> b.tasks().stream()).forEach(task -> signaturesSent.add(task.signature()));
        RestoreJob after = t.job();
        for (PendingTask task : after.tasks().pending().values()) {
            assertThat(signaturesSent).as("task %s was sent", task.signature()).contains(task.signature());
            task.tabletIds().forEach(replica -> sent.computeIfAbsent(task.kind(), k -> new HashMap<>())
                    .computeIfAbsent(replica, r -> new HashSet<>()).add(task.signature()));
        }
        int awaited = after.tasks().taskOfTablet().size();
        assertThat(awaited).isLessThanOrEqualTo(WINDOW);
        mostAwaited = Math.max(mostAwaited, awaited);
        return after;
    }

    private void assertEveryReplicaSentOnce(RestoreJob job) {
        for (AgentWork.Kind kind : KINDS) {
            Map<Long, Set<Long>> byReplica = sent.getOrDefault(kind, Map.of());
            long expected = kind == AgentWork.Kind.CHECK_CONSISTENCY
                    ? job.replicas().values().stream().filter(r -> r.expected() != null).count()
                    : job.replicas().size();
            assertThat(byReplica).as("%s", kind).hasSize((int) expected);
            assertThat(byReplica.values()).as("%s", kind).allMatch(signatures -> signatures.size() == 1);
        }
        assertThat(job.counts().checked()).isEqualTo(sent.get(AgentWork.Kind.CHECK_CONSISTENCY).size());
    }
}
