package io.snapbus.jobs.backup;

import static io.snapbus.jobs.backup.BackupScenario.T0;
import static io.snapbus.jobs.backup.BackupScenario.finishSnapshots;
import static io.snapbus.jobs.backup.BackupScenario.finishUploads;
import static io.snapbus.jobs.backup.BackupScenario.job;
import static io.snapbus.jobs.backup.BackupScenario.sentTasks;
import static io.snapbus.jobs.backup.BackupScenario.twoTables;
import static org.assertj.core.api.Assertions.assertThat;

import io.snapbus.jobs.engine.DebugHolds;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Debug holds, given to the job as an input, keep it in a state it could leave, and the job moves on by itself once
 * an input takes them away.
 */
class BackupMachineHoldTest {
    private final BackupMachine machine = new BackupMachine(BackupSettings.defaults());

    private static BackupInput.HoldsChanged holding(BackupState state, long now) {
        return new BackupInput.HoldsChanged(new DebugHolds<>(Set.of(state), Set.of()), now);
    }

    private static BackupInput.HoldsChanged released(long now) {
        return new BackupInput.HoldsChanged(DebugHolds.none(), now);
    }

    private BackupJob heldJob(BackupState state) {
        return machine.apply(job(), holding(state, T0)).job();
    }

    /** Runs a held job as far as it goes by itself (every task answered OK), ticking once after each step. */
    private BackupMachine.Transition runAsFarAsItGoes(BackupJob held, long now) {
        BackupMachine.Transition t = machine.apply(held, new BackupInput.Planned(twoTables(), now));
        for (int round = 0; round < 4; round++) {
            t = finishUploads(machine, finishSnapshots(machine, t, now), now);
            if (t.effects().stream().anyMatch(BackupEffect.SaveMeta.class::isInstance)) {
                t = machine.apply(t.job(), new BackupInput.MetaSaved("/tmp/jobs/5001", now));
            }
            if (t.effects().stream().anyMatch(BackupEffect.UploadInfo.class::isInstance)) {
                t = machine.apply(t.job(), new BackupInput.InfoUploaded("__meta.x", "__info_x.y", now));
            }
            if (t.job().isDone()) {
                return t;
            }
            t = machine.apply(t.job(), new BackupInput.Tick(now += 60_000));
        }
        return t;
    }

    @ParameterizedTest
    @EnumSource(value = BackupState.class, names = {"SNAPSHOTING", "UPLOAD_SNAPSHOT", "UPLOADING", "SAVE_META",
            "UPLOAD_INFO"})
    void aHeldJobStaysInItsStateAndFinishesOnceTheHoldIsGone(BackupState state) {
        BackupMachine.Transition t = runAsFarAsItGoes(heldJob(state), T0);
        assertThat(t.job().state()).isEqualTo(state);
        assertThat(t.job().pendingTasks()).as("nothing is awaited while held").isEmpty();
        BackupMachine.Transition ticked = machine.apply(t.job(), new BackupInput.Tick(T0 + 600_000));
        assertThat(ticked.job().state()).as("still held").isEqualTo(state);

        BackupJob unheld = machine.apply(t.job(), released(T0 + 650_000)).job();
        assertThat(unheld.state()).as("the input alone moves nothing").isEqualTo(state);
        BackupMachine.Transition released = machine.apply(unheld, new BackupInput.Tick(T0 + 700_000));
        boolean savesOrUploadsInfo = released.effects().stream().anyMatch(e -> e instanceof BackupEffect.SaveMeta
                || e instanceof BackupEffect.UploadInfo);
        assertThat(released.job().state() != state || savesOrUploadsInfo).as("moves on at the first tick: %s",
                released.effects()).isTrue();
        t = released;
        for (int round = 0; round < 3 && !t.job().isDone(); round++) {
            t = finishUploads(machine, t, T0 + 700_000);
            if (t.effects().stream().anyMatch(BackupEffect.SaveMeta.class::isInstance)) {
                t = machine.apply(t.job(), new BackupInput.MetaSaved("/tmp/jobs/5001", T0 + 700_000));
            }
            if (t.effects().stream().anyMatch(BackupEffect.UploadInfo.class::isInstance)) {
                t = machine.apply(t.job(), new BackupInput.InfoUploaded("__meta.x", "__info_x.y", T0 + 700_000));
            }
        }
        assertThat(t.job().state()).isEqualTo(BackupState.FINISHED);
        assertThat(t.job().tablets().values()).allMatch(p -> p.phase() == TabletProgress.Phase.UPLOADED);
    }

    @Test
    void aJobHeldInUploadSnapshotIsPersistedThereWithoutSendingUploads() {
        BackupMachine.Transition t = finishSnapshots(machine,
                machine.apply(heldJob(BackupState.UPLOAD_SNAPSHOT), new BackupInput.Planned(twoTables(), T0)), T0);
        assertThat(t.job().state()).isEqualTo(BackupState.UPLOAD_SNAPSHOT);
        assertThat(sentTasks(t)).isEmpty();
        assertThat(t.effects()).contains(new BackupEffect.Persist(t.job()));

        BackupMachine.Transition released = machine.apply(machine.apply(t.job(), released(T0 + 1)).job(),
                new BackupInput.Tick(T0 + 1));
        assertThat(released.job().state()).isEqualTo(BackupState.UPLOADING);
        assertThat(sentTasks(released)).hasSize(released.job().pendingTasks().size()).isNotEmpty();
    }

    @Test
    void snapshotTasksWithheldByADebugPointGoOutAsResendsOnceItIsGone() {
        BackupJob withholding = machine.apply(job(), new BackupInput.HoldsChanged(
                new DebugHolds<>(Set.of(), Set.of(BackupState.SNAPSHOTING)), T0)).job();
        BackupMachine.Transition t = machine.apply(withholding, new BackupInput.Planned(twoTables(), T0));
        assertThat(t.job().state()).isEqualTo(BackupState.SNAPSHOTING);
        assertThat(t.job().pendingTasks()).hasSize(6);
        assertThat(sentTasks(t)).as("nothing sent while withheld").isEmpty();
        assertThat(sentTasks(machine.apply(t.job(), new BackupInput.Tick(T0 + 600_000)))).isEmpty();

        BackupMachine.Transition released = machine.apply(machine.apply(t.job(), released(T0 + 600_000)).job(),
                new BackupInput.Tick(T0 + 600_000));

        assertThat(sentTasks(released)).hasSize(6);
        assertThat(released.job().pendingTasks().keySet()).as("the same signatures")
                .isEqualTo(t.job().pendingTasks().keySet());
    }

    @Test
    void planningWaitsWhilePendingIsHeld() {
        BackupJob held = heldJob(BackupState.PENDING);
        assertThat(machine.holdsPending(held)).isTrue();
        assertThat(machine.holdsPending(machine.apply(held, released(T0 + 1)).job())).isFalse();
        assertThat(machine.holdsPending(job())).isFalse();
    }
}
