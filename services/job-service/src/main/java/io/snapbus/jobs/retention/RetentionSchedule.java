package io.snapbus.jobs.retention;

import io.snapbus.jobs.StartupOrder;
import io.snapbus.jobs.TickingService;
import java.time.Duration;

/** Applies every retention policy every {@code snapbus.retention.interval}, once the jobs are resumed. */
public final class RetentionSchedule extends TickingService {
    private final RetentionService retention;
    private final Duration interval;

    public RetentionSchedule(RetentionService retention, Duration interval) {
        super("retention", StartupOrder.JOBS + 1); // after the backups are resumed: a run reads their states
        this.retention = retention;
        this.interval = interval;
    }

    @Override
    protected void tick() {
        retention.runAll();
    }

    @Override
    protected Duration firstDelay() {
        return interval;
    }

    @Override
    protected Duration interval() {
        return interval;
    }
}
