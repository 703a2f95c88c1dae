package io.snapbus.jobs.restore;

import static io.snapbus.jobs.restore.RestoreScenario.JOB;
import static io.snapbus.jobs.restore.RestoreScenario.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.snapbus.avro.RestoreJobRecord;
import io.snapbus.jobs.engine.AgentWork;
import io.snapbus.jobs.engine.PendingTask;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * A persist writes the replica chunks that changed since the job's last acknowledged version (the plan only once),
 * and the header last; a replay of those deltas rebuilds what a full write would.
 */
class RestoreRecordsDeltaTest {
    private static final String HEADER = Long.toString(JOB);
    private final RestoreMachine machine = new RestoreMachine(RestoreSettings.defaults());
    /** 40 partitions × 2 indexes × 10 buckets × 3 replicas: 2 400 replicas. */
    private static final int CHUNKS = 2400 / RestoreRecords.REPLICAS_PER_CHUNK;
    private final RestoreScenario scenario = RestoreScenario.generated(40, 10, 3, true);

    @Test
    void planningWritesEveryReplicaChunkAndThePlanWithTheHeaderLast() {
        RestoreJob created = RestoreScenario.job();
        RestoreJob planned = persisted(machine.apply(created, scenario.planned(T0 + 1)));

        Map<String, RestoreJobRecord> records = new RestoreRecords().since(created, List.of(planned));

        assertThat(new ArrayList<>(records.keySet())).isEqualTo(new ArrayList<>(RestoreRecords.of(planned).keySet()));
        assertThat(records.keySet()).contains(JOB + "/replicas/0", JOB + "/replicas/" + (CHUNKS - 1), JOB + "/plan/0")
                .doesNotContain(JOB + "/replicas/" + CHUNKS);
        assertThat(last(records)).isEqualTo(HEADER);
    }

    @Test
    void aDownloadResultWritesOnlyTheChunksOfItsReplicasAndTheHeader() {
        RestoreJob downloading = downloading();
        PendingTask task = RestoreScenario.pending(downloading, AgentWork.Kind.DOWNLOAD).get(70);
        RestoreJob after = persisted(machine.apply(downloading, RestoreScenario.ok(downloading, task, T0 + 10)));

        Map<String, RestoreJobRecord> records = new RestoreRecords().since(downloading, List.of(after));

        Set<String> expected = new TreeSet<>();
        task.tabletIds().forEach(id -> expected.add(chunkKey(after, id)));
        expected.add(HEADER);
        assertThat(records.keySet()).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(expected.size()).isBetween(2, 3);
        assertThat(last(records)).isEqualTo(HEADER);
        Map<String, RestoreJobRecord> full = RestoreRecords.of(after);
        records.forEach((key, record) -> assertThat(record).as(key).isEqualTo(full.get(key)));
    }

    @Test
    void aGroupOfPersistedStatesWritesTheLastOneWithEveryChunkAnyOfThemChanged() {
        RestoreJob downloading = downloading();
        List<PendingTask> downloads = RestoreScenario.pending(downloading, AgentWork.Kind.DOWNLOAD);
        PendingTask first = downloads.get(0);
        PendingTask second = downloads.get(downloads.size() - 1);
        RestoreJob one = persisted(machine.apply(downloading, RestoreScenario.ok(downloading, first, T0 + 10)));
        RestoreJob two = persisted(machine.apply(one, RestoreScenario.ok(one, second, T0 + 11)));
        Set<String> expected = new TreeSet<>(List.of(HEADER));
        List.of(first, second).forEach(t -> t.tabletIds().forEach(id -> expected.add(chunkKey(two, id))));

        Map<String, RestoreJobRecord> group = new RestoreRecords().since(downloading, List.of(one, two));
        // The newest state alone does not chain from the acknowledged one: every replica and task is compared.
        Map<String, RestoreJobRecord> compared = new RestoreRecords().since(downloading, List.of(two));

        Map<String, RestoreJobRecord> full = RestoreRecords.of(two);
        for (Map<String, RestoreJobRecord> records : List.of(group, compared)) {
            assertThat(records.keySet()).containsExactlyInAnyOrderElementsOf(expected);
            assertThat(last(records)).isEqualTo(HEADER);
            records.forEach((key, record) -> assertThat(record).as(key).isEqualTo(full.get(key)));
        }
    }

