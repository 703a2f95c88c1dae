package io.snapbus.api.schedule;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;

/**
 * A new backup schedule; see {@link Schedule} for the fields. Defaults: fullEvery 0, no retention policy,
 * onPreviousRunning WAIT, onExecutionFailure RESCHEDULE (CockroachDB's defaults), alarmAfterFailures 5 (SLM's).
 */
public record CreateScheduleRequest(
        @NotBlank(message = "a schedule needs a name")
        @Size(max = 64, message = "a schedule name has at most 64 characters") String name,
        @NotBlank(message = "a schedule needs a database") String db,
        @NotEmpty(message = "name at least one table to back up")
        List<@NotNull(message = "a table must not be null") String> tables,
        @NotBlank(message = "a schedule needs a repository") String repository,
        @NotBlank(message = "a schedule needs a cron expression") String cron,
        @Min(value = 0, message = "fullEvery must not be negative") Integer fullEvery,
        String retentionPolicy,
        String onPreviousRunning,
        String onExecutionFailure,
        @Min(value = 1, message = "alarmAfterFailures must be at least 1") Integer alarmAfterFailures) {}
