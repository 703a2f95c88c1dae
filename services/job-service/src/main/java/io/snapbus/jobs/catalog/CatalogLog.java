package io.snapbus.jobs.catalog;

import io.snapbus.avro.CatalogRecord;
import io.snapbus.kafka.KafkaClients;
import io.snapbus.kafka.SnapbusTopic;
import io.snapbus.kafka.TopicFollower;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import org.apache.avro.specific.SpecificRecord;
import org.springframework.kafka.core.KafkaTemplate;

/** The catalog's persistence: synchronous writes to the compacted catalog topic and its replay from the beginning. */
class CatalogLog {
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
        return TopicFollower.replay(clients, topic, REPLAY_TIMEOUT, sink);
    }
}
