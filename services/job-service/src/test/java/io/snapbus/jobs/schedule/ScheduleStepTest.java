package io.snapbus.jobs.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import io.snapbus.avro.BackupScheduleDef;
import io.snapbus.avro.CatalogRecord;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A schedule driven by a clock of the test's: fire times, WAIT and SKIP, failures, the alarm, a restart between. */
class ScheduleStepTest {
    private static final long T0 = Instant.parse("2026-12-07T01:59:00Z").toEpochMilli();
    private static final long HOUR = 3_600_000L;
    /** Every hour on the hour. */
    private static final CronSchedule HOURLY = CronSchedule.parse("0 * * * *");

    @Test
    void itFiresAtItsCronTimesFullFirstThenIncrementalAndEveryThirdFull() {
        BackupScheduleDef schedule = schedule("WAIT", "RESCHEDULE", 3);
        assertThat(ScheduleStep.tick(schedule, null, T0, HOURLY).actions()).as("before 02:00").isEmpty();

        List<String> started = new ArrayList<>();
        long now = T0 + 60_000;
        for (int run = 0; run < 4; run++, now += HOUR) {
            ScheduleStep.Outcome fired = ScheduleStep.tick(schedule, ended(schedule, true), now, HOURLY);
            ScheduleStep.Action.Start start = start(fired);
            started.add(start.label() + (start.full() ? " full" : " incremental"));
            schedule = ScheduleStep.started(fired.schedule(), 100 + run);
            assertThat(schedule.getNextRunMs()).isEqualTo(now + HOUR);
        }

        assertThat(started).containsExactly("nightly_20261207_020000 full", "nightly_20261207_030000 incremental",
                "nightly_20261207_040000 incremental", "nightly_20261207_050000 full");
    }

    @Test
    void firesAcrossARestartFromWhatTheCatalogHeldAndMissedTimesCollapseIntoOneRun() throws Exception {
        BackupScheduleDef schedule = schedule("WAIT", "RESCHEDULE", 0);
        ScheduleStep.Outcome first = ScheduleStep.tick(schedule, null, T0 + 60_000, HOURLY);
        schedule = ScheduleStep.started(first.schedule(), 100);

        // The job-service goes down for three hours; the schedule comes back from the catalog topic's record.
        BackupScheduleDef replayed = (BackupScheduleDef) CatalogRecord.fromByteBuffer(copy(new CatalogRecord(
                "backup-schedule/nightly", 7L, schedule).toByteBuffer())).getEntry();
        long later = T0 + 3 * HOUR + 5_000;
        ScheduleStep.Outcome resumed = ScheduleStep.tick(replayed, ended(replayed, true), later, HOURLY);

        assertThat(resumed.actions()).filteredOn(a -> a instanceof ScheduleStep.Action.Start).hasSize(1);
        assertThat(start(resumed).label()).as("the earliest missed time").isEqualTo("nightly_20261207_030000");
        assertThat(resumed.schedule().getNextRunMs()).isEqualTo(Instant.parse("2026-12-07T05:00:00Z")
                .toEpochMilli());
        assertThat(resumed.schedule().getLastOutcome()).isEmpty();
        assertThat(resumed.schedule().getRuns()).isEqualTo(2);
    }

    @Test
    void waitHoldsADueRunUntilThePreviousBackupEndedAndSkipDropsIt() {
        BackupScheduleDef waiting = ScheduleStep.started(ScheduleStep.tick(schedule("WAIT", "RESCHEDULE", 0), null,
                T0 + 60_000, HOURLY).schedule(), 100);
        long due = T0 + HOUR + 61_000; // 03:00:01

        ScheduleStep.Outcome held = ScheduleStep.tick(waiting, ScheduleStep.LastJob.RUNNING, due, HOURLY);
        assertThat(held.actions()).isEmpty();
        assertThat(held.changed()).isFalse();
        ScheduleStep.Outcome afterwards = ScheduleStep.tick(waiting, ended(waiting, true), due + 600_000, HOURLY);
        assertThat(start(afterwards).label()).isEqualTo("nightly_20261207_030000");

        BackupScheduleDef skipping = BackupScheduleDef.newBuilder(waiting).setOnPreviousRunning("SKIP").build();
        ScheduleStep.Outcome skipped = ScheduleStep.tick(skipping, ScheduleStep.LastJob.RUNNING, due, HOURLY);
        assertThat(skipped.actions()).singleElement().isInstanceOf(ScheduleStep.Action.Announce.class);
        assertThat(skipped.schedule().getNextRunMs()).isEqualTo(Instant.parse("2026-12-07T04:00:00Z")
                .toEpochMilli());
    }

