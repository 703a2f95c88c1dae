package io.snapbus.agent.observe;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * The agent's own meters (docs/observability.md), tagged by {@code kind} (task type) and {@code outcome}: tasks taken
 * from agent-tasks, tasks submitted to their node, reports published to task-results, and the latency of the Thrift
 * calls to storage nodes.
 */
public final class AgentMetrics {
    /** The instance on Micrometer's global registry, to which Spring Boot adds its registries (Prometheus). */
    private static final AgentMetrics GLOBAL = new AgentMetrics(Metrics.globalRegistry);

    private final MeterRegistry registry;

    public AgentMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public static AgentMetrics global() {
        return GLOBAL;
    }

    /** A batch of {@code tasks} read from agent-tasks. */
    public void tasksTaken(String kind, int tasks) {
        Counter.builder("snapbus.agent.tasks.taken").description("Agent tasks read from agent-tasks")
                .tags("kind", kind).register(registry).increment(tasks);
    }

    /** {@code tasks} handed to their node ({@code ok}) or failed before it accepted them. */
    public void tasksSubmitted(String kind, int tasks, boolean ok) {
        Counter.builder("snapbus.agent.tasks.submitted")
                .description("Agent tasks submitted to their storage node (outcome ok), or failed on the way")
                .tags("kind", kind, "outcome", ok ? "ok" : "failed").register(registry).increment(tasks);
    }

    /** Finish or progress reports published to task-results. */
    public void reportsPublished(String event, int reports) {
        Counter.builder("snapbus.agent.reports.published").description("Task reports published to task-results")
                .tags("event", event).register(registry).increment(reports);
    }

    /** One Thrift call to a storage node ({@code method}: submit_tasks, a load call, heartbeat). */
    public void thriftCall(String method, long nanos, boolean ok) {
        Timer.builder("snapbus.agent.thrift.call").description("Thrift calls to storage nodes")
                .tags("method", method, "outcome", ok ? "ok" : "failed").register(registry)
                .record(Duration.ofNanos(nanos));
    }
}
