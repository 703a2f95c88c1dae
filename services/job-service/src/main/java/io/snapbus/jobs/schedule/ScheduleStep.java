package io.snapbus.jobs.schedule;

import io.snapbus.avro.BackupScheduleDef;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a backup schedule does at a tick, as a function of the schedule (definition and state, as the catalog holds
 * it), how its last backup stands and the time: CockroachDB's schedule semantics (on_previous_running wait or skip,
 * on_execution_failure retry, reschedule or pause) and SLM's alarm after N failures in a row. Missed fire times (the
 * job-service was down) collapse into one run, and the next fire time is always after now.
 */
final class ScheduleStep {
    /** Delay of RETRY after a failure. */
    static final long RETRY_DELAY_MS = 60_000;
    static final String SUCCEEDED = "SUCCEEDED";
    static final String FAILED = "FAILED";
    private static final DateTimeFormatter LABEL_TIME = DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private ScheduleStep() {}

    /** How the schedule's last backup stands: running, or ended (succeeded or not, and why). */
    record LastJob(boolean running, boolean succeeded, String message) {
        static final LastJob RUNNING = new LastJob(true, false, "");
    }

    /** Something the shell does for the schedule. */
    sealed interface Action {
        /** Start a backup labelled {@code label}: full or incremental. */
        record Start(String label, boolean full) implements Action {}

        /** Apply the retention policy (after a success). */
        record ApplyRetention(String policy) implements Action {}

        /** Publish an event: {@code state} as job-events shows it, and what happened. */
        record Announce(String state, String message) implements Action {}
    }

    /** The schedule after the tick and what to do; {@code changed} when it must be written back. */
    record Outcome(BackupScheduleDef schedule, List<Action> actions, boolean changed) {}

    /**
     * One tick.
     *
     * @param last how its last backup stands; null when it has none or the job is unknown (counted as failed)
     */
    static Outcome tick(BackupScheduleDef schedule, LastJob last, long nowMs, CronSchedule cron) {
        BackupScheduleDef.Builder next = BackupScheduleDef.newBuilder(schedule);
        List<Action> actions = new ArrayList<>();
        boolean awaitingOutcome = schedule.getLastJobId() >= 0 && schedule.getLastOutcome().isEmpty();
        if (awaitingOutcome && (last == null || !last.running())) {
            if (last != null && last.succeeded()) {
                next.setLastOutcome(SUCCEEDED).setLastMessage("").setConsecutiveFailures(0);
                actions.add(new Action.Announce("SUCCEEDED", "backup " + schedule.getLastLabel() + " finished"));
                if (schedule.getRetentionPolicy() != null) {
                    actions.add(new Action.ApplyRetention(schedule.getRetentionPolicy()));
                }
            } else {
                failed(next, schedule.getLastLabel(), last == null ? "its backup job " + schedule.getLastJobId()
                        + " is unknown" : last.message(), nowMs, cron, actions);
            }
        }
        BackupScheduleDef current = next.build();
        if (current.getPaused() || nowMs < current.getNextRunMs()) {
            return new Outcome(current, actions, !current.equals(schedule));
        }
        boolean previousRunning = current.getLastJobId() >= 0 && current.getLastOutcome().isEmpty();
        if (previousRunning) {
            if ("SKIP".equals(current.getOnPreviousRunning())) {
                next.setNextRunMs(cron.nextAfter(nowMs)).setLastMessage("skipped the run due at "
                        + Instant.ofEpochMilli(current.getNextRunMs()) + ": backup " + current.getLastLabel()
                        + " still runs");
                actions.add(new Action.Announce("SKIPPED", next.getLastMessage()));
            }
            // WAIT: the run stays due and starts once the previous backup ended.
        } else {
            String label = current.getName() + "_" + LABEL_TIME.format(Instant.ofEpochMilli(current.getNextRunMs()));
            boolean full = current.getRuns() == 0 || current.getFullEvery() > 0
                    && current.getRuns() % current.getFullEvery() == 0;
            next.setRuns(current.getRuns() + 1).setLastLabel(label).setLastOutcome("").setLastMessage("")
                    .setNextRunMs(cron.nextAfter(nowMs));
            actions.add(new Action.Start(label, full));
        }
        BackupScheduleDef after = next.build();
        return new Outcome(after, actions, !after.equals(schedule));
    }

    /** The backup it just started got a job id. */
    static BackupScheduleDef started(BackupScheduleDef schedule, long jobId) {
        return BackupScheduleDef.newBuilder(schedule).setLastJobId(jobId).build();
    }

    /** The backup could not even start (a dropped table, say): a failure like any other. */
    static Outcome refused(BackupScheduleDef schedule, String why, long nowMs, CronSchedule cron) {
        BackupScheduleDef.Builder next = BackupScheduleDef.newBuilder(schedule).setLastJobId(-1);
        List<Action> actions = new ArrayList<>();
        failed(next, schedule.getLastLabel(), "not started: " + why, nowMs, cron, actions);
        return new Outcome(next.build(), actions, true);
    }

    private static void failed(BackupScheduleDef.Builder next, String label, String why, long nowMs,
            CronSchedule cron, List<Action> actions) {
        int failures = next.getConsecutiveFailures() + 1;
        next.setLastOutcome(FAILED).setLastMessage(why).setConsecutiveFailures(failures);
        actions.add(new Action.Announce("FAILED", "backup " + label + " failed (" + failures + " in a row): " + why));
        switch (next.getOnExecutionFailure()) {
            case "RETRY" -> next.setNextRunMs(nowMs + RETRY_DELAY_MS);
            case "PAUSE" -> {
                next.setPaused(true);
                actions.add(new Action.Announce("PAUSED", "paused after the failure of backup " + label));
            }
            default -> {
                // RESCHEDULE: the next fire time set when the failed backup started stays (due now if it passed).
            }
        }
        if (failures >= next.getAlarmAfterFailures()) {
            actions.add(new Action.Announce("ALARM", failures + " backups of schedule " + next.getName()
                    + " failed in a row (alarm after " + next.getAlarmAfterFailures() + "); last: " + why));
        }
    }
}
