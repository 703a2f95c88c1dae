package io.snapbus.jobs.backup.shell;

import io.snapbus.avro.BackendHeartbeat;
import io.snapbus.avro.BackendStatusRecord;
import io.snapbus.kafka.KafkaClients;
import io.snapbus.kafka.SnapbusTopic;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Follows the nodes' task reports (the running signatures in each agent heartbeat on the backends topic) from its
 * end and tells the backup jobs which of their tasks are running, so a slow task is not taken for a lost one and
 * re-sent, and bounded retry never gives up on work a node is still doing. Only the newest reports matter, so no
 * consumer group and no offsets: every job-service instance reads from the end.
 */
public class NodeTaskReports implements SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(NodeTaskReports.class);

    private final KafkaClients clients;
    private final BackupService backups;
    private volatile Thread thread;
    private volatile Consumer<String, BackendStatusRecord> consumer;

    public NodeTaskReports(KafkaClients clients, BackupService backups) {
        this.clients = clients;
        this.backups = backups;
    }

    @Override
    public void start() {
        consumer = clients.<BackendStatusRecord>consumerFactory("snapbus-job-service-task-reports").createConsumer();
        String topic = clients.catalogue().name(SnapbusTopic.BACKENDS);
        List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        thread = new Thread(this::follow, "node-task-reports");
        thread.setDaemon(true);
        thread.start();
    }

    private void follow() {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                for (ConsumerRecord<String, BackendStatusRecord> record : consumer.poll(Duration.ofSeconds(1))) {
                    if (record.value() != null && record.value().getPart() instanceof BackendHeartbeat heartbeat) {
                        Set<Long> running = new HashSet<>();
                        heartbeat.getRunningTasks().values().forEach(running::addAll);
                        backups.tasksRunning(record.value().getBackendId(), running);
                    }
                }
            }
        } catch (WakeupException e) {
            // stopping
        } catch (RuntimeException e) {
            log.error("following the nodes' task reports stopped; slow tasks may be re-sent needlessly", e);
        } finally {
            consumer.close();
        }
    }

    @Override
    public void stop() {
        Thread t = thread;
        thread = null;
        if (t != null) {
            consumer.wakeup();
        }
    }

    @Override
    public boolean isRunning() {
        return thread != null;
    }

    @Override
    public int getPhase() {
        return 20; // after the backup jobs are resumed
    }
}
