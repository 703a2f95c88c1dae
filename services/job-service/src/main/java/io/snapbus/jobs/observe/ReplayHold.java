package io.snapbus.jobs.observe;

import io.snapbus.jobs.StartupOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * A debug point for tests of readiness: with {@code snapbus.jobs.debug.replay-hold-file} set, start-up stops after
 * the catalog's replay and before the jobs' for as long as that file exists, so a test sees readiness DOWN for sure
 * and then UP once it deletes the file. Unset (the default), nothing is held.
 */
@Component
public class ReplayHold implements SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(ReplayHold.class);

    private final String holdFile;
    private volatile boolean running;

    public ReplayHold(@Value("${snapbus.jobs.debug.replay-hold-file:}") String holdFile) {
        this.holdFile = holdFile;
    }

    @Override
    public void start() {
        if (!holdFile.isBlank()) {
            Path file = Path.of(holdFile);
            if (Files.exists(file)) {
                log.warn("replay held until {} is deleted (snapbus.jobs.debug.replay-hold-file)", file);
                while (Files.exists(file)) {
                    LockSupport.parkNanos(20_000_000L);
                }
                log.info("replay hold {} released", file);
            }
        }
        running = true;
    }

    @Override
    public void stop() {
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return StartupOrder.REPLAY_HOLD;
    }
}
