package io.snapbus.node.task;

import io.snapbus.thrift.TFinishTaskRequest;
import io.snapbus.thrift.TTaskType;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The task signatures this node knows: unfinished ones (a duplicate is acknowledged, not run twice), including
 * finished ones whose report is not delivered yet (a duplicate must not queue a second copy of it), and recently
 * finished ones with their finish report (a duplicate of those gets the report again, since the sender evidently
 * missed it). In memory only: after a restart a re-sent task runs again, which every task type tolerates.
 */
final class TaskRegistry {
    /** What to do with a submitted task. */
    enum Admission { RUN, ALREADY_RUNNING, ALREADY_FINISHED }

    private record Key(TTaskType type, long signature) {}

    private final int finishedCapacity;
    private final Set<Key> running = new HashSet<>();
    private final LinkedHashMap<Key, TFinishTaskRequest> finished = new LinkedHashMap<>();

    TaskRegistry(int finishedCapacity) {
        this.finishedCapacity = finishedCapacity;
    }

    /**
     * Whether to run a submitted task. A task that is not {@code ALREADY_RUNNING} counts as running from here until
     * {@link #delivered} (its new run, or the report sent again).
     */
    synchronized Admission admit(TTaskType type, long signature) {
        Key key = new Key(type, signature);
        if (running.contains(key)) {
            return Admission.ALREADY_RUNNING;
        }
        running.add(key);
        return finished.containsKey(key) ? Admission.ALREADY_FINISHED : Admission.RUN;
    }

    /** The task ended with {@code report}; it still counts as running until the report is delivered. */
    synchronized void finish(TTaskType type, long signature, TFinishTaskRequest report) {
        finished.put(new Key(type, signature), report);
        if (finished.size() > finishedCapacity) {
            finished.remove(finished.keySet().iterator().next());
        }
    }

    /** An agent took the task's finish report. */
    synchronized void delivered(TTaskType type, long signature) {
        running.remove(new Key(type, signature));
    }

    synchronized Optional<TFinishTaskRequest> finishedReport(TTaskType type, long signature) {
        return Optional.ofNullable(finished.get(new Key(type, signature)));
    }

    /**
     * Signatures per type of the tasks queued, running, or finished with their report not yet delivered: for the
     * task report, so the job does not take a task whose report waits on this node for a lost one.
     */
    synchronized Map<TTaskType, Set<Long>> running() {
        Map<TTaskType, Set<Long>> byType = new EnumMap<>(TTaskType.class);
        for (Key key : running) {
            byType.computeIfAbsent(key.type(), t -> new HashSet<>()).add(key.signature());
        }
        return byType;
    }
}
