package io.snapbus.jobs.backup;

import static io.snapbus.jobs.backup.BackupScenario.T0;
import static io.snapbus.jobs.backup.BackupScenario.events;
import static io.snapbus.jobs.backup.BackupScenario.finishSnapshots;
import static io.snapbus.jobs.backup.BackupScenario.finishUploads;
import static io.snapbus.jobs.backup.BackupScenario.incrementalJob;
import static io.snapbus.jobs.backup.BackupScenario.sent;
import static io.snapbus.jobs.backup.BackupScenario.twoTables;
import static org.assertj.core.api.Assertions.assertThat;

import io.snapbus.jobs.engine.AgentWork;
import java.util.List;
import org.junit.jupiter.api.Test;

/** An incremental backup: UPLOAD_SNAPSHOT first has the reusable files stored, then sends the uploads. */
class BackupMachineIncrementalTest {
    private final BackupMachine machine = new BackupMachine(BackupSettings.defaults());

    @Test
    void theUploadsWaitUntilTheReusedFilesAreStoredAndTheEventSaysWhatWasReused() {
        BackupMachine.Transition t = snapshotted();

        assertThat(t.job().state()).isEqualTo(BackupState.UPLOAD_SNAPSHOT);
        assertThat(sent(t)).as("no upload before the reused files are stored").isEmpty();
        assertThat(t.effects()).filteredOn(e -> e instanceof BackupEffect.SeedFromBase).hasSize(1);
        assertThat(t.effects()).anyMatch(e -> e instanceof BackupEffect.Persist);

        t = machine.apply(t.job(), new BackupInput.BaseSeeded(5, List.of("monday"), null, T0 + 30));

        assertThat(t.job().state()).isEqualTo(BackupState.UPLOADING);
        assertThat(sent(t)).isNotEmpty().allSatisfy(b -> assertThat(b.kind()).isEqualTo(AgentWork.Kind.UPLOAD));
        assertThat(messages(t)).contains("5 files reused from snapshot monday; the nodes upload only the rest");
        assertThat(events(t)).contains("STATE_CHANGED:UPLOAD_SNAPSHOT->UPLOADING");

        t = finishUploads(machine, t, T0 + 40);
        assertThat(t.job().state()).isEqualTo(BackupState.SAVE_META);
    }

    @Test
    void aFailedSeedingStillUploadsEverythingAndSaysWhy() {
        BackupMachine.Transition t = machine.apply(snapshotted().job(),
                new BackupInput.BaseSeeded(0, List.of(), "repository unreachable", T0 + 30));

        assertThat(t.job().state()).isEqualTo(BackupState.UPLOADING);
        assertThat(sent(t)).isNotEmpty();
        assertThat(messages(t)).contains(
                "nothing reused from earlier snapshots, every file is uploaded: repository unreachable");
    }

    @Test
    void aLostAnswerIsAskedForAgainByTheTickAfterTheRetryIntervalOnly() {
        BackupJob waiting = snapshotted().job();

        assertThat(machine.apply(waiting, new BackupInput.Tick(T0 + 1_000)).effects()).isEmpty();
        BackupMachine.Transition again = machine.apply(waiting, new BackupInput.Tick(T0 + 20 + 5_000));

        assertThat(again.effects()).filteredOn(e -> e instanceof BackupEffect.SeedFromBase).hasSize(1);
        assertThat(again.job().state()).isEqualTo(BackupState.UPLOAD_SNAPSHOT);
    }

    @Test
    void anAnswerOutsideUploadSnapshotChangesNothing() {
        BackupMachine.Transition t = machine.apply(snapshotted().job(),
                new BackupInput.BaseSeeded(0, List.of(), null, T0 + 30));
        BackupJob uploading = t.job();

        BackupMachine.Transition late = machine.apply(uploading, new BackupInput.BaseSeeded(3, List.of("x"), null,
                T0 + 31));

        assertThat(late.job()).isSameAs(uploading);
        assertThat(late.effects()).isEmpty();
    }

    @Test
    void aFullBackupAKeepOnLocalOneAndAMetadataOnlyOneReuseNothing() {
        assertThat(BackupScenario.job().reusesRepositoryFiles()).isFalse();
        assertThat(BackupScenario.localJob().reusesRepositoryFiles()).isFalse();
        assertThat(incrementalJob().reusesRepositoryFiles()).isTrue();
        BackupJob metadataOnly = BackupJob.created(incrementalJob().jobId(), new BackupRequest("m", "sales",
                "nightly", incrementalJob().request().tables(), 3_600_000L, BackupRequest.Content.METADATA_ONLY,
                incrementalJob().request().properties()), incrementalJob().repository(), T0);
        assertThat(metadataOnly.reusesRepositoryFiles()).isFalse();
    }

    private BackupMachine.Transition snapshotted() {
        BackupMachine.Transition t = machine.apply(incrementalJob(), new BackupInput.Planned(twoTables(), T0));
        return finishSnapshots(machine, t, T0 + 20);
    }

    private static List<String> messages(BackupMachine.Transition t) {
        return t.effects().stream().filter(e -> e instanceof BackupEffect.Publish)
                .map(e -> ((BackupEffect.Publish) e).message()).toList();
    }
}
