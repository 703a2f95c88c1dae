package io.snapbus.jobs.backup;

import java.util.List;

/** A task the job sent and still waits for. */
public record PendingTask(long signature, AgentWork.Kind kind, long backendId, List<Long> tabletIds, long sentAtMs) {
    public PendingTask {
        tabletIds = List.copyOf(tabletIds);
    }
}
