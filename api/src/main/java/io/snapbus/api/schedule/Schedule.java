package io.snapbus.api.schedule;

import java.util.List;

/**
 * A backup schedule (CockroachDB's CREATE SCHEDULE FOR BACKUP) and how it stands.
 *
 * @param tables             each {@code name} or {@code name:p1,p2}
 * @param cron               5 fields (minute hour day month weekday) or 6 (seconds first), in UTC
 * @param fullEvery          every fullEvery-th backup uploads every file; 0: only the first
 * @param onPreviousRunning  WAIT or SKIP
 * @param onExecutionFailure RETRY, RESCHEDULE or PAUSE
 * @param lastOutcome        SUCCEEDED, FAILED, or empty while its last backup runs (or before the first)
 * @param alarm              {@code consecutiveFailures} reached {@code alarmAfterFailures}
 */
public record Schedule(String name, String db, List<String> tables, String repository, String cron, int fullEvery,
        String retentionPolicy, String onPreviousRunning, String onExecutionFailure, int alarmAfterFailures,
        boolean paused, long createdAtMs, long nextRunMs, long runs, long lastJobId, String lastLabel,
        String lastOutcome, String lastMessage, int consecutiveFailures, boolean alarm) {}
