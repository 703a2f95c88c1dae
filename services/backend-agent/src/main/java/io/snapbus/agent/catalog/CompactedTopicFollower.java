package io.snapbus.agent.catalog;

import io.snapbus.kafka.KafkaClients;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.support.serializer.ErrorHandlingDeserializer;

/**
 * Reads a compacted topic from the beginning and keeps following it, without a consumer group (all partitions
 * assigned), handing every record whose key it wants to a handler; a null value is a tombstone or a record no
 * deserializer could read. Values of other keys are not even decoded (the agents follow only the headers of the
 * backup-jobs topic, whose tablet chunks are most of its bytes).
 */
final class CompactedTopicFollower<V> implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CompactedTopicFollower.class);

    private final String topic;
    private final Map<String, Object> configs;
    private final BiConsumer<String, V> onRecord;
    private final Predicate<String> wanted;
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private volatile boolean running;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private Deserializer<V> values;
    private Thread thread;

    CompactedTopicFollower(KafkaClients clients, String topic, BiConsumer<String, V> onRecord) {
        this(clients, topic, key -> true, onRecord);
    }

    CompactedTopicFollower(KafkaClients clients, String topic, Predicate<String> wanted,
            BiConsumer<String, V> onRecord) {
        this.topic = topic;
        this.onRecord = onRecord;
        this.wanted = wanted;
        Map<String, Object> configs = clients.consumerConfigs("unused");
        configs.remove(ConsumerConfig.GROUP_ID_CONFIG);
        this.configs = configs;
    }

    synchronized void start() {
        running = true;
        values = new ErrorHandlingDeserializer<>();
        values.configure(configs, false);
        Map<String, Object> raw = new HashMap<>(configs);
        raw.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        consumer = new KafkaConsumer<>(raw);
        thread = new Thread(this::follow, "follow-" + topic);
        thread.setDaemon(true);
        thread.start();
    }

    /** True once everything that was in the topic at start has been handed to the handler. */
    boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        return caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void follow() {
        try {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (running) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (!wanted.test(record.key())) {
                        continue;
                    }
                    try {
                        V value = record.value() == null ? null
                                : values.deserialize(topic, record.headers(), record.value());
                        onRecord.accept(record.key(), value);
                    } catch (RuntimeException e) {
                        log.warn("{}: record {} at {}-{} skipped: {}", topic, record.key(), record.partition(),
                                record.offset(), e.toString());
                    }
                }
                if (caughtUp.getCount() > 0 && end.entrySet().stream()
                        .allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
                    log.info("{} read up to its end at start", topic);
                    caughtUp.countDown();
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            log.error("following {} stopped", topic, e);
        } finally {
            consumer.close(Duration.ofSeconds(2));
            values.close();
        }
    }

    @Override
    public synchronized void close() {
        running = false;
        if (consumer != null) {
            consumer.wakeup();
        }
        if (thread != null) {
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
