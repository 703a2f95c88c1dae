package io.snapbus.jobs.backup;

import static io.snapbus.jobs.backup.BackupScenario.T0;
import static io.snapbus.jobs.backup.BackupScenario.finishSnapshots;
import static io.snapbus.jobs.backup.BackupScenario.localJob;
import static io.snapbus.jobs.backup.BackupScenario.twoTables;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snapbus.jobs.backup.shell.JobInfoFile;
import io.snapbus.jobs.backup.shell.LocalSnapshotView;
import io.snapbus.repository.RepositoryLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the REST API answers for a local snapshot, read from real files, with the clock given explicitly. */
class LocalSnapshotViewTest {
    private static final long EXPIRY = T0 + 3_600_000L;
    private static final String INFO = RepositoryLayout.PREFIX_JOB_INFO + "2023-11-14-22-13-20";

    @TempDir
    Path dir;

    private final BackupMachine machine = new BackupMachine(BackupSettings.defaults());

    private BackupJob finished() throws Exception {
        BackupMachine.Transition t = finishSnapshots(machine, machine.apply(localJob(),
                new BackupInput.Planned(twoTables(), T0)), T0 + 1);
        Files.write(dir.resolve(RepositoryLayout.META_FILE), BackupMetaFile.bytes(t.job()));
        Files.writeString(dir.resolve(INFO), JobInfoFile.json(t.job()));
        return machine.apply(t.job(), new BackupInput.MetaSaved(dir.toString(), T0 + 2)).job();
    }

    @Test
    void untilItsExpiryALocalSnapshotAnswersItsMetaAndJobInfoAsTheFilesHoldThem() throws Exception {
        BackupJob job = finished();

        LocalSnapshotView view = LocalSnapshotView.withFiles(job, () -> EXPIRY - 1);

        assertThat(view.expired()).isFalse();
        assertThat(view.expiredAtMs()).isEqualTo(EXPIRY);
        assertThat(view.jobInfoFileName()).isEqualTo(INFO);
        assertThat(view.jobInfo().get("name").asString()).isEqualTo("snap1");
        assertThat(view.jobInfo().toString()).isEqualTo(Files.readString(dir.resolve(INFO)));
        assertThat(view.meta().get("objects")).hasSize(5);
        List<String> pathsInInfo = new java.util.ArrayList<>();
        for (String tablet : view.jobInfo().get("tablet_snapshot_path_map").propertyNames()) {
            pathsInInfo.add(tablet + "=" + view.jobInfo().get("tablet_snapshot_path_map").get(tablet).asString());
        }
        assertThat(pathsInInfo).containsExactlyInAnyOrderElementsOf(job.tablets().values().stream()
                .map(t -> t.tabletId() + "=" + t.snapshotPath()).toList());
    }

    @Test
    void anExpiredLocalSnapshotAnswersNoFilesEvenWhileTheyAreStillThere() throws Exception {
        LocalSnapshotView view = LocalSnapshotView.withFiles(finished(), () -> EXPIRY);

        assertThat(view.expired()).isTrue();
        assertThat(view.meta()).isNull();
        assertThat(view.jobInfo()).isNull();
        assertThat(Files.exists(dir.resolve(INFO))).isTrue();
    }

    @Test
    void filesDeletedByTheReleaseDuringTheReadAnswerExpiredAndFilesLostEarlierAnswerGone() throws Exception {
        BackupJob job = finished();
        Files.delete(dir.resolve(INFO));

        Iterator<Long> clock = List.of(EXPIRY - 1, EXPIRY).iterator(); // expires between the check and the read
        LocalSnapshotView view = LocalSnapshotView.withFiles(job, clock::next);
        assertThat(view.expired()).isTrue();
        assertThat(view.jobInfo()).isNull();

        assertThatThrownBy(() -> LocalSnapshotView.withFiles(job, () -> EXPIRY - 1))
                .isInstanceOfSatisfying(BackupRequestException.class,
                        e -> assertThat(e.kind()).isEqualTo(BackupRequestException.Kind.GONE))
                .hasMessageContaining("cannot be read");
    }
}
