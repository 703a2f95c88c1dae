package io.snapbus.jobs.backup;

import static io.snapbus.jobs.backup.BackupScenario.T0;
import static io.snapbus.jobs.backup.BackupScenario.finishSnapshots;
import static io.snapbus.jobs.backup.BackupScenario.finishUploads;
import static io.snapbus.jobs.backup.BackupScenario.job;
import static io.snapbus.jobs.backup.BackupScenario.twoTables;
import static org.assertj.core.api.Assertions.assertThat;

import io.snapbus.avro.BackupJobRecord;
import io.snapbus.jobs.backup.shell.BackupEvents;
import io.snapbus.jobs.engine.JobRecordVersions;
import io.snapbus.jobs.engine.shell.JobCommits;
import io.snapbus.jobs.engine.shell.JobEventPublisher;
import io.snapbus.jobs.engine.shell.JobLog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What the job engine's commits keep of a done job: the retired copy, never written again. No broker is involved:
 * the log's template is absent, so any append would fail and leave the state unpersisted, which is what is checked.
 */
class RetiredJobCommitsTest {
    private final BackupMachine machine = new BackupMachine(BackupSettings.defaults());
    private final List<BackupJob> effectsRun = new ArrayList<>();
    private final JobCommits<BackupJob, BackupEffect> commits = new JobCommits<>("backup",
            new JobLog<>(null, "backup-jobs", Duration.ofSeconds(1), "backup", new BackupRecordsDelta()),
            e -> e instanceof BackupEffect.Persist persist ? persist.job() : null,
            (job, effects, current) -> effectsRun.add(job),
            new JobEventPublisher<>(null, "job-events", Duration.ofSeconds(1), new BackupEvents()),
            j -> j.state().name(), BackupJob::retired);

    private BackupJob finished() {
        BackupMachine.Transition t = machine.apply(job(), new BackupInput.Planned(twoTables(), T0));
        t = finishUploads(machine, finishSnapshots(machine, t, T0 + 1), T0 + 2);
        t = machine.apply(t.job(), new BackupInput.MetaSaved("/tmp/jobs/5001", T0 + 3));
        t = machine.apply(t.job(), new BackupInput.InfoUploaded("m", "i", T0 + 4));
        assertThat(t.job().state()).isEqualTo(BackupState.FINISHED);
        return t.job();
    }

    @Test
    void aReplayedFinishedJobIsKeptRetiredWithTheCountsShowReads() {
        BackupJob job = finished();

        commits.replayed(job);

        BackupJob kept = commits.current(job.jobId());
        assertThat(kept.tablets()).isEmpty();
        assertThat(kept.isRetired()).isTrue();
        assertThat(kept.counts()).isEqualTo(job.counts());
        assertThat(kept.counts().tablets()).isEqualTo(6);
        assertThat(commits.shown(job.jobId())).containsSame(kept);
        assertThat(new BackupEvents().progress(kept)).as("the events' progress of the retired job")
                .isEqualTo(new BackupEvents().progress(job));
    }

    @Test
    void aRetiredJobsStateThatAsksToBePersistedIsRefusedAndNothingOfItRuns() {
        BackupJob job = finished();
        commits.replayed(job);
        BackupJob kept = commits.current(job.jobId());
        BackupJob later = kept.toBuilder().lastInfoAttemptMs(T0 + 9).build(true);

        commits.commit(List.of(new JobCommits.Step<>(later, List.of(new BackupEffect.Persist(later)))));

        assertThat(commits.current(job.jobId())).as("the refused state is not taken").isSameAs(kept);
        assertThat(commits.unpersistedSince(job.jobId(), "backup-jobs")).as("nor queued for a later append")
                .isEmpty();
        assertThat(effectsRun).isEmpty();
    }

    @Test
    void aReplayKeepsEachDoneJobRetiredAsSoonAsItIsRebuilt() {
        BackupJob job = finished();
        JobRecordVersions<BackupJobRecord, BackupJob> versions = BackupRecordVersions.versions();
        BackupRecords.of(job).forEach(versions::accept);

        BackupJob whole = versions.jobs().get(job.jobId());
        BackupJob kept = versions.jobs(BackupJob::retired).get(job.jobId());

        assertThat(whole.tablets()).hasSize(6);
        assertThat(kept.tablets()).isEmpty();
        assertThat(kept.counts()).isEqualTo(whole.counts());
        assertThat(kept.stateSeq()).isEqualTo(whole.stateSeq());
    }

    @Test
    void anUnfinishedJobIsKeptWhole() {
        BackupJob running = machine.apply(job(), new BackupInput.Planned(twoTables(), T0)).job();

        commits.replayed(running);

        assertThat(commits.current(running.jobId())).isSameAs(running);
    }
}
