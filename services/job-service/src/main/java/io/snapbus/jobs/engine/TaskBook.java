package io.snapbus.jobs.engine;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.pcollections.HashTreePMap;
import org.pcollections.PMap;
import org.pcollections.PSortedMap;
import org.pcollections.PSortedSet;
import org.pcollections.TreePMap;
import org.pcollections.TreePSet;

/**
 * The tasks a job awaits and their bookkeeping, as a value: every operation returns a new book. Persistent maps keep
 * a change to one task cheap (O(log n)) at 300 000 awaited tasks.
 *
 * @param pending     signature to the task the job waits for, by signature
 * @param taskOfTablet tablet id to the signature of its task in {@code pending} (derived from it), so a persist finds
 *                    the awaited task of a tablet without walking every task (an {@link IdTable}: a million tablets
 *                    await their snapshots at once)
 * @param retryQueue  every task of {@code pending} by its next retry time (derived from it), so a tick finds the due
 *                    ones without walking 300 000 awaited tasks
 * @param errors      signature to the last error of a task (at most {@value #ERRORS_SHOWN} shown)
 * @param progress    signature to "finished/total" files of a running task
 * @param nodeReports backend id to its newest task report (not persisted): a task that comes due while its node
 *                    reports holding it is awaited longer instead of re-sent
 * @param nextTaskSeq sequence of the job's next task signature (fire-and-forget tasks take one too)
 */
public record TaskBook(
        PSortedMap<Long, PendingTask> pending,
        PMap<Long, Long> taskOfTablet,
        PSortedSet<RetryAt> retryQueue,
        PMap<Long, String> errors,
        PMap<Long, String> progress,
        PMap<Long, NodeReport> nodeReports,
        long nextTaskSeq) {

    /** Task errors a job shows and persists at most. */
    public static final int ERRORS_SHOWN = 100;

    /** No task awaited yet; signatures start at sequence 1. */
    public static TaskBook empty() {
        return new TaskBook(TreePMap.empty(), IdTable.empty(), TreePSet.empty(), HashTreePMap.empty(),
                HashTreePMap.empty(), HashTreePMap.empty(), 1);
    }

    /** The task, sent or re-sent (or its state changed), is awaited; its tablets now name it. */
    public TaskBook sent(PendingTask t) {
        PMap<Long, Long> ofTablet = taskOfTablet;
        for (long tabletId : t.tabletIds()) {
            if (!Long.valueOf(t.signature()).equals(ofTablet.get(tabletId))) {
                ofTablet = ofTablet.plus(tabletId, t.signature()); // not for a refresh of the same task
            }
        }
        return queued(t, ofTablet);
    }

    /** The same task, only its liveness (its next retry time) changed. */
    public TaskBook refreshed(PendingTask t) {
        return queued(t, taskOfTablet);
    }

    private TaskBook queued(PendingTask t, PMap<Long, Long> ofTablet) {
        PendingTask before = pending.get(t.signature());
        PSortedSet<RetryAt> queue = before != null ? retryQueue.minus(RetryAt.of(before)) : retryQueue;
        return new TaskBook(pending.plus(t.signature(), t), ofTablet, queue.plus(RetryAt.of(t)), errors, progress,
                nodeReports, nextTaskSeq);
    }

    /** The task is settled (finished, superseded by a re-send, or forgotten): no longer awaited, shown or queued. */
    public TaskBook removed(long signature) {
        PendingTask task = pending.get(signature);
        PSortedSet<RetryAt> queue = retryQueue;
        PMap<Long, Long> ofTablet = taskOfTablet;
        if (task != null) {
            queue = queue.minus(RetryAt.of(task));
            for (long tabletId : task.tabletIds()) {
                if (Long.valueOf(signature).equals(ofTablet.get(tabletId))) {
                    ofTablet = ofTablet.minus(tabletId);
                }
            }
        }
        return new TaskBook(pending.minus(signature), ofTablet, queue, errors.minus(signature),
                progress.minus(signature), nodeReports, nextTaskSeq);
    }

    /** The task failed with {@code error} (already in {@code failed}'s bookkeeping): awaited again, error shown. */
    public TaskBook failed(PendingTask failed, String error) {
        return sent(failed).withError(failed.signature(), error);
    }

    /** Shows {@code error} as the task's last one. */
    public TaskBook withError(long signature, String error) {
        return new TaskBook(pending, taskOfTablet, retryQueue, errors.plus(signature, error), progress, nodeReports,
                nextTaskSeq);
    }

    /** Shows the task's progress ("finished/total" files). */
    public TaskBook withProgress(long signature, String shown) {
        return new TaskBook(pending, taskOfTablet, retryQueue, errors, progress.plus(signature, shown), nodeReports,
                nextTaskSeq);
    }

    /** The newest task report of a node. */
    public TaskBook withNodeReport(long backendId, NodeReport report) {
        return new TaskBook(pending, taskOfTablet, retryQueue, errors, progress, nodeReports.plus(backendId, report),
                nextTaskSeq);
    }

    /** The book with the next signature sequence {@code seq} (taking one, or continuing a restored job's). */
    public TaskBook withNextTaskSeq(long seq) {
        return new TaskBook(pending, taskOfTablet, retryQueue, errors, progress, nodeReports, seq);
    }

    /** The awaited tasks due at {@code nowMs}, by signature. */
    public List<PendingTask> due(long nowMs) {
        List<PendingTask> due = new ArrayList<>();
        for (RetryAt at : retryQueue.headSet(new RetryAt(nowMs, Long.MAX_VALUE), true)) {
            due.add(pending.get(at.signature()));
        }
        due.sort(Comparator.comparingLong(PendingTask::signature));
        return due;
    }

    /**
     * Whether the newest report of the task's node, no older than {@code maxReportAgeMs}, names the task: then it is
     * slow, not lost (queued behind the rest of a large job, or its report on its way).
     */
    public boolean heldByNode(PendingTask task, long nowMs, long maxReportAgeMs) {
        NodeReport report = nodeReports.get(task.backendId());
        return task.status() == PendingTask.Status.SENT && report != null && nowMs - report.atMs() <= maxReportAgeMs
                && report.signatures().contains(task.signature());
    }

    /**
     * The sends still awaited: a send that waited for its job's state to be persisted may have been overtaken by the
     * task's result (a re-send under the same signature, say), and then must not go out again. Tasks nobody awaits
     * (releases) always go.
     */
    public List<AgentWork.Batch> stillAwaited(List<AgentWork.Batch> batches) {
        List<AgentWork.Batch> awaited = new ArrayList<>();
        for (AgentWork.Batch batch : batches) {
            List<AgentWork.Task> tasks = !batch.kind().awaited() ? batch.tasks()
                    : batch.tasks().stream().filter(t -> pending.containsKey(t.signature())).toList();
            if (!tasks.isEmpty()) {
                awaited.add(tasks.size() == batch.tasks().size() ? batch
                        : new AgentWork.Batch(batch.backendId(), batch.kind(), tasks));
            }
        }
        return awaited;
    }
}
