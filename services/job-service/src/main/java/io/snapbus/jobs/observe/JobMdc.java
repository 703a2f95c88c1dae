package io.snapbus.jobs.observe;

import io.snapbus.jobs.engine.EngineJob;
import java.util.Map;
import java.util.concurrent.Executor;
import org.slf4j.MDC;

/**
 * The job a log line is about, in the logging context ({@value #JOB_ID} and {@value #LABEL}): set while a job's input
 * is applied or its effects run, so every line logged meanwhile, by any class, names the job (the services' log
 * pattern prints both). A scope restores what was there before, so nested scopes of one job are harmless.
 */
public final class JobMdc implements AutoCloseable {
    public static final String JOB_ID = "jobId";
    public static final String LABEL = "label";

    private final String previousId;
    private final String previousLabel;

    private JobMdc(long jobId, String label) {
        previousId = MDC.get(JOB_ID);
        previousLabel = MDC.get(LABEL);
        MDC.put(JOB_ID, Long.toString(jobId));
        MDC.put(LABEL, label == null ? "" : label);
    }

    /** Names {@code job} in every log line of this thread until the scope is closed. */
    public static JobMdc of(EngineJob job) {
        return new JobMdc(job.jobId(), job.label());
    }

    public static JobMdc of(long jobId, String label) {
        return new JobMdc(jobId, label);
    }

    /** Runs work on {@code executor} with the logging context of the thread that handed it over (the job's). */
    public static Executor propagating(Executor executor) {
        return command -> {
            Map<String, String> context = MDC.getCopyOfContextMap();
            executor.execute(() -> {
                Map<String, String> before = MDC.getCopyOfContextMap();
                if (context == null) {
                    MDC.clear();
                } else {
                    MDC.setContextMap(context);
                }
                try {
                    command.run();
                } finally {
                    if (before == null) {
                        MDC.clear();
                    } else {
                        MDC.setContextMap(before);
                    }
                }
            });
        };
    }

    @Override
    public void close() {
        restore(JOB_ID, previousId);
        restore(LABEL, previousLabel);
    }

    private static void restore(String key, String value) {
        if (value == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, value);
        }
    }
}
