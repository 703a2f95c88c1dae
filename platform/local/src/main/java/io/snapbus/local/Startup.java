package io.snapbus.local;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The end of every component's start: wait until it really serves, or stop it and explain in one exception
 * what went wrong, what to do, and what its log said.
 */
final class Startup {

    private static final Logger log = LoggerFactory.getLogger(Startup.class);
    static final int TAIL_LINES = 30;
    private static final Pattern PORT_IN_USE = Pattern.compile("Address already in use|BindException");

    private Startup() {
    }

    /** One probe of readiness: true when the component serves; may throw while it does not yet. */
    @FunctionalInterface
    interface Probe {
        boolean ready() throws Exception;
    }

    /** Advice for a failure whose log matches {@code pattern}. */
    record Hint(Pattern pattern, String advice) {
        static Hint of(String regex, String advice) {
            return new Hint(Pattern.compile(regex), advice);
        }
    }

    /** A start that failed because a port we picked was taken meanwhile: worth one retry with fresh ports. */
    static final class PortTaken extends LocalComponentException {
        PortTaken(String component, String message) {
            super(component, message);
        }
    }

    /**
     * Polls {@code probe} until it answers true. If the process exits first, or {@code timeout} passes, the
     * process is stopped and a {@link LocalComponentException} carries the reason, the advice and the log tail.
     */
    static void awaitReady(LocalProcess process, String probeDescription, Probe probe, Duration timeout, Duration stopTimeout,
                           List<Hint> hints, String defaultAdvice) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Exception lastError = null;
        while (true) {
            if (!process.isAlive()) {
                throw failure(process, "the process exited with code " + process.exitCode().orElse(-1) + " before it was ready",
                        hints, defaultAdvice, stopTimeout);
            }
            try {
                if (probe.ready()) {
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.stop(stopTimeout);
                throw new LocalComponentException(process.component(), "interrupted while waiting for it to start; it was stopped", e);
            } catch (Exception e) {
                lastError = e;
            }
            if (System.nanoTime() > deadline) {
                String why = "not ready after " + timeout.toSeconds() + " s (" + probeDescription + " never succeeded"
                        + (lastError == null ? "" : "; last error: " + lastError) + "); the process was stopped";
                String advice = defaultAdvice + "; on a slow or busy machine raise LocalStackConfig.startupTimeout";
                throw failure(process, why, hints, advice, stopTimeout);
            }
            try {
                TimeUnit.MILLISECONDS.sleep(150);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.stop(stopTimeout);
                throw new LocalComponentException(process.component(), "interrupted while waiting for it to start; it was stopped", e);
            }
        }
    }

    private static LocalComponentException failure(LocalProcess process, String what, List<Hint> hints, String defaultAdvice,
                                                   Duration stopTimeout) {
        process.stop(stopTimeout);
        String recent = process.recentLog();
        String advice = hints.stream().filter(h -> h.pattern().matcher(recent).find()).map(Hint::advice).findFirst().orElse(defaultAdvice);
        String message = process.component() + ": " + what + "; " + advice + ".\nLast " + TAIL_LINES + " lines of "
                + process.logFile() + " (stack frames left out):\n" + indent(process.logTail(TAIL_LINES));
        log.debug("{}", message);
        if (PORT_IN_USE.matcher(recent).find()) {
            return new PortTaken(process.component(), message);
        }
        return new LocalComponentException(process.component(), message);
    }

    private static String indent(String text) {
        return text.lines().map(line -> "    " + line).reduce((a, b) -> a + "\n" + b).orElse("");
    }
}
