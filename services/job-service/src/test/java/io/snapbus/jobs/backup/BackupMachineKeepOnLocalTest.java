package io.snapbus.jobs.backup;

import static io.snapbus.jobs.backup.BackupScenario.T0;
import static io.snapbus.jobs.backup.BackupScenario.events;
import static io.snapbus.jobs.backup.BackupScenario.finishSnapshots;
import static io.snapbus.jobs.backup.BackupScenario.job;
import static io.snapbus.jobs.backup.BackupScenario.localJob;
import static io.snapbus.jobs.backup.BackupScenario.pendingFor;
import static io.snapbus.jobs.backup.BackupScenario.sent;
import static io.snapbus.jobs.backup.BackupScenario.sentTasks;
import static io.snapbus.jobs.backup.BackupScenario.snapshotOk;
import static io.snapbus.jobs.backup.BackupScenario.twoTables;
import static org.assertj.core.api.Assertions.assertThat;

import io.snapbus.jobs.engine.AgentWork;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Doris's keep-on-local backups: no upload, snapshots kept on the nodes until the job's timeout, then released. */
class BackupMachineKeepOnLocalTest {
    private static final String DIR = "/work/backup/repo__-1/snap1__2023-11-14-22-13-20";
    private static final long EXPIRY = T0 + 3_600_000L;

    private final BackupMachine machine = new BackupMachine(BackupSettings.defaults());

    private BackupMachine.Transition snapshotted() {
        return finishSnapshots(machine, machine.apply(localJob(), new BackupInput.Planned(twoTables(), T0)), T0 + 1);
    }

    private BackupMachine.Transition finished() {
        BackupMachine.Transition t = machine.apply(snapshotted().job(), new BackupInput.MetaSaved(DIR, T0 + 2));
        assertThat(t.job().state()).isEqualTo(BackupState.FINISHED);
        return t;
    }

    @Test
    void keepsSnapshotsOnTheNodesForAKeepOnLocalBackup() {
        BackupMachine.Transition t = snapshotted();
        assertThat(t.job().state()).as("nothing to upload").isEqualTo(BackupState.SAVE_META);
        assertThat(sent(t)).isEmpty();
        assertThat(t.job().pendingTasks()).isEmpty();
        assertThat(events(t)).containsSubsequence("STATE_CHANGED:SNAPSHOTING->UPLOAD_SNAPSHOT",
                "STATE_CHANGED:UPLOAD_SNAPSHOT->UPLOADING", "STATE_CHANGED:UPLOADING->SAVE_META");
        assertThat(t.effects()).anyMatch(e -> e instanceof BackupEffect.SaveMeta);

        t = machine.apply(t.job(), new BackupInput.MetaSaved(DIR, T0 + 2));

        BackupJob job = t.job();
        assertThat(job.state()).isEqualTo(BackupState.FINISHED);
        assertThat(job.finishedTimeMs()).isEqualTo(T0 + 2);
        assertThat(job.localJobDir()).isEqualTo(DIR);
        assertThat(t.effects()).as("no release, no upload, the local files stay")
                .noneMatch(e -> e instanceof BackupEffect.SendTasks || e instanceof BackupEffect.UploadInfo
                        || e instanceof BackupEffect.DeleteLocalFiles);
        assertThat(t.effects()).contains(new BackupEffect.Persist(job));
        assertThat(events(t)).containsExactly("STATE_CHANGED:SAVE_META->UPLOAD_INFO", "FINISHED:UPLOAD_INFO->FINISHED");
        assertThat(job.tablets().values()).hasSize(6).allSatisfy(tablet -> {
            assertThat(tablet.phase()).isEqualTo(TabletProgress.Phase.SNAPSHOT_DONE);
            assertThat(tablet.snapshotPath()).startsWith("/snap/");
            assertThat(tablet.files()).isEqualTo(BackupScenario.files(tablet.tabletId()));
        });
        assertThat(job.holdsLocalSnapshot()).isTrue();
    }

    @Test
    void aLocalSnapshotShowsItsFilesUntilItsExpiryAndNoneFromThen() {
        BackupJob job = finished().job();

        LocalSnapshot fresh = LocalSnapshot.of(job, EXPIRY - 1).orElseThrow();
        assertThat(fresh.expired()).isFalse();
        assertThat(fresh.localJobDir()).isEqualTo(DIR);
        assertThat(fresh.expiredAtMs()).isEqualTo(EXPIRY);
        assertThat(fresh.tableCommitSeqs()).containsEntry(2L, 42L).containsEntry(6L, 46L);
        LocalSnapshot expired = LocalSnapshot.of(job, EXPIRY).orElseThrow();
        assertThat(expired.expired()).isTrue();
        assertThat(expired.localJobDir()).as("no files once expired, even before the release").isNull();
        assertThat(LocalSnapshot.of(machine.apply(job(), new BackupInput.Planned(twoTables(), T0)).job(), T0))
                .as("a job to a repository has no local snapshot").isEmpty();
        assertThat(LocalSnapshot.of(snapshotted().job(), T0 + 1)).as("nor an unfinished one").isEmpty();
    }

