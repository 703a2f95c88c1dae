package io.snapbus.jobs.engine.shell;

import io.snapbus.avro.BackendHeartbeat;
import io.snapbus.avro.BackendStatusRecord;
import io.snapbus.jobs.StartupOrder;
import io.snapbus.kafka.KafkaClients;
import io.snapbus.kafka.SnapbusTopic;
import io.snapbus.kafka.TopicFollower;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.springframework.context.SmartLifecycle;

/**
 * Follows the nodes' task reports (the running signatures in each agent heartbeat on the backends topic) from its
 * end and tells the backup and restore jobs which of their tasks are running, so a slow task is not taken for a lost one and
 * re-sent, and bounded retry never gives up on work a node is still doing. Only the newest reports matter, so no
 * consumer group and no offsets: every job-service instance reads from the end.
 */
public class NodeTaskReports implements SmartLifecycle {
    private final KafkaClients clients;
    private final List<TasksRunningListener> listeners;
    private volatile TopicFollower<BackendStatusRecord> follower;

    public NodeTaskReports(KafkaClients clients, List<TasksRunningListener> listeners) {
        this.clients = clients;
        this.listeners = List.copyOf(listeners);
    }

    @Override
    public void start() {
        follower = TopicFollower.follow(clients, clients.catalogue().name(SnapbusTopic.BACKENDS),
                TopicFollower.From.END, key -> true, this::report);
    }

    private void report(String key, BackendStatusRecord record) {
        if (record != null && record.getPart() instanceof BackendHeartbeat heartbeat) {
            Set<Long> running = new HashSet<>();
            heartbeat.getRunningTasks().values().forEach(running::addAll);
            listeners.forEach(l -> l.tasksRunning(record.getBackendId(), running));
        }
    }

    @Override
    public void stop() {
        TopicFollower<?> started = follower;
        follower = null;
        if (started != null) {
            started.close();
        }
    }

    @Override
    public boolean isRunning() {
        return follower != null;
    }

    @Override
    public int getPhase() {
        return StartupOrder.NODE_REPORTS; // after the backup and restore jobs are resumed
    }
}
