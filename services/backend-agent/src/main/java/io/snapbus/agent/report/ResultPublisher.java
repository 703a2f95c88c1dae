package io.snapbus.agent.report;

import io.snapbus.agent.observe.AgentMetrics;
import io.snapbus.avro.BackendStatusRecord;
import io.snapbus.avro.TaskFinished;
import io.snapbus.avro.TaskProgress;
import io.snapbus.avro.TaskResult;
import io.snapbus.avro.TaskStatus;
import io.snapbus.avro.TaskType;
import io.snapbus.kafka.SnapbusTopic;
import io.snapbus.contract.TaskSignatures;
import io.snapbus.kafka.TopicCatalogue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.avro.specific.SpecificRecord;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * Publishes what nodes report: task results keyed by the job that owns the signature, and backend status parts.
 * The synchronous methods return only once the broker acknowledged every record.
 */
public final class ResultPublisher {
    private final KafkaTemplate<String, SpecificRecord> template;
    private final String taskResults;
    private final String backends;
    private final String agentId;
    private final Duration ackTimeout;

    public ResultPublisher(KafkaTemplate<String, SpecificRecord> template, TopicCatalogue catalogue, String agentId,
            Duration ackTimeout) {
        this.template = template;
        this.taskResults = catalogue.name(SnapbusTopic.TASK_RESULTS);
        this.backends = catalogue.name(SnapbusTopic.BACKENDS);
        this.agentId = agentId;
        this.ackTimeout = ackTimeout;
    }

    public String agentId() {
        return agentId;
    }

    /** A TaskResult shell for a task: job id from the signature, this agent, now. */
    public TaskResult.Builder result(long backendId, long signature, TaskType type) {
        return TaskResult.newBuilder()
                .setJobId(TaskSignatures.owner(signature))
                .setBackendId(backendId)
                .setAgentId(agentId)
                .setSignature(signature)
                .setTaskType(type)
                .setReportedAtMs(System.currentTimeMillis());
    }

    public TaskResult failure(long backendId, long signature, TaskType type, TaskStatus status) {
        return result(backendId, signature, type).setEvent(TaskFinished.newBuilder().setStatus(status).build())
                .build();
    }

    public TaskResult progress(long backendId, long signature, TaskType type, int finished, int total) {
        return result(backendId, signature, type)
                .setEvent(TaskProgress.newBuilder().setFinishedNum(finished).setTotalNum(total).build())
                .build();
    }

    /** Publishes results and waits for the broker's acknowledgement of all of them. */
    public void publishResults(List<TaskResult> results) throws PublishException {
        List<CompletableFuture<?>> sends = new ArrayList<>();
        try {
            for (TaskResult result : results) {
                sends.add(template.send(taskResults, Long.toString(result.getJobId()), result));
            }
        } catch (RuntimeException e) {
            throw new PublishException("cannot send to Kafka: " + e, e);
        }
        await(sends);
        results.forEach(result -> AgentMetrics.global().reportsPublished(event(result), 1));
    }

    private static String event(TaskResult result) {
        return result.getEvent() instanceof io.snapbus.avro.TaskProgress ? "progress" : "finished";
    }

    public void publishResult(TaskResult result) throws PublishException {
        publishResults(List.of(result));
    }

    /** Publishes without waiting (progress: the next report supersedes a lost one). */
    public CompletableFuture<?> publishResultAsync(TaskResult result) {
        return template.send(taskResults, Long.toString(result.getJobId()), result)
                .whenComplete((sent, error) -> {
                    if (error == null) {
                        AgentMetrics.global().reportsPublished(event(result), 1);
                    }
                });
    }

    public void publishBackendStatus(List<BackendStatusRecord> parts, List<String> keys) throws PublishException {
        List<CompletableFuture<?>> sends = new ArrayList<>();
        try {
            for (int i = 0; i < parts.size(); i++) {
                sends.add(template.send(backends, keys.get(i), parts.get(i)));
            }
        } catch (RuntimeException e) {
            throw new PublishException("cannot send to Kafka: " + e, e);
        }
        await(sends);
    }

    private void await(List<CompletableFuture<?>> sends) throws PublishException {
        long deadline = System.nanoTime() + ackTimeout.toNanos();
        try {
            for (CompletableFuture<?> send : sends) {
                send.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PublishException("interrupted while waiting for Kafka", e);
        } catch (ExecutionException e) {
            throw new PublishException("Kafka refused the record: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new PublishException("no Kafka acknowledgement within " + ackTimeout.toMillis() + " ms", e);
        } catch (RuntimeException e) {
            throw new PublishException("cannot send to Kafka: " + e, e);
        }
    }

    /** A record was not acknowledged by Kafka. */
    public static final class PublishException extends Exception {
        public PublishException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
