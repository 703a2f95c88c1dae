package io.snapbus.jobs.retention;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Retention settings ({@code snapbus.retention.*}).
 *
 * @param interval   how often every policy is applied (Elasticsearch SLM's retention schedule runs daily; a shorter
 *                   interval deletes expired snapshots sooner and costs a listing of each policy's repository)
 * @param timeBudget how long one run of a policy may spend deleting (SLM's slm.retention_duration, 1 h); the rest
 *                   waits for the next run
 * @param leftoverGrace how long after a failed backup of a policy ended its leftover files stay, a second barrier
 *                   behind the job's own state against removing what a backup still writes (15 min)
 */
@ConfigurationProperties("snapbus.retention")
public record RetentionProperties(
        @DefaultValue("30m") Duration interval,
        @DefaultValue("1h") Duration timeBudget,
        @DefaultValue("15m") Duration leftoverGrace) {

    public RetentionProperties {
        if (interval == null || interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("snapbus.retention.interval must be positive, got " + interval);
        }
        if (timeBudget == null || timeBudget.isNegative() || timeBudget.isZero()) {
            throw new IllegalArgumentException("snapbus.retention.time-budget must be positive, got " + timeBudget);
        }
        if (leftoverGrace == null || leftoverGrace.isNegative()) {
            throw new IllegalArgumentException("snapbus.retention.leftover-grace must not be negative, got "
                    + leftoverGrace);
        }
    }
}
