package io.snapbus.agent.observe;

import io.snapbus.agent.BackendAgent;
import io.snapbus.agent.ownership.Ownership;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Health {@code agentTasks} (in the readiness group): UP once this agent's consumer took part in a rebalance of the
 * agents' group and was assigned its agent-tasks partitions (none, when there are more agents than partitions: a spare
 * agent is ready to take over); DOWN before, while it cannot yet own a backend.
 */
public class AgentTasksHealthIndicator implements HealthIndicator {
    private final BackendAgent agent;

    public AgentTasksHealthIndicator(BackendAgent agent) {
        this.agent = agent;
    }

    @Override
    public Health health() {
        Ownership.Snapshot owned = agent.ownership();
        Health.Builder health = agent.isRunning() && owned.epoch() > 0 ? Health.up() : Health.down();
        return health.withDetail("agent", agent.id())
                .withDetail("partitions", owned.partitions().stream().sorted().toList())
                .withDetail("partitionCount", owned.partitionCount())
                .withDetail("epoch", owned.epoch())
                .build();
    }
}
