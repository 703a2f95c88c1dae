package io.snapbus.api.event;

/**
 * One event of a backup or restore job as its event stream sends it ({@code GET /api/v1/backups/{id}/events},
 * {@code .../restores/{id}/events}, server-sent events named by {@code kind}): the job-events topic's record, typed.
 * The first event of a stream is {@code CURRENT}: the job as it stands when the stream opened, made by the
 * job-service (not from the topic); the stream ends after {@code FINISHED} or {@code CANCELLED}.
 *
 * @param kind      CURRENT, CREATED, STATE_CHANGED, PROGRESS, TASK_ERROR, TASK_RETRY, FINISHED or CANCELLED
 * @param seq       grows by one or more per event of the job; a CURRENT event has the seq of the job's last event
 * @param fromState the state before a transition, else null
 * @param progress  the job's counts with the event
 * @param status    Doris's status code when the job failed or a task did ({@code OK} otherwise)
 * @param message   a task error, retry or cancel reason ("" when none)
 */
public record JobEvent(String eventId, long jobId, String jobType, String label, String dbName,
        String repositoryName, long seq, long timestampMs, String kind, String fromState, String state,
        Progress progress, String status, String message) {

    /** Whether no event of the job follows this one. */
    public boolean ends() {
        return "FINISHED".equals(kind) || "CANCELLED".equals(kind)
                || "CURRENT".equals(kind) && ("FINISHED".equals(state) || "CANCELLED".equals(state));
    }

    /**
     * The counts a progress bar is made of. A backup fills the snapshot and upload counts, a restore the replica
     * counts and {@code bytesDownloaded}.
     */
    public record Progress(int snapshotsDone, int snapshotsTotal, int uploadsDone, int uploadsTotal,
            long bytesUploaded, long filesUploaded, int replicasTotal, int replicasCreated, int replicasDownloaded,
            int replicasMoved, int replicasChecked, long bytesDownloaded) {}
}
