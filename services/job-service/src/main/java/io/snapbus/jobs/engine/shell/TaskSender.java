package io.snapbus.jobs.engine.shell;

import io.snapbus.avro.AgentTask;
import io.snapbus.avro.AgentTaskBatch;
import io.snapbus.avro.TaskType;
import io.snapbus.jobs.engine.AgentWork;
import io.snapbus.jobs.engine.PendingTask;
import io.snapbus.jobs.engine.TaskBook;
import io.snapbus.jobs.observe.JobMetrics;
import io.snapbus.jobs.task.TaskGateway;
import java.util.List;
import java.util.function.Function;

/**
 * Sends a job's agent tasks through the gateway as AgentTaskBatch records, only those its current task book still
 * awaits (see {@link TaskBook#stillAwaited}); the job type turns each task value into its AgentTask.
 */
public final class TaskSender {
    private final TaskGateway gateway;
    private final String jobType;

    /** @param jobType what the metrics call the jobs ("backup") */
    public TaskSender(TaskGateway gateway, String jobType) {
        this.gateway = gateway;
        this.jobType = jobType;
    }

    /**
     * @param current  the job's tasks as just persisted
     * @param toRecord a task value as its AgentTask (signature, tablet, request)
     */
    public void send(long jobId, TaskBook current, List<AgentWork.Batch> batches,
            Function<AgentWork.Task, AgentTask> toRecord, long nowMs) {
        for (AgentWork.Batch batch : current.stillAwaited(batches)) {
            gateway.send(batch(jobId, batch, toRecord, nowMs));
            int resent = 0;
            for (AgentWork.Task task : batch.tasks()) {
                PendingTask pending = current.pending().get(task.signature());
                resent += pending != null && pending.attempt() > 1 ? 1 : 0;
            }
            JobMetrics.global().tasksSent(jobType, batch.kind().name(), batch.tasks().size() - resent, resent);
        }
    }

    static AgentTaskBatch batch(long jobId, AgentWork.Batch batch, Function<AgentWork.Task, AgentTask> toRecord,
            long nowMs) {
        List<AgentTask> tasks = batch.tasks().stream().map(toRecord).toList();
        return AgentTaskBatch.newBuilder()
                .setBatchId(jobId + "-" + batch.kind() + "-" + tasks.get(0).getSignature())
                .setJobId(jobId)
                .setBackendId(batch.backendId())
                .setTaskType(TaskType.valueOf(batch.kind().name()))
                .setAttempt(1)
                .setCreatedAtMs(nowMs)
                .setDeadlineMs(0)
                .setTasks(tasks)
                .build();
    }
}
