package io.snapbus.agent.task;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Which backend this agent sent recent upload tasks to, because a node's progress report does not name the node.
 * Bounded: the oldest entries are forgotten; a report about a forgotten (or never seen) task says backend -1.
 */
public final class SubmittedTasks {
    private static final int CAPACITY = 100_000;

    private final Map<Long, Long> backendBySignature = new LinkedHashMap<>(1024, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Long> eldest) {
            return size() > CAPACITY;
        }
    };

    public synchronized void remember(long signature, long backendId) {
        backendBySignature.put(signature, backendId);
    }

    public synchronized OptionalLong backendOf(long signature) {
        Long backend = backendBySignature.get(signature);
        return backend == null ? OptionalLong.empty() : OptionalLong.of(backend);
    }
}
