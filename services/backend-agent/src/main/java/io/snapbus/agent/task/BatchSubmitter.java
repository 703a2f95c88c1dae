package io.snapbus.agent.task;

import io.snapbus.agent.observe.AgentMetrics;
import io.snapbus.agent.catalog.BackendDirectory;
import io.snapbus.agent.report.AvroReports;
import io.snapbus.agent.report.ResultPublisher;
import io.snapbus.avro.AgentTask;
import io.snapbus.avro.AgentTaskBatch;
import io.snapbus.avro.BackendDef;
import io.snapbus.avro.LoadWriteRequest;
import io.snapbus.avro.PublishVersionRequest;
import io.snapbus.avro.TaskFinished;
import io.snapbus.avro.TaskResult;
import io.snapbus.avro.TaskStatus;
import io.snapbus.avro.TaskType;
import io.snapbus.thrift.BackendService;
import io.snapbus.thrift.TAgentResult;
import io.snapbus.thrift.TAgentTaskRequest;
import io.snapbus.thrift.TSnapbusLoadFormat;
import io.snapbus.thrift.TSnapbusLoadPublishRequest;
import io.snapbus.thrift.TSnapbusLoadResult;
import io.snapbus.thrift.TSnapbusLoadWriteRequest;
import io.snapbus.thrift.TStatusCode;
import io.snapbus.thrift.rpc.ThriftCallException;
import io.snapbus.thrift.rpc.ThriftClientPool;
import io.snapbus.thrift.rpc.ThriftEndpoint;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.thrift.TException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Executes one agent-task batch against its storage node: agent tasks in one {@code submit_tasks} call (their
 * results arrive later through finishTask), load writes and publishes as direct calls whose answers are published
 * at once. Any failure to hand tasks over becomes a failed TaskFinished per task, so the job-service sees it.
 */
public final class BatchSubmitter {
    private static final Logger log = LoggerFactory.getLogger(BatchSubmitter.class);

    private final BackendDirectory backends;
    private final ThriftClientPool<BackendService.Client> nodes;
    private final ResultPublisher publisher;
    private final SubmittedTasks submitted;
    private final Duration unknownBackendWait;
    /**
     * Load calls of one batch in flight at once: each writes or publishes one tablet's rowset with its fsyncs on the
     * node, so one at a time leaves the node's disk and threads idle (a 30 000-tablet load is 30 000 calls).
     */
    public static final int LOAD_CALL_PARALLELISM = 8;
    private final java.util.concurrent.ExecutorService loadCalls = java.util.concurrent.Executors.newFixedThreadPool(
            LOAD_CALL_PARALLELISM, r -> {
                Thread t = new Thread(r, "load-calls");
                t.setDaemon(true);
                return t;
            });

    public BatchSubmitter(BackendDirectory backends, ThriftClientPool<BackendService.Client> nodes,
            ResultPublisher publisher, SubmittedTasks submitted, Duration unknownBackendWait) {
        this.backends = backends;
        this.nodes = nodes;
        this.publisher = publisher;
        this.submitted = submitted;
        this.unknownBackendWait = unknownBackendWait;
    }

    /**
     * Runs the batch; returns once the node accepted it or its failure was published.
     *
     * @throws ResultPublisher.PublishException when a result could not be published (the batch must be retried)
     */
    public void submit(AgentTaskBatch batch) throws ResultPublisher.PublishException, InterruptedException {
        long now = System.currentTimeMillis();
        if (batch.getDeadlineMs() > 0 && now > batch.getDeadlineMs()) {
            log.warn("batch {} (job {}, {} x{} for backend {}) dropped: its deadline passed {} ms ago",
                    batch.getBatchId(), batch.getJobId(), batch.getTaskType(), batch.getTasks().size(),
                    batch.getBackendId(), now - batch.getDeadlineMs());
            return;
        }
        Optional<BackendDef> backend = backends.await(batch.getBackendId(), unknownBackendWait);
        if (backend.isEmpty()) {
            failAll(batch, AvroReports.status(TStatusCode.NOT_FOUND,
                    "backend " + batch.getBackendId() + " is not in the catalog"));
            return;
        }
        ThriftEndpoint endpoint = BackendDirectory.endpointOf(backend.get());
        switch (batch.getTaskType()) {
            case LOAD_WRITE, PUBLISH_VERSION -> runLoadCalls(batch, endpoint);
            default -> submitAgentTasks(batch, endpoint);
        }
    }

