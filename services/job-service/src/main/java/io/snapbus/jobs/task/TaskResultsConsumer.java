package io.snapbus.jobs.task;

import io.snapbus.avro.TaskResult;
import io.snapbus.jobs.StartupOrder;
import io.snapbus.kafka.KafkaClients;
import io.snapbus.jobs.JobServiceProperties;
import io.snapbus.kafka.SnapbusTopic;
import java.util.Collection;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.TopicPartition;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.core.MicrometerConsumerListener;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.listener.ConsumerAwareRebalanceListener;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.MessageListener;
import org.springframework.stereotype.Component;

/** Consumes task-results (group {@value #GROUP}) and hands every result to the {@link TaskGateway}. */
@Component
class TaskResultsConsumer implements SmartLifecycle {
    static final String GROUP = "snapbus-job-service";

    private final ConcurrentMessageListenerContainer<String, TaskResult> container;
    /** Partition to the end offset it had at the first assignment, while results below it are still to come. */
    private final Map<TopicPartition, Long> backlog = new ConcurrentHashMap<>();
    private volatile boolean backlogMeasured;

    TaskResultsConsumer(KafkaClients clients, TaskGateway gateway, JobServiceProperties properties,
            MeterRegistry meters) {
        ConcurrentKafkaListenerContainerFactory<String, TaskResult> factory = clients.listenerContainerFactory(GROUP);
        // The consumer's own metrics (records-lag, records-lag-max: the consumer lag of task-results) as meters.
        factory.getConsumerFactory().addListener(new MicrometerConsumerListener<>(meters));
        container = factory.createContainer(clients.catalogue().name(SnapbusTopic.TASK_RESULTS));
        // Static membership: a job-service restarted after a crash takes the dead one's place in the group at once;
        // with dynamic membership it would hear no result until the dead member's session expired (45 s by default).
        Properties consumer = new Properties();
        consumer.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, properties.instanceId());
        consumer.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "10000");
        consumer.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "1000");
        container.getContainerProperties().setKafkaConsumerProperties(consumer);
        // One offset commit per poll, not one per record: a synchronous commit per result held the consumer to a few
        // hundred results a second, so at 300 000 tablets results waited minutes in the topic while their tasks came
        // due and were re-sent. A result only reaches an in-memory queue here anyway; one redelivered after a crash
        // is a duplicate the job ignores, one lost is re-sent under its signature and the node reports it again.
        container.getContainerProperties().setAckMode(ContainerProperties.AckMode.BATCH);
        container.getContainerProperties().setConsumerRebalanceListener(new ConsumerAwareRebalanceListener() {
            @Override
            public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
                measureBacklog(consumer, partitions, gateway);
            }
        });
        container.getContainerProperties().setMessageListener((MessageListener<String, TaskResult>) record -> {
            if (record.value() != null) {
                gateway.deliver(record.value());
            }
            TopicPartition partition = new TopicPartition(record.topic(), record.partition());
            Long end = backlog.get(partition);
            if (end != null && record.offset() + 1 >= end && backlog.remove(partition) != null && backlog.isEmpty()) {
                gateway.markBacklogDelivered();
            }
        });
        container.setBeanName("snapbus-task-results");
    }

    /**
     * At the first assignment, what the topic already holds beyond this group's position is the backlog a resumed
     * job waits for before it re-sends anything; a partition with none is caught up at once.
     */
    private void measureBacklog(Consumer<?, ?> consumer, Collection<TopicPartition> partitions, TaskGateway gateway) {
        if (backlogMeasured) {
            return;
        }
        backlogMeasured = true;
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
        for (TopicPartition partition : partitions) {
            long end = ends.getOrDefault(partition, 0L);
            if (consumer.position(partition) < end) {
                backlog.put(partition, end);
            }
        }
        if (backlog.isEmpty()) {
            gateway.markBacklogDelivered();
        }
    }

    @Override
    public void start() {
        container.start();
    }

    @Override
    public void stop() {
        container.stop();
    }

    @Override
    public boolean isRunning() {
        return container.isRunning();
    }

    /**
     * After the backup jobs are resumed ({@link StartupOrder}), so every result on the topic finds its job's listener
     * (started earlier, results of jobs not yet resumed were dropped with their offsets committed), and before the
     * REST API opens (readiness):
     * DDL waits on results as soon as requests arrive.
     */
    @Override
    public int getPhase() {
        return StartupOrder.TASK_RESULTS;
    }
}
