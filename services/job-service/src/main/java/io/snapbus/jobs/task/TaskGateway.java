package io.snapbus.jobs.task;

import io.snapbus.avro.AgentTask;
import io.snapbus.avro.AgentTaskBatch;
import io.snapbus.avro.CreateTabletRequest;
import io.snapbus.avro.DownloadRequest;
import io.snapbus.avro.LoadWriteRequest;
import io.snapbus.avro.TaskFinished;
import io.snapbus.avro.TaskResult;
import io.snapbus.avro.TaskType;
import io.snapbus.avro.UploadRequest;
import io.snapbus.kafka.SnapbusTopic;
import io.snapbus.kafka.TopicCatalogue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.avro.specific.SpecificRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/**
 * The only place that sends agent tasks and receives their results: publishes batches to agent-tasks keyed by backend
 * id (split so no record nears the broker's limit) and routes every task result to the listener of its job.
 */
@Component
public class TaskGateway {
    /** A batch record stays below this many bytes (the broker's default limit is 1 MiB). */
    static final int MAX_BATCH_BYTES = 900 * 1024;
    /** Bytes a task costs in a batch besides its rows: signature, tablet ref, request fields. */
    private static final int TASK_OVERHEAD_BYTES = 512;
    private static final Logger log = LoggerFactory.getLogger(TaskGateway.class);

    private final KafkaTemplate<String, SpecificRecord> template;
    private final String topic;
    private final Map<Long, List<Consumer<TaskResult>>> listeners = new ConcurrentHashMap<>();
    private final CompletableFuture<Void> backlogDelivered = new CompletableFuture<>();

    public TaskGateway(KafkaTemplate<String, SpecificRecord> template, TopicCatalogue topics) {
        this.template = template;
        this.topic = topics.name(SnapbusTopic.AGENT_TASKS);
    }

    /**
     * Completes once every result that was on task-results when this service started has been delivered: until then
     * a resumed job must not re-send a task whose result may still be waiting in the topic.
     */
    public CompletableFuture<Void> backlogDelivered() {
        return backlogDelivered;
    }

    void markBacklogDelivered() {
        if (backlogDelivered.complete(null)) {
            log.info("every result that waited on {} at start is delivered; resumed jobs' timers run", "task-results");
        }
    }

    /** A listener's subscription; closing it stops the delivery. */
    public interface Registration extends AutoCloseable {
        @Override
        void close();
    }