    @Test
    void failuresRescheduleRetryOrPauseAndTheAlarmRisesAfterN() {
        BackupScheduleDef schedule = BackupScheduleDef.newBuilder(schedule("WAIT", "RESCHEDULE", 0))
                .setAlarmAfterFailures(2).build();
        long now = T0 + 60_000;
        List<String> announced = new ArrayList<>();
        for (int run = 0; run < 2; run++, now += HOUR) {
            ScheduleStep.Outcome fired = ScheduleStep.tick(schedule, ended(schedule, false), now, HOURLY);
            fired.actions().stream().filter(a -> a instanceof ScheduleStep.Action.Announce)
                    .forEach(a -> announced.add(((ScheduleStep.Action.Announce) a).state()));
            schedule = ScheduleStep.started(fired.schedule(), 100 + run);
        }
        ScheduleStep.Outcome second = ScheduleStep.tick(schedule, ended(schedule, false), now, HOURLY);
        second.actions().stream().filter(a -> a instanceof ScheduleStep.Action.Announce)
                .forEach(a -> announced.add(((ScheduleStep.Action.Announce) a).state()));

        assertThat(announced).containsExactly("FAILED", "FAILED", "ALARM");
        assertThat(second.schedule().getConsecutiveFailures()).isEqualTo(2);

        BackupScheduleDef retrying = BackupScheduleDef.newBuilder(schedule).setOnExecutionFailure("RETRY").build();
        assertThat(ScheduleStep.tick(retrying, ended(retrying, false), now + 5, HOURLY).schedule().getNextRunMs())
                .isEqualTo(now + 5 + ScheduleStep.RETRY_DELAY_MS);
        BackupScheduleDef pausing = BackupScheduleDef.newBuilder(schedule).setOnExecutionFailure("PAUSE").build();
        ScheduleStep.Outcome paused = ScheduleStep.tick(pausing, ended(pausing, false), now + HOUR, HOURLY);
        assertThat(paused.schedule().getPaused()).isTrue();
        assertThat(paused.actions()).noneMatch(a -> a instanceof ScheduleStep.Action.Start);

        ScheduleStep.Outcome recovered = ScheduleStep.tick(schedule, ended(schedule, true), now + 1, HOURLY);
        assertThat(recovered.schedule().getConsecutiveFailures()).isZero();
        assertThat(recovered.actions()).contains(new ScheduleStep.Action.ApplyRetention("daily"));
    }

    @Test
    void aCronOfFiveOrSixFieldsParsesAndAnythingElseSaysWhy() {
        assertThat(CronSchedule.parse("*/2 * * * * *").nextAfter(T0)).isEqualTo(T0 + 2_000);
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> CronSchedule.parse("every day")))
                .hasMessageContaining("Invalid cron expression 'every day': it needs 5 fields");
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> CronSchedule.parse("61 * * * *")))
                .hasMessageStartingWith("Invalid cron expression '61 * * * *'");
    }

    private static BackupScheduleDef schedule(String onPreviousRunning, String onFailure, int fullEvery) {
        return BackupScheduleDef.newBuilder().setName("nightly").setDbName("demo").setTables(List.of("orders"))
                .setRepository("backups").setCron("0 * * * *").setFullEvery(fullEvery).setRetentionPolicy("daily")
                .setOnPreviousRunning(onPreviousRunning).setOnExecutionFailure(onFailure).setAlarmAfterFailures(5)
                .setPaused(false).setCreatedAtMs(T0).setNextRunMs(HOURLY.nextAfter(T0)).build();
    }

    /** The last job as ended, or null before the first. */
    private static ScheduleStep.LastJob ended(BackupScheduleDef schedule, boolean succeeded) {
        return schedule.getLastJobId() < 0 ? null
                : new ScheduleStep.LastJob(false, succeeded, succeeded ? "" : "[COMMON_ERROR, msg: user cancelled]");
    }

    private static ScheduleStep.Action.Start start(ScheduleStep.Outcome outcome) {
        return outcome.actions().stream().filter(a -> a instanceof ScheduleStep.Action.Start)
                .map(ScheduleStep.Action.Start.class::cast).findFirst().orElseThrow(() ->
                        new AssertionError("no backup started: " + outcome.actions()));
    }

    private static ByteBuffer copy(ByteBuffer buffer) {
        ByteBuffer copy = ByteBuffer.allocate(buffer.remaining());
        copy.put(buffer).flip();
        return copy;
    }
}