    @Test
    void aPersistWithoutChangedReplicasWritesOnlyTheHeaderAndAnUnknownAcknowledgedStateEverything() {
        RestoreJob downloading = downloading();

        assertThat(new RestoreRecords().since(downloading, List.of(downloading)).keySet()).containsExactly(HEADER);
        assertThat(new RestoreRecords().since(null, List.of(downloading))).isEqualTo(RestoreRecords.of(downloading));
        RestoreJob cancelled = persisted(machine.apply(downloading, new RestoreInput.Cancel(T0 + 10)));
        // Cancelling forgets every awaited task: every chunk holding a task's bookkeeping changes.
        Set<String> everyChunk = new TreeSet<>(List.of(HEADER));
        for (int chunk = 0; chunk < CHUNKS; chunk++) {
            everyChunk.add(JOB + "/replicas/" + chunk);
        }
        assertThat(new RestoreRecords().since(downloading, List.of(cancelled)).keySet())
                .containsExactlyInAnyOrderElementsOf(everyChunk);
        RestoreJob undone = persisted(machine.apply(cancelled, new RestoreInput.CatalogUndone(T0 + 11)));
        assertThat(new RestoreRecords().since(cancelled, List.of(undone)).keySet()).containsExactly(HEADER);
    }

    /**
     * A whole restore persisted as deltas (one persist failing, so the next is written whole) replays to the
     * acknowledged state (checked after every 100th persist, the whole ones and the last); every write ends with its
     * header.
     */
    @Test
    void aJobPersistedAsDeltasReplaysLikeItsFullWritesAtEveryStep() {
        // 1 200 replicas: two chunks, about 4 500 persists.
        RestoreScenario scenario = RestoreScenario.generated(20, 10, 3, true);
        Log log = new Log();
        RestoreJob job = log.step(machine.apply(RestoreScenario.job(), scenario.planned(T0 + 1)));
        job = log.step(machine.apply(job, new RestoreInput.CatalogPrepared(T0 + 2)));
        int answered = 0;
        for (AgentWork.Kind kind : List.of(AgentWork.Kind.CREATE, AgentWork.Kind.MAKE_SNAPSHOT)) {
            for (PendingTask task : RestoreScenario.pending(job, kind)) {
                log.failNext = ++answered == 700;
                job = log.step(machine.apply(job, RestoreScenario.ok(job, task, T0 + 3)));
            }
        }
        List<PendingTask> downloads = RestoreScenario.pending(job, AgentWork.Kind.DOWNLOAD);
        job = log.step(machine.apply(job, RestoreScenario.partialDownload(job, downloads.get(5), 2, T0 + 4)));
        job = log.step(machine.apply(job, RestoreScenario.failed(downloads.get(9), T0 + 5)));
        job = log.step(machine.apply(job, new RestoreInput.Tick(T0 + 60_000)));
        for (AgentWork.Kind kind : List.of(AgentWork.Kind.DOWNLOAD, AgentWork.Kind.MOVE,
                AgentWork.Kind.CHECK_CONSISTENCY)) {
            for (PendingTask task : RestoreScenario.pending(job, kind)) {
                job = log.step(machine.apply(job, RestoreScenario.ok(job, task, T0 + 61_000)));
            }
        }
        job = log.step(machine.apply(job, new RestoreInput.CatalogCommitted(T0 + 62_000)));

        assertThat(job.state()).isEqualTo(RestoreState.FINISHED);
        assertThat(log.failed).isEqualTo(1);
        assertThat(log.writes).isGreaterThan(4000);
        assertThat(log.topic.compactedReplay()).isEqualTo(job);
        // The plan went out with the planning persist and with the full write after the failure, never otherwise.
        assertThat(log.topic.log.stream().filter(e -> e.getKey().equals(JOB + "/plan/0")).count()).isEqualTo(2);
    }

