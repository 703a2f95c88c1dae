package io.snapbus.jobs.schedule;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Schedule settings ({@code snapbus.schedules.*}).
 *
 * @param tick how often every schedule is looked at (1 s: a cron of seconds still fires on time)
 */
@ConfigurationProperties("snapbus.schedules")
public record ScheduleProperties(@DefaultValue("1s") Duration tick) {

    public ScheduleProperties {
        if (tick == null || tick.isNegative() || tick.isZero()) {
            throw new IllegalArgumentException("snapbus.schedules.tick must be positive, got " + tick);
        }
    }
}
