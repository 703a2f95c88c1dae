package io.snapbus.jobs.backup;

import static io.snapbus.jobs.backup.BackupScenario.MD5;
import static io.snapbus.jobs.backup.BackupScenario.T0;
import static io.snapbus.jobs.backup.BackupScenario.files;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.LongFunction;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * Drives the backup machine through many random interleavings against a tiny simulated cluster (in the spirit of
 * Kafka's RaftEventSimulationTest): results in any order, lost, duplicated, failed or for unknown signatures, time
 * jumping past backoffs, tablets going missing with random catalog answers, cancels, info upload failures, nodes
 * reporting tasks running, and debug holds set and released. After
 * every step the job's invariants must hold; the seed of a failing run is in the failure message
 * ({@code -Dsim.verbose} prints each run's end).
 */
class BackupMachineSimulationTest {
    private static final int RUNS = 500;
    private static final int MAX_ATTEMPTS = 5;
    private static final BackupSettings SETTINGS = new BackupSettings(3, 5_000, 300_000, 1_000, 8_000, MAX_ATTEMPTS);
    private static final List<BackupState> ORDER = List.of(BackupState.PENDING, BackupState.SNAPSHOTING,
            BackupState.UPLOAD_SNAPSHOT, BackupState.UPLOADING, BackupState.SAVE_META, BackupState.UPLOAD_INFO,
            BackupState.FINISHED);

    @Test
    void invariantsHoldUnderRandomInterleavingsOfResultsFailuresTicksAndCancels() {
        Map<BackupState, Integer> outcomes = new EnumMap<>(BackupState.class);
        int finishedWithDrops = 0;
        for (long seed = 1; seed <= RUNS; seed++) {
            try {
                Run run = new Run(seed);
                BackupState end = run.play();
                outcomes.merge(end, 1, Integer::sum);
                if (end == BackupState.FINISHED
                        && (!run.job.droppedTables().isEmpty() || !run.job.droppedPartitions().isEmpty())) {
                    finishedWithDrops++;
                }
                if (System.getProperty("sim.verbose") != null) {
                    System.out.println("seed " + seed + ": " + end + " " + run.job.status());
                }
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("simulation failed with seed " + seed + ": " + e.getMessage(), e);
            }
        }
        // The interleavings must reach both ends, or the test explores too little.
        assertThat(outcomes).containsKeys(BackupState.FINISHED, BackupState.CANCELLED);
        assertThat(outcomes.get(BackupState.FINISHED)).as("finished runs of %s: %s", RUNS, outcomes)
                .isGreaterThan(RUNS / 5);
        assertThat(finishedWithDrops).as("finished runs that left a dropped table or partition out").isPositive();
    }

    /** One seeded run: a job of 20 tablets over 3 backends and the cluster's answers. */
    private static final class Run {
        private final long seed;
        private final Random random;
        private final java.util.Set<BackupState> held = java.util.EnumSet.noneOf(BackupState.class);
        private final BackupMachine machine = new BackupMachine(SETTINGS, (j, state) -> held.contains(state));
        private final BackupPlan plan = BackupScenario.generated(2, 2, 5);
        private final List<LongFunction<BackupInput>> inFlight = new ArrayList<>();
        private final List<LongFunction<BackupInput>> delivered = new ArrayList<>();
        private final Map<Long, String> signatures = new HashMap<>();
        private BackupJob job = BackupScenario.job();
        private long now = T0;
        private long lastPersistedSeq = 0;
        private int finishedEvents;
        private int cancelledEvents;

        Run(long seed) {
            this.seed = seed;
            this.random = new Random(seed);
        }

        BackupState play() {
            step(() -> machine.start(job));
            step(() -> machine.apply(job, new BackupInput.Planned(plan, now)));
            for (int i = 0; i < 3_000 && !job.isDone(); i++) {
                step(this::randomInput);
            }
            // Then a well-behaved cluster: no debug hold, every answer delivered, time passing, until the job ends.
            held.clear();
            for (int i = 0; i < 5_000 && !job.isDone(); i++) {
                step(() -> inFlight.isEmpty() ? tick(2_000) : deliver(random.nextInt(inFlight.size())));
            }
            assertThat(job.isDone()).as("the job ends, seed %s", seed).isTrue();
            for (int i = 0; i < 20; i++) {
                step(this::randomInput); // nothing happens to a done job
            }
            return job.state();
        }

        private BackupMachine.Transition randomInput() {
            int dice = random.nextInt(100);
            if (dice < 55 && !inFlight.isEmpty()) {
                return deliver(random.nextInt(inFlight.size()));
            }
            if (dice < 65 && !delivered.isEmpty()) {
                return machine.apply(job, delivered.get(random.nextInt(delivered.size())).apply(now)); // duplicate
            }
            if (dice < 68) {
                long unknown = io.snapbus.contract.TaskSignatures.of(job.jobId(), 900_000 + random.nextInt(1000));
                return machine.apply(job, random.nextBoolean()
                        ? BackupScenario.snapshotOk(unknown, 100_000, now)
                        : new BackupInput.UploadFinished(unknown, 0, "OK", List.of(), Map.of(100_000L, List.of()), now));
            }
            if (dice < 69) {
                return machine.apply(job, new BackupInput.InfoUploadFailed("flaky", now));
            }
            if (dice == 69 && random.nextInt(10) == 0) {
                return machine.cancelByUser(job, now).transition();
            }
            if (dice == 70) {
                // A debug hold on a state the machine can keep a job in, or its release.
                BackupState state = ORDER.get(1 + random.nextInt(ORDER.size() - 2));
                if (!held.remove(state)) {
                    held.add(state);
                }
                return tick(random.nextInt(300));
            }
            if (dice < 74 && !job.pendingTasks().isEmpty()) {
                // A node's task report: mostly the backend the task went to, sometimes another one.
                List<PendingTask> pending = new ArrayList<>(job.pendingTasks().values());
                PendingTask task = pending.get(random.nextInt(pending.size()));
                long backend = random.nextInt(4) == 0 ? 10001 + random.nextInt(3) : task.backendId();
                return machine.apply(job, new BackupInput.TasksRunning(backend, java.util.Set.of(task.signature()),
                        now));
            }
            return tick(random.nextInt(10) == 0 ? 5_000 + random.nextInt(20_000) : random.nextInt(300));
        }

        private BackupMachine.Transition tick(long advanceMs) {
            now += advanceMs;
            return machine.apply(job, new BackupInput.Tick(now));
        }

        private BackupMachine.Transition deliver(int index) {
            LongFunction<BackupInput> answer = inFlight.remove(index);
            delivered.add(answer);
            now += random.nextInt(50);
            return machine.apply(job, answer.apply(now));
        }

        private void step(java.util.function.Supplier<BackupMachine.Transition> action) {
            BackupJob before = job;
            BackupMachine.Transition t = action.get();
            job = t.job();
            check(before, t);
            for (BackupEffect effect : t.effects()) {
                answer(effect);
            }
        }

        /** The simulated cluster: what nodes, the catalog and the repository will answer, some time later. */
        private void answer(BackupEffect effect) {
            if (effect instanceof BackupEffect.SendTasks send) {
                for (AgentWork.Batch batch : send.batches()) {
                    for (AgentWork.Task task : batch.tasks()) {
                        if (random.nextInt(10) == 0) {
                            continue; // lost
                        }
                        if (task instanceof AgentWork.Snapshot snapshot) {
                            inFlight.add(snapshotAnswer(snapshot));
                        } else if (task instanceof AgentWork.Upload upload) {
                            inFlight.add(uploadAnswer(upload));
                        }
                    }
                }
            } else if (effect instanceof BackupEffect.LocateTablet locate) {
                boolean table = random.nextInt(10) >= 2;
                boolean partition = table && random.nextInt(10) >= 2;
                List<ReplicaInfo> replicas = new ArrayList<>();
                for (int i = random.nextInt(5); i > 0; i--) {
                    replicas.add(new ReplicaInfo(random.nextInt(100), 10001 + random.nextInt(5),
                            4 + random.nextInt(3), random.nextInt(5) == 0 ? 3 : -1));
                }
                inFlight.add(at -> new BackupInput.TabletLocated(locate.signature(), table, partition, replicas, at));
            } else if (effect instanceof BackupEffect.SaveMeta) {
                inFlight.add(random.nextInt(50) == 0 ? at -> new BackupInput.MetaSaveFailed("disk full", at)
                        : at -> new BackupInput.MetaSaved("/tmp/jobs/" + seed, at));
            } else if (effect instanceof BackupEffect.UploadInfo) {
                inFlight.add(random.nextInt(4) == 0 ? at -> new BackupInput.InfoUploadFailed("503", at)
                        : at -> new BackupInput.InfoUploaded("__meta." + MD5, "__info_x." + MD5, at));
            } else if (effect instanceof BackupEffect.Publish publish) {
                if (publish.kind() == BackupEffect.JobEventKind.FINISHED) {
                    finishedEvents++;
                }
                if (publish.kind() == BackupEffect.JobEventKind.CANCELLED) {
                    cancelledEvents++;
                }
            }
        }

        private LongFunction<BackupInput> snapshotAnswer(AgentWork.Snapshot task) {
            long tablet = task.tablet().getTabletId();
            int dice = random.nextInt(100);
            if (dice < 8) {
                return at -> BackupScenario.snapshotFailed(task.signature(), 6, "IO_ERROR", at);
            }
            if (dice < 11) {
                return at -> BackupScenario.snapshotFailed(task.signature(), 72, "TABLET_MISSING", at);
            }
            if (dice == 11 && random.nextInt(5) == 0) {
                return at -> BackupScenario.snapshotFailed(task.signature(), 45, "OLAP_ERR_VERSION_ALREADY_MERGED", at);
            }
            return at -> BackupScenario.snapshotOk(task.signature(), tablet, at);
        }

        private LongFunction<BackupInput> uploadAnswer(AgentWork.Upload task) {
            int dice = random.nextInt(100);
            if (dice < 8) {
                return at -> new BackupInput.UploadFinished(task.signature(), 6, "IO_ERROR", List.of("reset"),
                        Map.of(), at);
            }
            Map<Long, List<String>> uploaded = new HashMap<>();
            task.tabletIds().forEach(id -> uploaded.put(id, files(id).stream().map(f -> f + "." + MD5).toList()));
            if (dice < 11) {
                uploaded.put(task.tabletIds().get(0), List.of("wrong." + MD5)); // files that do not match
            }
            Map<Long, Long> bytes = new HashMap<>();
            task.tabletIds().forEach(id -> bytes.put(id, 1000 + id));
            return at -> new BackupInput.UploadFinished(task.signature(), 0, "OK", List.of(), uploaded, bytes, at);
        }

        private void check(BackupJob before, BackupMachine.Transition t) {
            BackupJob after = t.job();
            SoftAssertions soft = new SoftAssertions();
            if (before.isDone()) {
                soft.assertThat(t.effects()).as("effects after %s", before.state()).isEmpty();
                soft.assertThat(after).isSameAs(before);
            }
            if (after.state() != BackupState.CANCELLED) {
                soft.assertThat(ORDER.indexOf(after.state())).as("%s -> %s", before.state(), after.state())
                        .isGreaterThanOrEqualTo(ORDER.indexOf(before.state()));
            }
            soft.assertThat(finishedEvents + cancelledEvents).as("FINISHED/CANCELLED events").isLessThanOrEqualTo(1);
            for (BackupEffect effect : t.effects()) {
                if (effect instanceof BackupEffect.Persist persist) {
                    soft.assertThat(persist.job().stateSeq()).as("persisted sequence").isGreaterThan(lastPersistedSeq);
                    lastPersistedSeq = persist.job().stateSeq();
                }
                if (effect instanceof BackupEffect.SendTasks send) {
                    send.batches().forEach(b -> b.tasks().forEach(task -> {
                        String what = b.kind() + "@" + b.backendId() + ":" + taskTablets(task);
                        String earlier = signatures.putIfAbsent(task.signature(), what);
                        soft.assertThat(earlier == null || earlier.equals(what))
                                .as("signature %s reused: %s then %s", task.signature(), earlier, what).isTrue();
                    }));
                }
            }
            for (PendingTask task : after.pendingTasks().values()) {
                soft.assertThat(task.attempt()).as("attempts").isBetween(1, MAX_ATTEMPTS);
                for (long id : task.tabletIds()) {
                    TabletProgress tablet = after.tablets().get(id);
                    soft.assertThat(tablet).as("pending task %s for a tablet of the job", task.signature()).isNotNull();
                    if (tablet != null) {
                        soft.assertThat(tablet.phase()).as("phase of tablet %s with a %s task", id, task.kind())
                                .isEqualTo(task.kind() == AgentWork.Kind.MAKE_SNAPSHOT
                                        ? TabletProgress.Phase.SNAPSHOT_PENDING : TabletProgress.Phase.SNAPSHOT_DONE);
                    }
                }
            }
            List<TabletProgress> uploadedTablets = after.tablets().values().stream()
                    .filter(tp -> tp.phase() == TabletProgress.Phase.UPLOADED).toList();
            soft.assertThat(after.counts()).as("snapshotted and uploaded counts").isEqualTo(new BackupJob.TabletCounts(
                    (int) after.tablets().values().stream()
                            .filter(tp -> tp.phase() != TabletProgress.Phase.SNAPSHOT_PENDING).count(),
                    uploadedTablets.size(), uploadedTablets.stream().mapToLong(tp -> tp.files().size()).sum(),
                    uploadedTablets.stream().mapToLong(TabletProgress::bytes).sum()));
            soft.assertThat(after.retryQueue()).as("retry queue: every awaited task at its retry time")
                    .containsExactlyInAnyOrderElementsOf(after.pendingTasks().values().stream()
                            .map(BackupJob.RetryAt::of).toList());
            if (after.state() == BackupState.SNAPSHOTING || after.state() == BackupState.UPLOADING) {
                TabletProgress.Phase waiting = after.state() == BackupState.SNAPSHOTING
                        ? TabletProgress.Phase.SNAPSHOT_PENDING : TabletProgress.Phase.SNAPSHOT_DONE;
                after.tablets().values().stream().filter(tp -> tp.phase() == waiting).forEach(tp -> soft.assertThat(
                        after.pendingTasks().values().stream().anyMatch(p -> p.tabletIds().contains(tp.tabletId())))
                        .as("tablet %s is waited for", tp.tabletId()).isTrue());
            }
            if (after.state() == BackupState.FINISHED) {
                for (BackupPlan.PlannedTablet planned : plan.tablets()) {
                    TabletProgress tablet = after.tablets().get(planned.ref().getTabletId());
                    boolean dropped = after.isDropped(planned.ref());
                    soft.assertThat(dropped ? tablet == null : tablet != null
                            && tablet.phase() == TabletProgress.Phase.UPLOADED)
                            .as("tablet %s at FINISHED (dropped: %s)", planned.ref().getTabletId(), dropped).isTrue();
                }
                soft.assertThat(after.pendingTasks()).isEmpty();
            }
            soft.assertAll();
        }

        private static String taskTablets(AgentWork.Task task) {
            if (task instanceof AgentWork.Snapshot s) {
                return "[" + s.tablet().getTabletId() + "]";
            }
            if (task instanceof AgentWork.Upload u) {
                return u.tabletIds().toString();
            }
            return "[" + ((AgentWork.Release) task).tabletId() + "]";
        }
    }
}
