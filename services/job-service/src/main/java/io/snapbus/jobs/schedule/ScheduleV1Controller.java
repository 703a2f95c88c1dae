package io.snapbus.jobs.schedule;

import io.snapbus.api.Dropped;
import io.snapbus.api.schedule.CreateScheduleRequest;
import io.snapbus.api.schedule.Schedule;
import io.snapbus.avro.BackupScheduleDef;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** v1 of backup schedules: define, list, pause, resume, delete. */
@RestController
@RequestMapping("/api/v1/schedules")
@Tag(name = "schedules", description = "Backups on a cron schedule (CockroachDB's CREATE SCHEDULE FOR BACKUP)")
public class ScheduleV1Controller {
    private final BackupSchedules schedules;

    public ScheduleV1Controller(BackupSchedules schedules) {
        this.schedules = schedules;
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Creates a backup schedule", description = "Its backups are labelled"
            + " <name>_<yyyyMMdd_HHmmss> (UTC, the scheduled time); every event it causes is on job-events with"
            + " jobType SCHEDULE.")
    public Schedule create(@Valid @RequestBody CreateScheduleRequest request) {
        return schedule(schedules.create(request));
    }

    @GetMapping
    public List<Schedule> list() {
        return schedules.list().stream().map(ScheduleV1Controller::schedule).toList();
    }

    @GetMapping("/{name}")
    public Schedule get(@PathVariable("name") String name) {
        return schedule(schedules.require(name));
    }

    @PostMapping("/{name}/pause")
    public Schedule pause(@PathVariable("name") String name) {
        return schedule(schedules.setPaused(name, true));
    }

    @PostMapping("/{name}/resume")
    @Operation(summary = "Resumes a paused schedule", description = "It fires next at its first cron time after"
            + " now; its failures in a row start over.")
    public Schedule resume(@PathVariable("name") String name) {
        return schedule(schedules.setPaused(name, false));
    }

    @DeleteMapping("/{name}")
    @Operation(summary = "Deletes a schedule", description = "Its snapshots, and a backup it started, stay.")
    public Dropped delete(@PathVariable("name") String name) {
        schedules.delete(name);
        return new Dropped(name);
    }

    static Schedule schedule(BackupScheduleDef s) {
        return new Schedule(s.getName(), s.getDbName(), s.getTables(), s.getRepository(), s.getCron(),
                s.getFullEvery(), s.getRetentionPolicy(), s.getOnPreviousRunning(), s.getOnExecutionFailure(),
                s.getAlarmAfterFailures(), s.getPaused(), s.getCreatedAtMs(), s.getNextRunMs(), s.getRuns(),
                s.getLastJobId(), s.getLastLabel(), s.getLastOutcome(), s.getLastMessage(),
                s.getConsecutiveFailures(), BackupSchedules.alarm(s));
    }
}
