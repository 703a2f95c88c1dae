package io.snapbus.jobs.engine;

import java.util.List;

/**
 * A task a job sent and still waits for, with its retry bookkeeping (Doris re-sends forever; we do not).
 *
 * @param sentAtMs    when the task was first sent under any signature (the first attempt)
 * @param attempt     how many times the task has been sent, 1 on the first send
 * @param lastSentMs  when it was last sent
 * @param backoffMs   the wait after {@code lastSentMs} (or after a failure) before the next send
 * @param nextRetryMs when the tick re-sends it (same signature while {@code SENT}, a new one after {@code FAILED})
 * @param status      what the job knows of the task
 * @param lastError   the last error of any attempt, {@code null} while none
 */
public record PendingTask(long signature, AgentWork.Kind kind, long backendId, List<Long> tabletIds, long sentAtMs,
        int attempt, long lastSentMs, long backoffMs, long nextRetryMs, Status status, String lastError) {

    /** What the job knows of a pending task. */
    public enum Status {
        /** Sent, no result yet: re-sent under the same signature once its backoff passed. */
        SENT,
        /** Failed: re-sent under a new signature once its backoff passed (the node replays the old failure). */
        FAILED,
        /** Its tablet was missing on the node; the shell is asked where the tablet went. */
        LOCATING
    }

    public PendingTask {
        tabletIds = List.copyOf(tabletIds);
    }

    /** A first send at {@code sentAtMs} with no retry bookkeeping (backoff 0: due on the next tick). */
    public PendingTask(long signature, AgentWork.Kind kind, long backendId, List<Long> tabletIds, long sentAtMs) {
        this(signature, kind, backendId, tabletIds, sentAtMs, 1, sentAtMs, 0, sentAtMs, Status.SENT, null);
    }

    /** A first send whose result is awaited for {@code backoffMs}. */
    public static PendingTask sent(long signature, AgentWork.Kind kind, long backendId, List<Long> tabletIds,
            long nowMs, long backoffMs) {
        return new PendingTask(signature, kind, backendId, tabletIds, nowMs, 1, nowMs, backoffMs, nowMs + backoffMs,
                Status.SENT, null);
    }

    /** Sent again at {@code nowMs} under {@code newSignature}, waiting {@code newBackoffMs} this time. */
    public PendingTask resent(long newSignature, long nowMs, long newBackoffMs) {
        return new PendingTask(newSignature, kind, backendId, tabletIds, sentAtMs, attempt + 1, nowMs, newBackoffMs,
                nowMs + newBackoffMs, Status.SENT, lastError);
    }

    /** Failed at {@code nowMs}: re-sent under a new signature after the backoff. */
    public PendingTask failed(String error, long nowMs) {
        return new PendingTask(signature, kind, backendId, tabletIds, sentAtMs, attempt, lastSentMs, backoffMs,
                nowMs + backoffMs, Status.FAILED, error);
    }

    /** The node said the tablet is missing; waiting for the shell's catalog answer. */
    public PendingTask locating(long nowMs) {
        return new PendingTask(signature, kind, backendId, tabletIds, sentAtMs, attempt, lastSentMs, backoffMs,
                nowMs + backoffMs, Status.LOCATING, lastError);
    }

    /** The node showed it is working on the task: its result is awaited for another backoff. */
    public PendingTask alive(long nowMs) {
        return alive(nowMs, backoffMs);
    }

    /** The node showed it holds the task (running or queued): its result is awaited for {@code waitMs} more. */
    public PendingTask alive(long nowMs, long waitMs) {
        return status == Status.SENT ? new PendingTask(signature, kind, backendId, tabletIds, sentAtMs, attempt,
                lastSentMs, backoffMs, nowMs + waitMs, status, lastError) : this;
    }

    /** Due at {@code nowMs} at the latest: a changed repository makes waiting out a failure's backoff pointless. */
    public PendingTask dueBy(long nowMs) {
        return new PendingTask(signature, kind, backendId, tabletIds, sentAtMs, attempt, lastSentMs, backoffMs,
                Math.min(nextRetryMs, nowMs), status, lastError);
    }

    public PendingTask withError(String error) {
        return new PendingTask(signature, kind, backendId, tabletIds, sentAtMs, attempt, lastSentMs, backoffMs,
                nextRetryMs, status, error);
    }
}