    @Test
    void anExpiredLocalSnapshotIsReleasedOnceExactlyItsSnapshotsAndItsLocalFiles() {
        BackupJob job = finished().job();

        BackupMachine.Transition early = machine.apply(job, new BackupInput.Tick(EXPIRY - 1));
        assertThat(early.job()).isSameAs(job);
        assertThat(early.effects()).isEmpty();

        BackupMachine.Transition t = machine.apply(job, new BackupInput.Tick(EXPIRY));

        Map<Long, String> released = new HashMap<>();
        sent(t).forEach(batch -> {
            assertThat(batch.kind()).isEqualTo(AgentWork.Kind.RELEASE_SNAPSHOT);
            batch.tasks().forEach(task -> {
                AgentWork.Release release = (AgentWork.Release) task;
                assertThat(batch.backendId()).isEqualTo(job.tablets().get(release.tabletId()).tablet().backendId());
                released.put(release.tabletId(), release.snapshotPath());
            });
        });
        Map<Long, String> kept = new HashMap<>();
        job.tablets().forEach((id, tablet) -> kept.put(id, tablet.snapshotPath()));
        assertThat(released).isEqualTo(kept);
        assertThat(sentTasks(t)).hasSize(6);
        assertThat(t.effects()).contains(new BackupEffect.DeleteLocalFiles(DIR));
        assertThat(t.job().localSnapshotReleased()).isTrue();
        assertThat(t.job().holdsLocalSnapshot()).isFalse();
        assertThat(t.job().state()).isEqualTo(BackupState.FINISHED);
        assertThat(t.job().stateSeq()).isEqualTo(job.stateSeq() + 1);
        assertThat(t.effects().indexOf(new BackupEffect.Persist(t.job())))
                .as("persisted as released after the releases, so a crash in between sends them again")
                .isGreaterThan(t.effects().indexOf(new BackupEffect.DeleteLocalFiles(DIR)));
        assertThat(events(t)).containsExactly("PROGRESS:FINISHED->FINISHED");
        assertThat(LocalSnapshot.of(t.job(), EXPIRY).orElseThrow().localJobDir()).isNull();

        BackupMachine.Transition again = machine.apply(t.job(), new BackupInput.Tick(EXPIRY + 60_000));
        assertThat(again.effects()).isEmpty();
        assertThat(again.job()).isSameAs(t.job());
    }

    @Test
    void aDoneJobForgetsItsTabletsOnceNothingOfItIsPersistedAgainButNotWhileItHoldsSnapshots() {
        BackupJob holding = finished().job();
        assertThat(holding.retired()).as("the release at expiry needs every tablet's snapshot").isSameAs(holding);

        BackupJob released = machine.apply(holding, new BackupInput.Tick(EXPIRY)).job();
        BackupJob retired = released.retired();

        assertThat(retired.tablets()).isEmpty();
        assertThat(retired.plan().tablets()).isEmpty();
        assertThat(retired.plan().metaObjects()).isEmpty();
        assertThat(retired.plan().tableCommitSeqs()).as("a local snapshot's commit sequences stay")
                .isEqualTo(released.plan().tableCommitSeqs());
        assertThat(retired.counts()).as("SHOW BACKUP's counts stay").isEqualTo(released.counts());
        assertThat(retired.counts().tablets()).isEqualTo(6);
        assertThat(retired.isRetired()).isTrue();
        assertThat(released.isRetired()).isFalse();
        assertThat(retired.retired()).isSameAs(retired);
        assertThat(List.of(retired.state(), retired.stateSeq(), retired.localJobDir(), retired.status()))
                .isEqualTo(List.of(released.state(), released.stateSeq(), released.localJobDir(), released.status()));
        BackupMachine.Transition later = machine.apply(retired, new BackupInput.Tick(EXPIRY + 60_000));
        assertThat(later.effects()).as("nothing of it is persisted again").isEmpty();

        BackupJob running = snapshotted().job();
        assertThat(running.retired()).as("an unfinished job keeps everything").isSameAs(running);
    }

    @Test
    void onlyATickReleasesAnExpiredLocalSnapshotAndAFinishedJobToARepositoryIsNeverTouched() {
        BackupJob job = finished().job();
        assertThat(machine.apply(job, new BackupInput.Cancel(EXPIRY + 1)).effects()).isEmpty();
        assertThat(machine.cancelByUser(job, EXPIRY + 1).status().ok()).isFalse();

        BackupMachine.Transition t = machine.apply(job(), new BackupInput.Planned(twoTables(), T0));
        t = BackupScenario.finishUploads(machine, finishSnapshots(machine, t, T0 + 1), T0 + 1);
        t = machine.apply(t.job(), new BackupInput.MetaSaved(DIR, T0 + 2));
        t = machine.apply(t.job(), new BackupInput.InfoUploaded("__meta.x", "__info_x.y", T0 + 3));
        assertThat(t.job().state()).isEqualTo(BackupState.FINISHED);
        assertThat(machine.apply(t.job(), new BackupInput.Tick(EXPIRY + 1)).effects()).isEmpty();
    }

    @Test
    void aCancelledLocalBackupStillReleasesItsSnapshots() {
        BackupMachine.Transition t = machine.apply(localJob(), new BackupInput.Planned(twoTables(), T0));
        t = machine.apply(t.job(), snapshotOk(pendingFor(t.job(), 101).signature(), 101, T0 + 1));

        t = machine.apply(t.job(), new BackupInput.Cancel(T0 + 2));

        assertThat(t.job().state()).isEqualTo(BackupState.CANCELLED);
        assertThat(sentTasks(t)).singleElement().isInstanceOfSatisfying(AgentWork.Release.class,
                r -> assertThat(r.tabletId()).isEqualTo(101L));
        assertThat(LocalSnapshot.of(t.job(), T0 + 3)).isEmpty();

        BackupMachine.Transition saving = snapshotted();
        BackupMachine.Transition failed = machine.apply(saving.job(), new BackupInput.MetaSaveFailed("disk full",
                T0 + 2));
        assertThat(failed.job().state()).isEqualTo(BackupState.CANCELLED);
        assertThat(sentTasks(failed)).hasSize(6);
        assertThat(machine.apply(failed.job(), new BackupInput.Tick(EXPIRY + 1)).effects()).isEmpty();
    }
}
