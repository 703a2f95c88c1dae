package io.snapbus.jobs.retention;

import io.snapbus.jobs.StartupOrder;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.springframework.context.SmartLifecycle;

/** Applies every retention policy every {@code snapbus.retention.interval}, once the jobs are resumed. */
public final class RetentionSchedule implements SmartLifecycle {
    private final RetentionService retention;
    private final Duration interval;
    private ScheduledExecutorService timer;
    private volatile boolean running;

    public RetentionSchedule(RetentionService retention, Duration interval) {
        this.retention = retention;
        this.interval = interval;
    }

    @Override
    public void start() {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "retention");
            thread.setDaemon(true);
            return thread;
        });
        long every = interval.toMillis();
        timer.scheduleWithFixedDelay(retention::runAll, every, every, TimeUnit.MILLISECONDS);
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        if (timer != null) {
            timer.shutdownNow();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** After the backups are resumed: a run reads their states. */
    @Override
    public int getPhase() {
        return StartupOrder.JOBS + 1;
    }
}
