package io.snapbus.jobs.engine;

import io.snapbus.avro.PendingTaskKind;
import io.snapbus.avro.PendingTaskState;
import io.snapbus.avro.PendingTaskStatus;

/** An awaited task as both job types persist it ({@code PendingTaskState}), and back, exactly. */
public final class PendingTaskStates {
    private PendingTaskStates() {}

    public static PendingTaskState of(PendingTask task) {
        return PendingTaskState.newBuilder()
                .setSignature(task.signature())
                .setKind(PendingTaskKind.valueOf(task.kind().name()))
                .setBackendId(task.backendId())
                .setTabletIds(task.tabletIds())
                .setSentAtMs(task.sentAtMs())
                .setAttempt(task.attempt())
                .setLastSentMs(task.lastSentMs())
                .setBackoffMs(task.backoffMs())
                .setNextRetryMs(task.nextRetryMs())
                .setStatus(PendingTaskStatus.valueOf(task.status().name()))
                .setLastError(task.lastError())
                .build();
    }

    /** The task exactly as the job held it when it was persisted. */
    public static PendingTask task(PendingTaskState state) {
        return new PendingTask(state.getSignature(), AgentWork.Kind.valueOf(state.getKind().name()),
                state.getBackendId(), state.getTabletIds(), state.getSentAtMs(), state.getAttempt(),
                state.getLastSentMs(), state.getBackoffMs(), state.getNextRetryMs(),
                PendingTask.Status.valueOf(state.getStatus().name()), state.getLastError());
    }
}