    private void submitAgentTasks(AgentTaskBatch batch, ThriftEndpoint endpoint)
            throws ResultPublisher.PublishException {
        List<TAgentTaskRequest> requests;
        try {
            requests = TaskTranslator.translate(batch);
        } catch (RuntimeException e) {
            failAll(batch, AvroReports.status(TStatusCode.INVALID_ARGUMENT, e.getMessage()));
            return;
        }
        TAgentResult answer;
        try {
            // A node runs a known signature once, so a submission lost with a connection the node closed (it
            // restarted) is made again on a new one instead of failing every task of the batch.
            long started = System.nanoTime();
            try {
                answer = nodes.callRepeatable(endpoint, c -> c.submit_tasks(requests));
            } catch (TException e) {
                AgentMetrics.global().thriftCall("submit_tasks", System.nanoTime() - started, false);
                throw e;
            }
            AgentMetrics.global().thriftCall("submit_tasks", System.nanoTime() - started, true);
        } catch (TException e) {
            AgentMetrics.global().tasksSubmitted(batch.getTaskType().name(), requests.size(), false);
            log.warn("batch {} (job {}, {} x{}) not submitted to backend {} at {}: {}", batch.getBatchId(),
                    batch.getJobId(), batch.getTaskType(), requests.size(), batch.getBackendId(), endpoint,
                    e.getMessage());
            failAll(batch, AvroReports.status(TStatusCode.THRIFT_RPC_ERROR, e.getMessage()));
            return;
        }
        if (answer.getStatus().getStatus_code() != TStatusCode.OK) {
            log.warn("backend {} refused batch {}: {}", batch.getBackendId(), batch.getBatchId(), answer.getStatus());
            AgentMetrics.global().tasksSubmitted(batch.getTaskType().name(), requests.size(), false);
            failAll(batch, AvroReports.status(answer.getStatus()));
            return;
        }
        if (batch.getTaskType() == TaskType.UPLOAD || batch.getTaskType() == TaskType.DOWNLOAD) {
            batch.getTasks().forEach(t -> submitted.remember(t.getSignature(), batch.getBackendId()));
        }
        AgentMetrics.global().tasksSubmitted(batch.getTaskType().name(), requests.size(), true);
        log.info("batch {} (job {}, {} x{}, attempt {}) submitted to backend {}", batch.getBatchId(),
                batch.getJobId(), batch.getTaskType(), requests.size(), batch.getAttempt(), batch.getBackendId());
    }

    private void runLoadCalls(AgentTaskBatch batch, ThriftEndpoint endpoint) throws ResultPublisher.PublishException {
        List<java.util.concurrent.CompletableFuture<TaskResult>> calls = new ArrayList<>();
        for (AgentTask task : batch.getTasks()) {
            calls.add(java.util.concurrent.CompletableFuture.supplyAsync(() -> loadResult(batch, endpoint, task),
                    loadCalls));
        }
        List<TaskResult> results = new ArrayList<>();
        calls.forEach(call -> results.add(call.join()));
        publisher.publishResults(results);
        log.info("batch {} (job {}, {} x{}) ran on backend {}", batch.getBatchId(), batch.getJobId(),
                batch.getTaskType(), results.size(), batch.getBackendId());
    }

    private TaskResult loadResult(AgentTaskBatch batch, ThriftEndpoint endpoint, AgentTask task) {
        TaskStatus status;
        TSnapbusLoadResult answer = null;
        try {
            long started = System.nanoTime();
            try {
                answer = nodes.call(endpoint, c -> loadCall(c, batch.getTaskType(), task));
            } finally {
                AgentMetrics.global().thriftCall(batch.getTaskType().name().toLowerCase(java.util.Locale.ROOT),
                        System.nanoTime() - started, answer != null);
            }
            status = AvroReports.status(answer.getStatus());
        } catch (ThriftCallException e) {
            status = AvroReports.status(TStatusCode.THRIFT_RPC_ERROR, e.getMessage());
        } catch (TException | RuntimeException e) {
            status = AvroReports.status(TStatusCode.INVALID_ARGUMENT, e.getMessage());
        }
        TaskFinished.Builder finished = TaskFinished.newBuilder().setStatus(status);
        if (answer != null && answer.isSetTablet_info()) {
            finished.setFinishTabletInfos(List.of(AvroReports.tabletInfo(answer.getTablet_info())));
        }
        return publisher.result(batch.getBackendId(), task.getSignature(), batch.getTaskType())
                .setEvent(finished.build()).build();
    }

    private static TSnapbusLoadResult loadCall(BackendService.Client client, TaskType type, AgentTask task)
            throws TException {
        var tablet = TaskTranslator.tablet(task);
        if (type == TaskType.LOAD_WRITE) {
            LoadWriteRequest request = TaskTranslator.request(task, LoadWriteRequest.class);
            TSnapbusLoadWriteRequest write = new TSnapbusLoadWriteRequest(request.getTxnId(), tablet.getTabletId(),
                    tablet.getSchemaHash(), switch (request.getFormat()) {
                        case NDJSON -> TSnapbusLoadFormat.NDJSON;
                        case CSV -> TSnapbusLoadFormat.CSV;
                    }, request.getRows().duplicate());
            write.setRow_count(request.getRowCount());
            return client.snapbus_load_write(write);
        }
        PublishVersionRequest request = TaskTranslator.request(task, PublishVersionRequest.class);
        return client.snapbus_load_publish(new TSnapbusLoadPublishRequest(request.getTxnId(), tablet.getTabletId(),
                request.getVersion()));
    }

    private void failAll(AgentTaskBatch batch, TaskStatus status) throws ResultPublisher.PublishException {
        List<TaskResult> failures = batch.getTasks().stream()
                .map(t -> publisher.failure(batch.getBackendId(), t.getSignature(), batch.getTaskType(), status))
                .toList();
        publisher.publishResults(failures);
    }
}
