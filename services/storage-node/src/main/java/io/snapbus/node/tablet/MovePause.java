package io.snapbus.node.tablet;

import io.snapbus.thrift.TStatusCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A debug point of MOVE (off unless configured): at the chosen step it writes {@code <restore dir>/paused-at-<STEP>}
 * and blocks the move for good, so a test can kill the node exactly there. Never configured in production.
 */
final class MovePause implements MoveHook {
    private static final Logger log = LoggerFactory.getLogger(MovePause.class);
    static final String MARKER_PREFIX = "paused-at-";

    private final Optional<MoveStep> pauseAt;

    MovePause(Optional<MoveStep> pauseAt) {
        this.pauseAt = pauseAt;
    }

    @Override
    public void reached(MoveStep step, Path restoreDir) {
        if (pauseAt.isEmpty() || pauseAt.get() != step) {
            return;
        }
        log.warn("debug point: MOVE paused at {} until the process is killed", step);
        try {
            DurableFiles.write(restoreDir.resolve(MARKER_PREFIX + step), new byte[0]);
            new CountDownLatch(1).await();
        } catch (IOException e) {
            throw new IllegalStateException("debug point " + step + ": cannot write its marker", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException(TStatusCode.CANCELLED, "MOVE paused at " + step
                    + " was interrupted");
        }
    }

    static boolean isMarker(Path file) {
        return file.getFileName().toString().startsWith(MARKER_PREFIX) && Files.isRegularFile(file);
    }
}
