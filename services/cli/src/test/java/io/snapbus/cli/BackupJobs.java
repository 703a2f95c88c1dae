package io.snapbus.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.awaitility.Awaitility;

/**
 * Waits on a backup job through the job-service's REST API (SHOW BACKUP of one job): the one copy of "await FINISHED
 * or CANCELLED" the cli's integration tests share. The client comes from a supplier, since a test that restarts the
 * job-service gets a new one on another port; answers that fail meanwhile (a job-service still replaying) are retried.
 */
final class BackupJobs {
    /** Long enough for a backup of the quickstart tables on a busy 2-core machine, including a job-service restart. */
    static final Duration DONE_WITHIN = Duration.ofSeconds(180);

    private BackupJobs() {
    }

    /** The job's row once it is FINISHED or CANCELLED. */
    static JsonNode awaitDone(Supplier<JobServiceClient> api, long jobId) {
        return awaitJob(api, jobId, DONE_WITHIN, BackupJobs::isDone);
    }

    /** The job's row once {@code condition} holds for it. */
    static JsonNode awaitJob(Supplier<JobServiceClient> api, long jobId, Duration atMost, Predicate<JsonNode> condition) {
        return Awaitility.await().atMost(atMost).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .until(() -> api.get().get("/api/backups/" + jobId), condition);
    }

    /** The job's row once it shows {@code state} with no task awaited: persisted, nothing in flight. */
    static JsonNode awaitSettledIn(Supplier<JobServiceClient> api, long jobId, String state) {
        return awaitJob(api, jobId, Duration.ofSeconds(120), job -> job.get("state").asText().equals(state)
                && job.get("unfinishedTasks").asText().equals("[]"));
    }

    static boolean isDone(JsonNode job) {
        String state = job.get("state").asText();
        return state.equals("FINISHED") || state.equals("CANCELLED");
    }

    /** Cancels every job of the database that is not done, e.g. what a failed test left running. */
    static void cancelUnfinished(JobServiceClient api, String db) {
        for (JsonNode job : api.get("/api/databases/" + db + "/backups")) {
            if (!isDone(job)) {
                api.post("/api/backups/" + job.get("jobId").asLong() + "/cancel", java.util.Map.of());
            }
        }
    }
}
