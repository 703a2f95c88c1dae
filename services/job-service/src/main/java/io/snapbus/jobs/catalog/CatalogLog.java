package io.snapbus.jobs.catalog;

import io.snapbus.avro.CatalogRecord;
import io.snapbus.kafka.KafkaClients;
import io.snapbus.kafka.SnapbusTopic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.serializer.SerializationUtils;

/** The catalog's persistence: synchronous writes to the compacted catalog topic and its replay from the beginning. */
class CatalogLog {
    private static final Logger log = LoggerFactory.getLogger(CatalogLog.class);
    private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration REPLAY_TIMEOUT = Duration.ofMinutes(5);

    /** A key and its new value, or null to delete the key. */
    record Write(String key, CatalogRecord value) {}

    private final KafkaClients clients;
    private final KafkaTemplate<String, SpecificRecord> template;
    private final String topic;

    CatalogLog(KafkaClients clients, KafkaTemplate<String, SpecificRecord> template) {
        this.clients = clients;
        this.template = template;
        this.topic = clients.catalogue().name(SnapbusTopic.CATALOG);
    }

    /** Writes the records in order and returns once the broker acknowledged all of them. */
    void write(List<Write> writes) {
        List<CompletableFuture<?>> sends = new ArrayList<>(writes.size());
        for (Write write : writes) {
            sends.add(template.send(topic, write.key(), write.value()));
        }
        try {
            CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new))
                    .get(WRITE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CatalogWriteException("interrupted while persisting the catalog", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new CatalogWriteException("cannot persist the catalog change to " + topic + ": " + e.getMessage(), e);
        }
    }

    /** Feeds every record from the beginning up to the end offsets at call time to {@code sink} (null = tombstone). */
    int replay(BiConsumer<String, CatalogRecord> sink) {
        int count = 0;
        try (Consumer<String, CatalogRecord> consumer = clients.<CatalogRecord>consumerFactory(
                "snapbus-job-service-catalog-replay").createConsumer()) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
            List<TopicPartition> partitions = infos.stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + REPLAY_TIMEOUT.toNanos();
            while (!reached(consumer, end.keySet(), end)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("catalog replay of " + topic + " did not reach " + end + " in "
                            + REPLAY_TIMEOUT);
                }
                for (ConsumerRecord<String, CatalogRecord> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.value() == null && record.headers()
                            .lastHeader(SerializationUtils.VALUE_DESERIALIZER_EXCEPTION_HEADER) != null) {
                        // An unreadable value is not a tombstone: deleting the key would lose a catalog object.
                        log.error("catalog record {} at offset {} cannot be decoded; skipped, its previous value stays",
                                record.key(), record.offset());
                        continue;
                    }
                    sink.accept(record.key(), record.value());
                    count++;
                }
            }
        }
        return count;
    }

    private static boolean reached(Consumer<?, ?> consumer, Collection<TopicPartition> partitions,
            Map<TopicPartition, Long> end) {
        for (TopicPartition partition : partitions) {
            if (consumer.position(partition) < end.get(partition)) {
                return false;
            }
        }
        return true;
    }
}
