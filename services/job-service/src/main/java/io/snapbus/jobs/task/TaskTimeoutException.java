package io.snapbus.jobs.task;

import java.time.Duration;
import java.util.Set;

/** Some tasks of a job sent no finish report in time; the message names them. */
public final class TaskTimeoutException extends RuntimeException {
    private static final int NAMED = 20;
    private final long jobId;
    private final Set<String> missing;

    public TaskTimeoutException(long jobId, Duration timeout, Set<String> missing) {
        super("no result within " + timeout.toSeconds() + " s for " + missing.size() + " task(s) of job " + jobId + ": "
                + String.join(", ", missing.stream().limit(NAMED).toList()) + (missing.size() > NAMED ? ", …" : ""));
        this.jobId = jobId;
        this.missing = Set.copyOf(missing);
    }

    public long jobId() {
        return jobId;
    }

    public Set<String> missing() {
        return missing;
    }
}
