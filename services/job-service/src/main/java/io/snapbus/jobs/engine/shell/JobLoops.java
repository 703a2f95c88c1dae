package io.snapbus.jobs.engine.shell;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The threads a job type's loop runs on, and how a request waits for the loop's answer. */
public final class JobLoops {
    private static final Logger log = LoggerFactory.getLogger(JobLoops.class);

    private JobLoops() {}

    /** Runs {@code action} on {@code loop} and waits for it; its runtime failure is rethrown as is. */
    public static <T> T call(ExecutorService loop, Callable<T> action) {
        try {
            return loop.submit(action).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Daemon threads named {@code name} whose uncaught failures are logged, never lost with the thread. */
    public static ThreadFactory threads(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            t.setUncaughtExceptionHandler((thread, e) -> log.error("{} failed; the thread is replaced", name, e));
            return t;
        };
    }
}
