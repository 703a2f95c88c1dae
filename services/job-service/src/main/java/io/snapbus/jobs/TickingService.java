package io.snapbus.jobs;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.springframework.context.SmartLifecycle;

/**
 * A lifecycle that ticks: one daemon thread runs {@link #tick} at a fixed delay from start to stop, and once more on
 * request (the recycle bin's eraser, retention, backup schedules).
 */
public abstract class TickingService implements SmartLifecycle {
    private final String threadName;
    private final int phase;
    private volatile ScheduledExecutorService timer;
    private volatile boolean running;

    /** @param phase when it starts among the job-service's lifecycles ({@link StartupOrder}) */
    protected TickingService(String threadName, int phase) {
        this.threadName = threadName;
        this.phase = phase;
    }

    /** One tick; runs on the service's thread only. */
    protected abstract void tick();

    /** Delay before the first tick. */
    protected abstract Duration firstDelay();

    /** Delay between the end of a tick and the next. */
    protected abstract Duration interval();

    /** Runs {@link #tick} once more after {@code delay}, besides the regular ones; nothing once stopped. */
    protected final void tickAfter(Duration delay) {
        ScheduledExecutorService current = timer;
        if (current != null && !current.isShutdown()) {
            current.schedule(this::tick, delay.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void start() {
        ScheduledExecutorService started = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, threadName);
            thread.setDaemon(true);
            return thread;
        });
        started.scheduleWithFixedDelay(this::tick, firstDelay().toMillis(), interval().toMillis(),
                TimeUnit.MILLISECONDS);
        timer = started;
        running = true;
    }

    @Override
    public final void stop() {
        running = false;
        ScheduledExecutorService current = timer;
        if (current != null) {
            current.shutdownNow();
        }
    }

    @Override
    public final boolean isRunning() {
        return running;
    }

    @Override
    public final int getPhase() {
        return phase;
    }
}
