package io.snapbus.agent.observe;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class AgentMetricsTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final AgentMetrics metrics = new AgentMetrics(registry);

    @Test
    void tasksTakenSubmittedAndReportedAreCountedByKindAndOutcome() {
        metrics.tasksTaken("UPLOAD", 3);
        metrics.tasksSubmitted("UPLOAD", 2, true);
        metrics.tasksSubmitted("UPLOAD", 1, false);
        metrics.reportsPublished("finished", 2);
        metrics.reportsPublished("progress", 1);

        assertThat(registry.get("snapbus.agent.tasks.taken").tag("kind", "UPLOAD").counter().count()).isEqualTo(3);
        assertThat(registry.get("snapbus.agent.tasks.submitted").tags("kind", "UPLOAD", "outcome", "ok").counter()
                .count()).isEqualTo(2);
        assertThat(registry.get("snapbus.agent.tasks.submitted").tags("outcome", "failed").counter().count())
                .isEqualTo(1);
        assertThat(registry.get("snapbus.agent.reports.published").tag("event", "finished").counter().count())
                .isEqualTo(2);
    }

    @Test
    void thriftCallsAreTimedByMethodAndOutcome() {
        metrics.thriftCall("submit_tasks", 3_000_000, true);
        metrics.thriftCall("submit_tasks", 1_000_000, false);

        assertThat(registry.get("snapbus.agent.thrift.call").tags("method", "submit_tasks", "outcome", "ok").timer()
                .totalTime(java.util.concurrent.TimeUnit.MILLISECONDS)).isEqualTo(3);
        assertThat(registry.get("snapbus.agent.thrift.call").tags("outcome", "failed").timer().count()).isEqualTo(1);
    }
}
