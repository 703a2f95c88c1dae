package io.snapbus.client;

import io.snapbus.api.Dropped;
import io.snapbus.api.schedule.CreateScheduleRequest;
import io.snapbus.api.schedule.Schedule;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code snapbus schedule}: backups on a cron schedule (CockroachDB's CREATE SCHEDULE FOR BACKUP). */
@Command(name = "schedule", description = "Backup schedules: create, list, show, pause, resume, delete.")
final class ScheduleCommand extends ApiCommand {
    private static final String[] COLUMNS = {"name", "db", "repository", "cron", "paused", "runs", "lastLabel",
            "lastOutcome", "consecutiveFailures", "alarm"};

    @Command(name = "create", description = "A schedule: backups of the tables at the cron times (UTC), labelled "
            + "NAME_yyyyMMdd_HHmmss.")
    int create(@Parameters(paramLabel = "NAME") String name,
            @Parameters(paramLabel = "DB") String db,
            @Option(names = "--on", required = true, paramLabel = "TABLE[:P1,P2]",
                    description = "a table to back up, with some partitions (repeatable)") List<String> tables,
            @Option(names = "--repo", required = true, paramLabel = "REPO") String repository,
            @Option(names = "--cron", required = true, paramLabel = "EXPR",
                    description = "5 fields (minute hour day month weekday) or 6 (seconds first), UTC; e.g. "
                            + "'0 2 * * *'") String cron,
            @Option(names = "--full-every", paramLabel = "N",
                    description = "every N-th backup uploads every file (default 0: only the first)") Integer fullEvery,
            @Option(names = "--policy", paramLabel = "POLICY",
                    description = "retention policy its backups count toward, applied after each success")
            String policy,
            @Option(names = "--on-previous-running", paramLabel = "WAIT|SKIP",
                    description = "a due run while the previous backup runs: wait for it (default) or skip")
            String onPreviousRunning,
            @Option(names = "--on-failure", paramLabel = "RETRY|RESCHEDULE|PAUSE",
                    description = "after a failed backup: again in a minute, at the next cron time (default), or "
                            + "pause") String onFailure,
            @Option(names = "--alarm-after", paramLabel = "N",
                    description = "failures in a row that raise the alarm (default 5)") Integer alarmAfter) {
        Schedule created = api().createSchedule(new CreateScheduleRequest(name, db, tables, repository, cron,
                fullEvery, policy, onPreviousRunning, onFailure, alarmAfter));
        return print(created, () -> Card.of(created).render());
    }

    @Command(name = "list", description = "Every schedule and how it stands.")
    int list() {
        List<Schedule> schedules = api().schedules();
        return print(schedules, () -> TextTable.of(schedules, COLUMNS).render());
    }

    @Command(name = "show", description = "One schedule: its definition, next run, last backup and failures.")
    int show(@Parameters(paramLabel = "NAME") String name) {
        Schedule schedule = api().schedule(name);
        return print(schedule, () -> Card.of(schedule).render());
    }

    @Command(name = "pause", description = "No backup fires until it is resumed.")
    int pause(@Parameters(paramLabel = "NAME") String name) {
        Schedule schedule = api().pauseSchedule(name, true);
        return print(schedule, () -> Card.of(schedule).render());
    }

    @Command(name = "resume", description = "It fires again at its next cron time; its failure count starts over.")
    int resume(@Parameters(paramLabel = "NAME") String name) {
        Schedule schedule = api().pauseSchedule(name, false);
        return print(schedule, () -> Card.of(schedule).render());
    }

    @Command(name = "delete", description = "Delete a schedule; its snapshots stay.")
    int delete(@Parameters(paramLabel = "NAME") String name) {
        Dropped dropped = api().deleteSchedule(name);
        return print(dropped, () -> Card.of(dropped).render());
    }
}
