package io.snapbus.agent.ownership;

import io.micrometer.core.instrument.Metrics;
import io.snapbus.agent.observe.AgentMetrics;
import io.snapbus.agent.report.ResultPublisher;
import io.snapbus.agent.task.BatchSubmitter;
import io.snapbus.avro.AgentTaskBatch;
import io.snapbus.kafka.KafkaClients;
import io.snapbus.kafka.SnapbusTopic;
import java.util.Collection;
import java.util.Properties;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.core.MicrometerConsumerListener;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.ConsumerAwareRebalanceListener;
import org.springframework.kafka.listener.MessageListener;

/**
 * This agent's membership in the agents' consumer group over agent-tasks: the partitions it is assigned decide the
 * backends it owns (and heartbeats); each batch read is submitted before its offset is committed (at-least-once).
 * A batch whose results cannot be published is retried, then goes to the dead-letter topic.
 */
public final class AgentTaskConsumer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AgentTaskConsumer.class);

    private final ConcurrentMessageListenerContainer<String, AgentTaskBatch> container;

    public AgentTaskConsumer(KafkaClients clients, String groupId, String agentId, BatchSubmitter submitter,
            Ownership ownership, BackendHeartbeats heartbeats) {
        String topic = clients.catalogue().name(SnapbusTopic.AGENT_TASKS);
        ConcurrentKafkaListenerContainerFactory<String, AgentTaskBatch> factory =
                clients.listenerContainerFactory(groupId);
        // The consumer's own metrics (records-lag, records-lag-max: the consumer lag of agent-tasks) as meters.
        factory.getConsumerFactory().addListener(new MicrometerConsumerListener<>(Metrics.globalRegistry));
        container = factory.createContainer(topic);
        container.setBeanName("agent-tasks-" + agentId);
        var properties = container.getContainerProperties();
        properties.setClientId(agentId);
        properties.setPollTimeout(500);
        Properties consumer = new Properties();
        // Quick hand-over when an agent joins or leaves: the group notices within a second or two.
        consumer.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "1000");
        consumer.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "10000");
        consumer.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "50");
        properties.setKafkaConsumerProperties(consumer);
        properties.setConsumerRebalanceListener(new ConsumerAwareRebalanceListener() {
            @Override
            public void onPartitionsRevokedBeforeCommit(Consumer<?, ?> consumer,
                    Collection<TopicPartition> partitions) {
                ownership.revoked(partitions);
                if (!partitions.isEmpty()) {
                    log.info("{} gave up agent-tasks partitions {}", agentId, numbers(partitions));
                }
            }

            @Override
            public void onPartitionsLost(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
                ownership.revoked(partitions);
                log.warn("{} lost agent-tasks partitions {}", agentId, numbers(partitions));
            }

            @Override
            public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
                int count = consumer.partitionsFor(topic).size();
                long generation = consumer.groupMetadata().generationId();
                ownership.assigned(partitions, count, generation);
                log.info("{} owns agent-tasks partitions {} (generation {}, heartbeat epoch {})", agentId,
                        ownership.current().partitions(), generation, ownership.current().epoch());
                heartbeats.beatSoon();
            }
        });
        container.setupMessageListener((MessageListener<String, AgentTaskBatch>) record -> {
            AgentTaskBatch batch = record.value();
            AgentMetrics.global().tasksTaken(batch.getTaskType().name(), batch.getTasks().size());
            try (MDC.MDCCloseable job = MDC.putCloseable("jobId", Long.toString(batch.getJobId()))) {
                submitter.submit(batch);
            } catch (ResultPublisher.PublishException e) {
                throw new IllegalStateException("results of batch " + record.value().getBatchId()
                        + " not published: " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        });
    }

    private static String numbers(Collection<TopicPartition> partitions) {
        return partitions.stream().map(TopicPartition::partition).sorted().toList().toString();
    }

    public void start() {
        container.start();
    }

    @Override
    public void close() {
        container.stop();
    }
}
