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
 * The task signatures this node knows: running ones (a duplicate is acknowledged, not run twice) and recently
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

    synchronized Admission admit(TTaskType type, long signature) {
        Key key = new Key(type, signature);
        if (running.contains(key)) {
            return Admission.ALREADY_RUNNING;
        }
        if (finished.containsKey(key)) {
            return Admission.ALREADY_FINISHED;
        }
        running.add(key);
        return Admission.RUN;
    }

    synchronized void finish(TTaskType type, long signature, TFinishTaskRequest report) {
        Key key = new Key(type, signature);
        running.remove(key);
        finished.put(key, report);
        if (finished.size() > finishedCapacity) {
            finished.remove(finished.keySet().iterator().next());
        }
    }

    synchronized Optional<TFinishTaskRequest> finishedReport(TTaskType type, long signature) {
        return Optional.ofNullable(finished.get(new Key(type, signature)));
    }

    /** Running signatures per type, for the task report. */
    synchronized Map<TTaskType, Set<Long>> running() {
        Map<TTaskType, Set<Long>> byType = new EnumMap<>(TTaskType.class);
        for (Key key : running) {
            byType.computeIfAbsent(key.type(), t -> new HashSet<>()).add(key.signature());
        }
        return byType;
    }
}