    /** Publishes the batch (split into parts when large) and waits for the broker's acknowledgement. */
    public void send(AgentTaskBatch batch) {
        List<CompletableFuture<?>> sends = new ArrayList<>();
        for (AgentTaskBatch part : split(batch)) {
            sends.add(template.send(topic, Long.toString(part.getBackendId()), part));
        }
        try {
            CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sending batch " + batch.getBatchId(), e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot send agent task batch " + batch.getBatchId() + " to " + topic + ": "
                    + e.getMessage(), e);
        }
    }

    /** Delivers every result of {@code jobId} to {@code listener} until the registration is closed. */
    public Registration register(long jobId, Consumer<TaskResult> listener) {
        listeners.computeIfAbsent(jobId, id -> new CopyOnWriteArrayList<>()).add(listener);
        return () -> listeners.computeIfPresent(jobId, (id, list) -> {
            list.remove(listener);
            return list.isEmpty() ? null : list;
        });
    }

    /**
     * Sends the batches and completes with the finish report of every task, keyed by signature, once all arrived; fails
     * with a {@link TaskTimeoutException} naming the missing tasks when {@code timeout} passes first.
     */
    public CompletableFuture<Map<Long, TaskFinished>> sendAndAwait(long jobId, List<AgentTaskBatch> batches,
            Duration timeout) {
        Map<Long, AgentTask> expected = new ConcurrentHashMap<>();
        Map<Long, Long> backendOf = new ConcurrentHashMap<>();
        for (AgentTaskBatch batch : batches) {
            if (batch.getJobId() != jobId) {
                throw new IllegalArgumentException("batch " + batch.getBatchId() + " belongs to job " + batch.getJobId()
                        + ", not " + jobId);
            }
            for (AgentTask task : batch.getTasks()) {
                expected.put(task.getSignature(), task);
                backendOf.put(task.getSignature(), batch.getBackendId());
            }
        }
        Map<Long, TaskFinished> finished = new ConcurrentHashMap<>();
        CompletableFuture<Map<Long, TaskFinished>> result = new CompletableFuture<>();
        Registration registration = register(jobId, taskResult -> {
            if (taskResult.getEvent() instanceof TaskFinished done && expected.containsKey(taskResult.getSignature())) {
                finished.putIfAbsent(taskResult.getSignature(), done);
                if (finished.size() == expected.size()) {
                    result.complete(Map.copyOf(finished));
                }
            }
        });
        if (expected.isEmpty()) {
            result.complete(Map.of());
        }
        CompletableFuture<Map<Long, TaskFinished>> bounded = result.copy()
                .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .exceptionallyCompose(error -> {
                    if (error instanceof TimeoutException) {
                        Set<String> missing = new TreeSet<>();
                        expected.forEach((signature, task) -> {
                            if (!finished.containsKey(signature)) {
                                missing.add(describe(signature, task, backendOf.get(signature)));
                            }
                        });
                        return CompletableFuture.failedFuture(new TaskTimeoutException(jobId, timeout, missing));
                    }
                    return CompletableFuture.failedFuture(error);
                });
        bounded.whenComplete((r, e) -> registration.close());
        try {
            batches.forEach(this::send);
        } catch (RuntimeException e) {
            registration.close();
            return CompletableFuture.failedFuture(e);
        }
        return bounded;
    }

    /** Hands a result to its job's listeners; results of jobs nobody listens to are logged and dropped. */
    void deliver(TaskResult result) {
        List<Consumer<TaskResult>> jobListeners = listeners.get(result.getJobId());
        if (jobListeners == null || jobListeners.isEmpty()) {
            if (result.getTaskType() == TaskType.RELEASE_SNAPSHOT) {
                // Releases are fire-and-forget and follow a job's end (cancel, an expired local snapshot): one line per
                // tablet would flood the log.
                log.debug("dropping RELEASE_SNAPSHOT result of signature {} for job {}", result.getSignature(),
                        result.getJobId());
                return;
            }
            log.info("dropping {} result of signature {} for job {}: no listener", result.getTaskType(),
                    result.getSignature(), result.getJobId());
            return;
        }
        for (Consumer<TaskResult> listener : jobListeners) {
            try {
                listener.accept(result);
            } catch (RuntimeException e) {
                log.warn("listener of job {} failed on signature {}", result.getJobId(), result.getSignature(), e);
            }
        }
    }

    static List<AgentTaskBatch> split(AgentTaskBatch batch) {
        List<AgentTaskBatch> parts = new ArrayList<>();
        List<AgentTask> current = new ArrayList<>();
        long bytes = 0;
        for (AgentTask task : batch.getTasks()) {
            long size = estimatedSize(task);
            if (!current.isEmpty() && bytes + size > MAX_BATCH_BYTES) {
                parts.add(part(batch, current, parts.size()));
                current = new ArrayList<>();
                bytes = 0;
            }
            current.add(task);
            bytes += size;
        }
        if (!current.isEmpty() || parts.isEmpty()) {
            parts.add(part(batch, current, parts.size()));
        }
        if (parts.size() == 1) {
            return List.of(batch);
        }
        return parts;
    }

    private static AgentTaskBatch part(AgentTaskBatch batch, List<AgentTask> tasks, int index) {
        // Not newBuilder(batch): an Avro builder deep-copies every field, the batch's whole task list included, for
        // every part (2.5 s to split 100 000 snapshot tasks into 56 parts). A shallow copy of the fields is enough.
        AgentTaskBatch part = new AgentTaskBatch();
        for (org.apache.avro.Schema.Field field : batch.getSchema().getFields()) {
            part.put(field.pos(), batch.get(field.pos()));
        }
        part.setBatchId(batch.getBatchId() + "/" + index);
        part.setTasks(tasks);
        return part;
    }

    private static long estimatedSize(AgentTask task) {
        long size = TASK_OVERHEAD_BYTES;
        if (task.getRequest() instanceof LoadWriteRequest write) {
            size += write.getRows().remaining();
        } else if (task.getRequest() instanceof CreateTabletRequest create) {
            size += 64L * create.getColumns().size();
        } else if (task.getRequest() instanceof UploadRequest upload) {
            size += pathBytes(upload.getSrcDestMap()) + 10L * upload.getTabletIds().size();
        } else if (task.getRequest() instanceof DownloadRequest download) {
            size += pathBytes(download.getSrcDestMap()) + 10L * download.getTabletIds().size()
                    + 3L * (download.getRepository().getName().length() + download.getRepository().getLocation().length())
                    + pathBytes(download.getRepository().getProperties());
        }
        return size;
    }

    /** A string map's bytes in the record, at most: 3 bytes a char (UTF-8) and a length prefix per string. */
    private static long pathBytes(Map<String, String> map) {
        long bytes = 0;
        for (Map.Entry<String, String> entry : map.entrySet()) {
            bytes += 3L * (entry.getKey().length() + entry.getValue().length()) + 10;
        }
        return bytes;
    }

    private static String describe(long signature, AgentTask task, Long backendId) {
        String tablet = task.getTablet() == null ? "" : " tablet " + task.getTablet().getTabletId();
        return task.getRequest().getClass().getSimpleName() + " " + signature + tablet + " on backend " + backendId;
    }
}
