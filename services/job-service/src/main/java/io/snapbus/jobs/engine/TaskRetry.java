package io.snapbus.jobs.engine;

import io.snapbus.contract.TaskSignatures;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The retry policy every job applies to its awaited tasks, as pure decisions on its {@link TaskBook}: a due task is
 * sent again under the same signature when no result came (the node ignores a duplicate of a running task and reports
 * a finished one again), under a new one after a failure (the node would only replay the old failure); a task sent
 * {@link RetryPolicy#maxAttempts()} times ends the job; a due task its node reports holding is awaited
 * {@value #QUEUED_RECHECK_BACKOFFS} backoffs more instead. What differs per job type is how a task is rebuilt for a
 * re-send ({@link Rebuild}); what the job does with a round (persist, send, publish, cancel) stays its machine's.
 */
public final class TaskRetry {
    /** Backoffs a task its node reports holding is awaited before it is looked at again. */
    public static final int QUEUED_RECHECK_BACKOFFS = 4;
    /** Tasks named in one TASK_RETRY event at most; a mass re-send names the first and counts the rest. */
    public static final int RETRIES_NAMED = 5;

    /** The agent task of an awaited one, rebuilt by its job type for a re-send (from the tablets it carries). */
    @FunctionalInterface
    public interface Rebuild {
        AgentWork.Task task(PendingTask resent);
    }

    /** How {@link GaveUp#status()} begins: the task's kind, signature, backend and attempts. */
    private static final Pattern GAVE_UP = Pattern.compile("^([A-Z_]+) task -?\\d+ on backend -?\\d+ failed \\d+ times");

    /** What a look at the job's tasks decided. */
    public sealed interface Round permits Waited, GaveUp, Resent, FailedOnce {}

    /**
     * Nothing goes out: no task was due or the due ones are held by their nodes and awaited longer (nothing to
     * persist: waiting is no state a restart must keep). {@code tasks} is the job's own book when nothing changed.
     */
    public record Waited(TaskBook tasks) implements Round {}

    /** A task was sent as often as the policy allows: the job ends with {@link #status()}. */
    public record GaveUp(PendingTask task) implements Round {
        /** The failure naming the task, its backend and its last error. */
        public Status status() {
            return Status.of(Status.Code.COMMON_ERROR, task.kind() + " task " + task.signature() + " on backend "
                    + task.backendId() + " failed " + task.attempt() + " times, last error: " + task.lastError());
        }
    }

    /**
     * Due tasks went out again ({@code batches}, by kind then backend; a TASK_RETRY {@code event} names them) or,
     * while {@code LOCATING}, are asked about again ({@code locating}). {@code touched} are the tasks whose
     * persisted state changed (their tablets' records are rewritten).
     */
    public record Resent(TaskBook tasks, List<PendingTask> touched, List<AgentWork.Batch> batches,
            List<PendingTask> locating, String event) implements Round {}

    /** A task failed and goes out again after its backoff; the TASK_ERROR {@code event} says so. */
    public record FailedOnce(TaskBook tasks, PendingTask task, String event) implements Round {}

    /** The kind of the task a job gave up on, when {@code status} is the one {@link GaveUp} ended the job with. */
    public static Optional<AgentWork.Kind> gaveUpOn(Status status) {
        if (status == null || status.ok() || status.code() != Status.Code.COMMON_ERROR || status.message() == null) {
            return Optional.empty();
        }
        Matcher m = GAVE_UP.matcher(status.message());
        if (!m.find()) {
            return Optional.empty();
        }
        try {
            return Optional.of(AgentWork.Kind.valueOf(m.group(1)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private final RetryPolicy policy;

    public TaskRetry(RetryPolicy policy) {
        this.policy = policy;
    }

    public RetryPolicy policy() {
        return policy;
    }

    /** A first send at {@code nowMs}, awaited for the initial backoff. */
    public PendingTask firstSend(long signature, AgentWork.Kind kind, long backendId, List<Long> tabletIds,
            long nowMs) {
        return PendingTask.sent(signature, kind, backendId, tabletIds, nowMs, policy.initialBackoffMs());
    }

    /** The tasks of {@code book} due at {@code nowMs}: awaited longer, re-sent, asked about again, or given up. */
    public Round dueTasks(TaskBook book, long jobId, long nowMs, Rebuild rebuild) {
        List<PendingTask> due = new ArrayList<>();
        TaskBook waited = book;
        for (PendingTask task : book.due(nowMs)) {
            if (book.heldByNode(task, nowMs, QUEUED_RECHECK_BACKOFFS * policy.initialBackoffMs())) {
                waited = waited.refreshed(task.alive(nowMs, QUEUED_RECHECK_BACKOFFS * task.backoffMs()));
            } else {
                due.add(task);
            }
        }
        if (due.isEmpty()) {
            return new Waited(waited);
        }
        for (PendingTask task : due) {
            if (task.status() != PendingTask.Status.LOCATING && task.attempt() >= policy.maxAttempts()) {
                String error = task.status() == PendingTask.Status.FAILED ? task.lastError() : noResult(task, nowMs);
                return new GaveUp(task.withError(error));
            }
        }
        TaskBook next = waited;
        Map<AgentWork.Kind, Map<Long, List<AgentWork.Task>>> tasks = new EnumMap<>(AgentWork.Kind.class);
        List<PendingTask> locating = new ArrayList<>();
        for (PendingTask task : due) {
            if (task.status() == PendingTask.Status.LOCATING) {
                // The answer about the task's tablet got lost (or is late): ask again.
                next = next.sent(task.locating(nowMs));
                locating.add(task);
                continue;
            }
            long signature = task.signature();
            if (task.status() == PendingTask.Status.FAILED) {
                signature = TaskSignatures.of(jobId, next.nextTaskSeq());
                next = next.withNextTaskSeq(next.nextTaskSeq() + 1).removed(task.signature());
            }
            PendingTask resent = task.resent(signature, nowMs, policy.nextBackoffMs(task.backoffMs()));
            if (task.status() == PendingTask.Status.SENT) {
                resent = resent.withError(noResult(task, nowMs));
            }
            next = next.sent(resent);
            tasks.computeIfAbsent(task.kind(), k -> new TreeMap<>())
                    .computeIfAbsent(task.backendId(), b -> new ArrayList<>()).add(rebuild.task(resent));
        }
        List<AgentWork.Batch> batches = new ArrayList<>();
        tasks.forEach((kind, byBackend) -> batches.addAll(AgentWork.batches(byBackend, kind)));
        String event = batches.isEmpty() ? null
                : retried(due.stream().filter(t -> t.status() != PendingTask.Status.LOCATING).toList(), nowMs);
        return new Resent(next, due, batches, locating, event);
    }

    /**
     * A task failed ({@code statusName} and the node's errors): the error is shown and the task is sent again under a
     * new signature after its backoff, or the job gives up once the task was sent as often as the policy allows
     * (Doris would wait forever). A failure reported again, or late while locating, changes nothing.
     */
    public Round failed(TaskBook book, PendingTask task, String statusName, List<String> errors, long nowMs) {
        if (task.status() != PendingTask.Status.SENT) {
            return new Waited(book);
        }
        String message = statusName + (errors == null || errors.isEmpty() ? "" : ": " + String.join(",", errors));
        PendingTask failed = task.failed(message, nowMs);
        if (failed.attempt() >= policy.maxAttempts()) {
            return new GaveUp(failed);
        }
        return new FailedOnce(book.failed(failed, message), failed, "task " + task.signature() + " failed (attempt "
                + task.attempt() + " of " + policy.maxAttempts() + "), sent again after " + task.backoffMs() + " ms: "
                + message);
    }

    /** What a TASK_RETRY event says: how many tasks went out again, and for the first ones which and why. */
    private static String retried(List<PendingTask> tasks, long nowMs) {
        StringBuilder message = new StringBuilder("re-sent ").append(tasks.size())
                .append(tasks.size() == 1 ? " task: " : " tasks: ");
        for (int i = 0; i < Math.min(RETRIES_NAMED, tasks.size()); i++) {
            PendingTask task = tasks.get(i);
            message.append(i == 0 ? "" : "; ").append(task.kind()).append(' ').append(task.signature())
                    .append(" (tablets ").append(task.tabletIds()).append(") on backend ").append(task.backendId())
                    .append(", attempt ").append(task.attempt() + 1).append(", after ")
                    .append(task.status() == PendingTask.Status.FAILED ? task.lastError() : noResult(task, nowMs));
        }
        if (tasks.size() > RETRIES_NAMED) {
            message.append("; and ").append(tasks.size() - RETRIES_NAMED).append(" more");
        }
        return message.toString();
    }

    private static String noResult(PendingTask task, long nowMs) {
        return "no result " + (nowMs - task.lastSentMs()) + " ms after sending it";
    }
}
