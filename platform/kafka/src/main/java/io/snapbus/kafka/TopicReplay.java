package io.snapbus.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.support.serializer.SerializationUtils;

/**
 * Reads a (compacted) topic from the beginning up to its end offsets at call time: how a restarted service rebuilds
 * its state. An undecodable value is skipped and logged, never taken for a tombstone.
 */
public final class TopicReplay {
    private static final Logger log = LoggerFactory.getLogger(TopicReplay.class);

    private TopicReplay() {}

    /** Feeds every record to {@code sink} (a null value is a tombstone) and returns how many it read. */
    public static <V extends SpecificRecord> int replay(KafkaClients clients, String topic, Duration timeout,
            BiConsumer<String, V> sink) {
        int count = 0;
        try (Consumer<String, V> consumer = clients.<V>consumerFactory("snapbus-replay-" + topic).createConsumer()) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!reached(consumer, end)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("replay of " + topic + " did not reach " + end + " in " + timeout);
                }
                for (ConsumerRecord<String, V> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.value() == null && record.headers()
                            .lastHeader(SerializationUtils.VALUE_DESERIALIZER_EXCEPTION_HEADER) != null) {
                        log.error("{} record {} at offset {} cannot be decoded; skipped, its previous value stays",
                                topic, record.key(), record.offset());
                        continue;
                    }
                    sink.accept(record.key(), record.value());
                    count++;
                }
            }
        }
        return count;
    }

    private static boolean reached(Consumer<?, ?> consumer, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> partition : end.entrySet()) {
            if (consumer.position(partition.getKey()) < partition.getValue()) {
                return false;
            }
        }
        return true;
    }
}