    @Test
    void aCrashBetweenTheChunksAndTheHeaderReplaysTheLastCommittedState() {
        RestoreJob downloading = downloading();
        RestoreTopic topic = new RestoreTopic();
        topic.append(RestoreRecords.of(downloading));
        PendingTask task = RestoreScenario.pending(downloading, AgentWork.Kind.DOWNLOAD).get(3);
        RestoreJob after = persisted(machine.apply(downloading, RestoreScenario.ok(downloading, task, T0 + 10)));

        Map<String, RestoreJobRecord> delta = new RestoreRecords().since(downloading, List.of(after));
        delta.remove(HEADER);
        topic.append(delta);

        assertThat(topic.replay().get(JOB)).isEqualTo(downloading);
        assertThat(topic.replay().get(JOB).replicas().get(task.tabletIds().get(0)).phase())
                .isEqualTo(ReplicaRestore.Phase.SNAPSHOTTED);
    }

    /** The job in DOWNLOADING, every DOWNLOAD awaited, as persisted. */
    private RestoreJob downloading() {
        RestoreJob job = persisted(machine.apply(RestoreScenario.job(), scenario.planned(T0 + 1)));
        job = persisted(machine.apply(job, new RestoreInput.CatalogPrepared(T0 + 2)));
        for (AgentWork.Kind kind : List.of(AgentWork.Kind.CREATE, AgentWork.Kind.MAKE_SNAPSHOT)) {
            for (PendingTask task : RestoreScenario.pending(job, kind)) {
                job = persisted(machine.apply(job, RestoreScenario.ok(job, task, T0 + 3)));
            }
        }
        assertThat(job.state()).isEqualTo(RestoreState.DOWNLOADING);
        return job;
    }

    /** The job the transition persisted. */
    static RestoreJob persisted(RestoreMachine.Transition transition) {
        return transition.effects().stream().filter(e -> e instanceof RestoreEffect.Persist)
                .map(e -> ((RestoreEffect.Persist) e).job()).reduce((a, b) -> b).orElseThrow();
    }

    private static String chunkKey(RestoreJob job, long replicaId) {
        int position = new ArrayList<>(new TreeSet<>(job.replicas().keySet())).indexOf(replicaId);
        return JOB + "/replicas/" + position / RestoreRecords.REPLICAS_PER_CHUNK;
    }

    private static String last(Map<String, RestoreJobRecord> records) {
        return new ArrayList<>(records.keySet()).get(records.size() - 1);
    }

    /**
     * What the shell's job log writes: the delta since the state the topic acknowledged, everything after a failed
     * persist (the broker took none of it).
     */
    private static final class Log {
        /** Records kept as written: thousands of appends through the wire format would dominate the test. */
        final RestoreTopic topic = new RestoreTopic(false);
        final RestoreRecords records = new RestoreRecords();
        RestoreJob acknowledged;
        boolean failNext;
        int writes;
        int failed;

        RestoreJob step(RestoreMachine.Transition transition) {
            for (RestoreEffect effect : transition.effects()) {
                if (effect instanceof RestoreEffect.Persist persist) {
                    Map<String, RestoreJobRecord> written = records.since(acknowledged, List.of(persist.job()));
                    assertThat(last(written)).isEqualTo(HEADER);
                    if (failNext) {
                        failNext = false;
                        failed++;
                        acknowledged = null;
                        continue;
                    }
                    topic.append(written);
                    writes++;
                    boolean whole = acknowledged == null;
                    acknowledged = persist.job();
                    if (whole || writes % 100 == 0 || acknowledged.isDone()) {
                        assertThat(topic.compactedReplay()).isEqualTo(acknowledged);
                    }
                }
            }
            return transition.job();
        }
    }
}
