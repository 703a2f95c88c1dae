package io.snapbus.node.task;

import io.snapbus.node.observe.NodeMetrics;
import io.snapbus.node.rpc.FinishReporter;
import io.snapbus.thrift.TAgentTaskRequest;
import io.snapbus.thrift.TFinishTaskRequest;
import io.snapbus.thrift.TStatus;
import io.snapbus.thrift.TStatusCode;
import io.snapbus.thrift.TTaskType;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepts agent tasks (submit_tasks) and runs each on the worker pool of its type, one run per signature; every
 * run ends in a finish report to the owning agent. Unknown types and malformed requests are refused at submission
 * with INVALID_ARGUMENT, as Doris's BE does.
 */
public final class TaskDispatcher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TaskDispatcher.class);
    private static final int FINISHED_REMEMBERED = 50_000;

    /** A task type the node runs: its runner and worker count. */
    public record Worker(TaskRunner runner, int threads) {}

    private final String host;
    private final FinishReporter reporter;
    private final TaskRegistry registry = new TaskRegistry(FINISHED_REMEMBERED);
    private final Map<TTaskType, TaskRunner> runners = new EnumMap<>(TTaskType.class);
    private final Map<TTaskType, ExecutorService> pools = new EnumMap<>(TTaskType.class);

    private final NodeMetrics metrics;

    public TaskDispatcher(String host, FinishReporter reporter, Map<TTaskType, Worker> workers) {
        this(host, reporter, workers, new NodeMetrics());
    }

    /** @param metrics where each finished task is metered (type, outcome, duration, files and bytes moved) */
    public TaskDispatcher(String host, FinishReporter reporter, Map<TTaskType, Worker> workers, NodeMetrics metrics) {
        this.host = host;
        this.reporter = reporter;
        this.metrics = metrics;
        workers.forEach((type, worker) -> {
            runners.put(type, worker.runner());
            pools.put(type, Executors.newFixedThreadPool(worker.threads(), named(type)));
        });
    }

    /** Queues the tasks; the answer is OK unless one was refused, whose reason it then carries. */
    public TStatus submit(List<TAgentTaskRequest> tasks) {
        List<String> refusals = new ArrayList<>();
        for (TAgentTaskRequest task : tasks) {
            refusal(task).ifPresentOrElse(refusals::add, () -> admit(task));
        }
        if (refusals.isEmpty()) {
            return TaskFailures.ok();
        }
        TStatus status = new TStatus(TStatusCode.INVALID_ARGUMENT);
        status.setError_msgs(refusals);
        return status;
    }

    private Optional<String> refusal(TAgentTaskRequest task) {
        TTaskType type = task.getTask_type();
        if (type == null) {
            return Optional.of("task " + task.getSignature() + " has an unknown task type; this node runs "
                    + runners.keySet());
        }
        TaskRunner runner = runners.get(type);
        if (runner == null) {
            return Optional.of("task type " + type + " (" + type.getValue() + ") is not supported by this node;"
                    + " it runs " + runners.keySet());
        }
        return runner.validate(task).map(reason -> type + " " + task.getSignature() + ": " + reason);
    }

    private void admit(TAgentTaskRequest task) {
        TTaskType type = task.getTask_type();
        long signature = task.getSignature();
        switch (registry.admit(type, signature)) {
            case RUN -> pools.get(type).execute(() -> run(task));
            case ALREADY_RUNNING -> log.debug("{} {} is already running; duplicate acknowledged", type, signature);
            case ALREADY_FINISHED -> registry.finishedReport(type, signature).ifPresentOrElse(report -> {
                log.info("{} {} already finished; its finish report is sent again", type, signature);
                send(type, signature, report);
            }, () -> pools.get(type).execute(() -> run(task))); // forgotten since admission: run it again
        }
    }

    private void run(TAgentTaskRequest task) {
        TFinishTaskRequest report = new TFinishTaskRequest();
        report.setTask_type(task.getTask_type());
        report.setSignature(task.getSignature());
        long started = System.nanoTime();
        try {
            runners.get(task.getTask_type()).run(task, report);
            report.setTask_status(TaskFailures.ok());
        } catch (Exception | Error e) {
            report.setTask_status(TaskFailures.of(host, e));
            if (e instanceof Error || TaskFailures.codeOf(e) == TStatusCode.INTERNAL_ERROR) {
                log.error("{} {} failed unexpectedly", task.getTask_type(), task.getSignature(), e);
            }
        }
        long nanos = System.nanoTime() - started;
        log.info("{} {} finished in {} ms: {}", task.getTask_type(), task.getSignature(), nanos / 1_000_000,
                report.getTask_status());
        metrics.taskFinished(task.getTask_type().name(),
                report.getTask_status().getStatus_code() == TStatusCode.OK, nanos, report);
        registry.finish(task.getTask_type(), task.getSignature(), report);
        send(task.getTask_type(), task.getSignature(), report);
    }

    /** Queues a copy of the report; the task stops counting as running once an agent took it. */
    private void send(TTaskType type, long signature, TFinishTaskRequest report) {
        reporter.submit(report.deepCopy(), () -> registry.delivered(type, signature));
    }

    /** Signatures per type of the tasks queued, running, or with an undelivered finish report: the task report. */
    public Map<TTaskType, Set<Long>> running() {
        return registry.running();
    }

    @Override
    public void close() {
        pools.values().forEach(ExecutorService::shutdownNow);
        for (ExecutorService pool : pools.values()) {
            try {
                pool.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static ThreadFactory named(TTaskType type) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, type.name().toLowerCase() + "-worker-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
