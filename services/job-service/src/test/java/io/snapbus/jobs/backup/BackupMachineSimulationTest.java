package io.snapbus.jobs.backup;

import static io.snapbus.jobs.backup.BackupScenario.MD5;
import static io.snapbus.jobs.backup.BackupScenario.T0;
import static io.snapbus.jobs.backup.BackupScenario.files;
import static org.assertj.core.api.Assertions.assertThat;

import io.snapbus.avro.BackupJobRecord;
import io.snapbus.contract.TaskSignatures;
import io.snapbus.jobs.engine.AgentWork;
import io.snapbus.jobs.engine.DebugHolds;
import io.snapbus.jobs.engine.EventKind;
import io.snapbus.jobs.engine.PendingTask;
import io.snapbus.jobs.engine.RetryAt;
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
 * reporting tasks running, and debug holds set and released. The shell's rule is played too, against a simulated
 * backup-jobs log: a state's effects run only once its append was acknowledged; appends fail (some leaving their
 * chunks without the header), and the coordinator crashes (its memory, its waiting effects and its local work lost;
 * the job restored from the log as a replay does, then resumed). After every step the job's invariants must hold:
 * nothing is sent for an unpersisted state, no tablet a persisted state has done is done again, a persisted terminal
 * state never changes. The seed of a failing run is in the failure message ({@code -Dsim.verbose} prints each
 * run's end).
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
        int crashes = 0;
        int refusedAppends = 0;
        for (long seed = 1; seed <= RUNS; seed++) {
            try {
                Run run = new Run(seed);
                BackupState end = run.play();
                outcomes.merge(end, 1, Integer::sum);
                if (end == BackupState.FINISHED
                        && (!run.job.droppedTables().isEmpty() || !run.job.droppedPartitions().isEmpty())) {
                    finishedWithDrops++;
                }
                crashes += run.crashes;
                refusedAppends += run.refusedAppends;
                if (System.getProperty("sim.verbose") != null) {
                    System.out.println("seed " + seed + ": " + end + " " + run.job.status() + ", " + run.crashes
                            + " crashes, " + run.refusedAppends + " refused appends");
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
        System.out.printf("%d runs: %s, %d crashes, %d refused appends%n", RUNS, outcomes, crashes, refusedAppends);
        assertThat(crashes).as("coordinator crashes over all runs").isGreaterThan(RUNS / 2);
        assertThat(refusedAppends).as("refused appends over all runs").isGreaterThan(RUNS / 2);
    }

    /** One seeded run: a job of 20 tablets over 3 backends and the cluster's answers. */
    private static final class Run {
        private final long seed;
        private final Random random;
        private final java.util.Set<BackupState> held = java.util.EnumSet.noneOf(BackupState.class);
        private final BackupMachine machine;
        private final int snapshotWindow;
        private final BackupPlan plan = BackupScenario.generated(2, 2, 5);
        /** Answers on their way: from the cluster (they survive a crash, as task-results does) or local. */
        private final List<Answer> inFlight = new ArrayList<>();
        private final List<LongFunction<BackupInput>> delivered = new ArrayList<>();
        private final Map<Long, String> signatures = new HashMap<>();
        private BackupJob job;
        private long now = T0;
        private long lastPersistedSeq = 0;
        private int finishedEvents;
        private int cancelledEvents;
        /** Whether the coordinator may crash and appends fail (not in the well-behaved end of a run). */
        private boolean faults = true;
        private int crashes;
        private int refusedAppends;
        /** The simulated backup-jobs log, in order (a null value is a tombstone). */
        private final List<Map.Entry<String, BackupJobRecord>> log = new ArrayList<>();
        private BackupRecordsDelta delta = new BackupRecordsDelta();
        /** The job as the log last acknowledged it (null: the next append writes it in full). */
        private BackupJob acknowledged;
        /** The newest state not acknowledged yet, and the transitions whose effects wait for it. */
        private BackupJob waiting;
        private final List<BackupMachine.Transition> waitingTransitions = new ArrayList<>();
        /** Tablets a persisted state snapshotted / uploaded: never to be snapshotted / uploaded again. */
        private final java.util.Set<Long> persistedSnapshotted = new java.util.HashSet<>();
        private final java.util.Set<Long> persistedUploaded = new java.util.HashSet<>();
        private BackupState persistedTerminal;
        /** The job the last crash restored. */
        private BackupJob restored;

        /** An answer some time later; a local one (meta files, repository, catalog) is lost with the coordinator. */
        private record Answer(LongFunction<BackupInput> input, boolean local) {}

        Run(long seed) {
            this.seed = seed;
            this.random = new Random(seed);
            // Every other run incremental: UPLOAD_SNAPSHOT first waits for the reused files to be stored.
            this.job = seed % 2 == 0 ? BackupScenario.incrementalJob() : BackupScenario.job();
            // Every third run awaits at most 6 of its 20 MAKE_SNAPSHOT tasks at once.
            this.snapshotWindow = seed % 3 == 0 ? 6 : SETTINGS.snapshotTaskWindow();
            this.machine = new BackupMachine(SETTINGS.withSnapshotTaskWindow(snapshotWindow));
        }

        BackupState play() {
            step(() -> machine.start(job));
            step(() -> machine.apply(job, new BackupInput.Planned(plan, now)));
            for (int i = 0; i < 3_000 && !job.isDone(); i++) {
                step(this::randomInput);
            }
            // Then a well-behaved cluster: no debug hold, no fault, every answer delivered, time passing, until the
            // job ends.
            held.clear();
            step(() -> machine.apply(job, new BackupInput.HoldsChanged(DebugHolds.none(), now)));
            faults = false;
            if (waiting != null) {
                commit(null); // the log takes the waiting state at last
            }
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
                long unknown = TaskSignatures.of(job.jobId(), 900_000 + random.nextInt(1000));
                return machine.apply(job, random.nextBoolean()
                        ? BackupScenario.snapshotOk(unknown, 100_000, now)
                        : new BackupInput.UploadFinished(unknown, 0, "OK", List.of(), Map.of(100_000L, List.of()), now));
            }
            if (dice < 69) {
                return machine.apply(job, new BackupInput.InfoUploadFailed("flaky", now));
            }
            if (dice == 75 && random.nextInt(3) == 0) {
                return crash();
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
                return machine.apply(job, new BackupInput.HoldsChanged(new DebugHolds<>(held, java.util.Set.of()),
                        now));
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
            if (waiting != null) {
                // The shell's tick only tries the log again for a job whose state waits: no timer of it runs.
                return new BackupMachine.Transition(job, List.of());
            }
            return machine.apply(job, new BackupInput.Tick(now));
        }

        private BackupMachine.Transition deliver(int index) {
            LongFunction<BackupInput> answer = inFlight.remove(index).input();
            delivered.add(answer);
            now += random.nextInt(50);
            return machine.apply(job, answer.apply(now));
        }

        private void step(java.util.function.Supplier<BackupMachine.Transition> action) {
            BackupJob before = job;
            int crashesBefore = crashes;
            BackupMachine.Transition t = action.get();
            if (crashes != crashesBefore) {
                before = restored; // what the new coordinator started from
            }
            job = t.job();
            check(before, t);
            commit(t);
        }

        /**
         * The shell's rule: the newest persisted state is appended first; only once the log took it do the waiting
         * transitions' effects run. A refused append keeps everything waiting for the next try.
         */
        private void commit(BackupMachine.Transition t) {
            if (t != null) {
                waitingTransitions.add(t);
                t.effects().stream().filter(BackupEffect.Persist.class::isInstance)
                        .forEach(e -> waiting = ((BackupEffect.Persist) e).job());
            }
            if (waiting != null) {
                if (faults && random.nextInt(25) == 0) {
                    refuse(waiting);
                    return;
                }
                append(waiting);
                waiting = null;
                if (faults && random.nextInt(150) == 0) {
                    crash(); // after the append, before any effect ran
                    return;
                }
            }
            List<BackupMachine.Transition> ready = List.copyOf(waitingTransitions);
            waitingTransitions.clear();
            for (BackupMachine.Transition transition : ready) {
                for (BackupEffect effect : transition.effects()) {
                    answer(effect instanceof BackupEffect.SendTasks send
                            ? new BackupEffect.SendTasks(send.stillAwaitedBy(job)) : effect);
                }
            }
        }

        private void append(BackupJob state) {
            Map<String, BackupJobRecord> records = delta.since(acknowledged, state);
            String header = BackupRecords.headerKey(state.jobId());
            BackupJobRecord headerRecord = records.remove(header);
            records.forEach((key, value) -> log.add(new java.util.AbstractMap.SimpleEntry<>(key, value)));
            log.add(new java.util.AbstractMap.SimpleEntry<>(header, headerRecord));
            acknowledged = state.isDone() ? null : state;
            if (persistedTerminal != null) {
                throw new AssertionError("state " + state.state() + " persisted after terminal " + persistedTerminal);
            }
            if (state.isDone()) {
                persistedTerminal = state.state();
            }
            state.tablets().values().forEach(tablet -> {
                if (tablet.phase() != TabletProgress.Phase.SNAPSHOT_PENDING) {
                    persistedSnapshotted.add(tablet.tabletId());
                }
                if (tablet.phase() == TabletProgress.Phase.UPLOADED) {
                    persistedUploaded.add(tablet.tabletId());
                }
            });
        }

        /** A refused append; sometimes its chunks reached the log and only the header did not. */
        private void refuse(BackupJob state) {
            refusedAppends++;
            if (random.nextBoolean()) {
                Map<String, BackupJobRecord> records = delta.since(acknowledged, state);
                records.remove(BackupRecords.headerKey(state.jobId()));
                records.entrySet().stream().limit(random.nextInt(records.size() + 1))
                        .forEach(e -> log.add(new java.util.AbstractMap.SimpleEntry<>(e.getKey(), e.getValue())));
            }
            acknowledged = null; // the log may hold anything of it now: the next append writes it in full
        }

        /**
         * The coordinator dies: its memory, waiting effects and local work are gone. A new one replays the log and
         * resumes the job as BackupService does; the cluster's answers still arrive.
         */
        private BackupMachine.Transition crash() {
            crashes++;
            held.clear(); // the holds are lost with the coordinator's memory, as a restarted job-service has none
            BackupRecordVersions versions = new BackupRecordVersions();
            log.forEach(e -> versions.accept(e.getKey(), e.getValue()));
            restored = versions.jobs().get(job.jobId());
            assertThat(restored).as("a job whose creation was persisted is in the log").isNotNull();
            waiting = null;
            waitingTransitions.clear();
            inFlight.removeIf(Answer::local);
            delta = new BackupRecordsDelta();
            acknowledged = restored.isDone() ? null : restored;
            lastPersistedSeq = restored.stateSeq();
            job = restored;
            if (restored.isDone()) {
                return new BackupMachine.Transition(restored, List.of());
            }
            switch (restored.state()) {
                case PENDING -> {
                    return machine.holdsPending(restored) ? new BackupMachine.Transition(restored, List.of())
                            : machine.apply(restored, new BackupInput.Planned(plan, now));
                }
                case UPLOAD_SNAPSHOT -> {
                    if (restored.reusesRepositoryFiles()) {
                        answer(new BackupEffect.SeedFromBase(restored));
                    }
                }
                case SAVE_META -> answer(new BackupEffect.SaveMeta(restored));
                case UPLOAD_INFO -> answer(new BackupEffect.UploadInfo(restored));
                default -> { }
            }
            return new BackupMachine.Transition(restored, List.of());
        }

        /** The simulated cluster: what nodes, the catalog and the repository will answer, some time later. */
        private void answer(BackupEffect effect) {
            if (effect instanceof BackupEffect.SendTasks send) {
                for (AgentWork.Batch batch : send.batches()) {
                    for (AgentWork.Task task : batch.tasks()) {
                        // A signature that went out always names the same work, also across crashes.
                        String what = batch.kind() + "@" + batch.backendId() + ":" + taskTablets(task);
                        String earlier = signatures.putIfAbsent(task.signature(), what);
                        assertThat(earlier == null || earlier.equals(what))
                                .as("signature %s reused: %s then %s", task.signature(), earlier, what).isTrue();
                        if (random.nextInt(10) == 0) {
                            continue; // lost
                        }
                        if (task instanceof AgentWork.Snapshot snapshot) {
                            assertThat(persistedSnapshotted).as("snapshot of a tablet a persisted state snapshotted: %s"
                                    + " crashes %s, job %s seq %s tablet %s, signature %s", snapshot.tablet().getTabletId(),
                                    crashes, job.state(), job.stateSeq(), job.tablets().get(snapshot.tablet().getTabletId()),
                                    snapshot.signature())
                                    .doesNotContain(snapshot.tablet().getTabletId());
                            inFlight.add(new Answer(snapshotAnswer(snapshot), false));
                        } else if (task instanceof AgentWork.Upload upload) {
                            assertThat(persistedUploaded).as("upload of a tablet a persisted state uploaded")
                                    .doesNotContainAnyElementsOf(upload.tabletIds());
                            inFlight.add(new Answer(uploadAnswer(upload), false));
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
                inFlight.add(new Answer(at -> new BackupInput.TabletLocated(locate.signature(), table, partition,
                        replicas, at), true));
            } else if (effect instanceof BackupEffect.SeedFromBase) {
                int dice = random.nextInt(10);
                if (dice > 0) { // else lost: the tick asks again
                    inFlight.add(new Answer(dice == 1 ? at -> new BackupInput.BaseSeeded(0, List.of(), "503", at)
                            : at -> new BackupInput.BaseSeeded(dice, List.of("monday"), null, at), true));
                }
            } else if (effect instanceof BackupEffect.SaveMeta) {
                inFlight.add(new Answer(random.nextInt(50) == 0 ? at -> new BackupInput.MetaSaveFailed("disk full", at)
                        : at -> new BackupInput.MetaSaved("/tmp/jobs/" + seed, at), true));
            } else if (effect instanceof BackupEffect.UploadInfo) {
                inFlight.add(new Answer(random.nextInt(4) == 0 ? at -> new BackupInput.InfoUploadFailed("503", at)
                        : at -> new BackupInput.InfoUploaded("__meta." + MD5, "__info_x." + MD5, at), true));
            } else if (effect instanceof BackupEffect.Publish publish) {
                if (publish.kind() == EventKind.FINISHED) {
                    finishedEvents++;
                }
                if (publish.kind() == EventKind.CANCELLED) {
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
            soft.assertThat(after.counts()).as("tablet, snapshotted and uploaded counts").isEqualTo(
                    new BackupJob.TabletCounts(after.tablets().size(), (int) after.tablets().values().stream()
                            .filter(tp -> tp.phase() != TabletProgress.Phase.SNAPSHOT_PENDING).count(),
                    uploadedTablets.size(), uploadedTablets.stream().mapToLong(tp -> tp.files().size()).sum(),
                    uploadedTablets.stream().mapToLong(TabletProgress::bytes).sum()));
            soft.assertThat(after.tasks().retryQueue()).as("retry queue: every awaited task at its retry time")
                    .containsExactlyInAnyOrderElementsOf(after.pendingTasks().values().stream()
                            .map(RetryAt::of).toList());
            // Every tablet still to be snapshotted or uploaded is waited for, except that tablets beyond the task
            // window wait for a task while more than half the window's are awaited (tasks in SNAPSHOTING, tablets
            // in UPLOADING).
            boolean windowFull = (after.state() == BackupState.SNAPSHOTING
                    && after.pendingTasks().size() > snapshotWindow / 2)
                    || (after.state() == BackupState.UPLOADING
                    && after.tasks().taskOfTablet().size() > snapshotWindow / 2);
            if ((after.state() == BackupState.SNAPSHOTING || after.state() == BackupState.UPLOADING)
                    && !windowFull) {
                TabletProgress.Phase waiting = after.state() == BackupState.SNAPSHOTING
                        ? TabletProgress.Phase.SNAPSHOT_PENDING : TabletProgress.Phase.SNAPSHOT_DONE;
                after.tablets().values().stream().filter(tp -> tp.phase() == waiting).forEach(tp -> soft.assertThat(
                        after.pendingTasks().values().stream().anyMatch(p -> p.tabletIds().contains(tp.tabletId())))
                        .as("tablet %s is waited for", tp.tabletId()).isTrue());
            }
            soft.assertThat(after.pendingTasks().size()).as("awaited tasks within the snapshot window")
                    .isLessThanOrEqualTo(after.state() == BackupState.SNAPSHOTING ? snapshotWindow
                            : Integer.MAX_VALUE);
            soft.assertThat(after.tasks().taskOfTablet().size()).as("tablets awaited within the upload window")
                    .isLessThanOrEqualTo(after.state() == BackupState.UPLOADING ? snapshotWindow : Integer.MAX_VALUE);
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
