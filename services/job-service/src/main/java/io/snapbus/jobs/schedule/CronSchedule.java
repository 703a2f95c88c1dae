package io.snapbus.jobs.schedule;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import org.springframework.scheduling.support.CronExpression;

/** A cron expression in UTC: 5 fields (minute hour day month weekday) as crontab, or 6 with seconds first. */
final class CronSchedule {
    private final CronExpression expression;

    private CronSchedule(CronExpression expression) {
        this.expression = expression;
    }

    /** Parses {@code text}; IllegalArgumentException says what is wrong with it. */
    static CronSchedule parse(String text) {
        String trimmed = text == null ? "" : text.trim();
        String[] fields = trimmed.split("\\s+");
        if (fields.length != 5 && fields.length != 6) {
            throw new IllegalArgumentException("Invalid cron expression '" + trimmed + "': it needs 5 fields (minute "
                    + "hour day-of-month month day-of-week) or 6 (seconds first)");
        }
        try {
            return new CronSchedule(CronExpression.parse(fields.length == 5 ? "0 " + trimmed : trimmed));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Invalid cron expression '" + trimmed + "': " + e.getMessage(), e);
        }
    }

    /** The first fire time strictly after {@code epochMs}. */
    long nextAfter(long epochMs) {
        ZonedDateTime next = expression.next(ZonedDateTime.ofInstant(Instant.ofEpochMilli(epochMs), ZoneOffset.UTC));
        if (next == null) {
            throw new IllegalStateException("cron expression " + expression + " never fires again");
        }
        return next.toInstant().toEpochMilli();
    }
}
