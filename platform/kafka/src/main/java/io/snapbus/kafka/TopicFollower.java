package io.snapbus.kafka;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Predicate;
import org.apache.avro.specific.SpecificRecord;
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
 * Reads a topic without a consumer group (all partitions assigned) up to the end it had when the reading began, then
 * goes on following it: the one way snapbus reads its compacted topics (job-service replays, the agents' views) and
 * the newest reports of a topic (from its end). Only the values of wanted keys are decoded (the agents follow only
 * the headers of backup-jobs, whose tablet chunks are most of its bytes); a null value is a tombstone, a value no
 * deserializer can read is logged and skipped.
 *
 * @param <V> the topic's value type
 */
public final class TopicFollower<V extends SpecificRecord> implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TopicFollower.class);

    /** Where reading begins. */
    public enum From { BEGINNING, END }

    private final String topic;
    private final Predicate<String> wanted;
    private final BiConsumer<String, V> onRecord;
    private final KafkaConsumer<String, byte[]> consumer;
    private final Deserializer<V> values;
    private final Map<TopicPartition, Long> end;
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private volatile boolean running = true;
    private Thread thread;

    private TopicFollower(KafkaClients clients, String topic, From from, Predicate<String> wanted,
            BiConsumer<String, V> onRecord) {
        this.topic = topic;
        this.wanted = wanted;
        this.onRecord = onRecord;
        Map<String, Object> configs = clients.consumerConfigs("unused");
        configs.remove(ConsumerConfig.GROUP_ID_CONFIG);
        values = new ErrorHandlingDeserializer<>();
        values.configure(configs, false);
        Map<String, Object> raw = new HashMap<>(configs);
        raw.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        consumer = new KafkaConsumer<>(raw);
        try {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            if (from == From.BEGINNING) {
                consumer.seekToBeginning(partitions);
            } else {
                consumer.seekToEnd(partitions);
            }
            end = consumer.endOffsets(partitions);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /**
     * Follows {@code topic} from {@code from} on a thread of its own, handing each record of a wanted key to
     * {@code onRecord}, until closed.
     */
    public static <V extends SpecificRecord> TopicFollower<V> follow(KafkaClients clients, String topic, From from,
            Predicate<String> wanted, BiConsumer<String, V> onRecord) {
        TopicFollower<V> follower = new TopicFollower<>(clients, topic, from, wanted, onRecord);
        follower.thread = new Thread(follower::run, "follow-" + topic);
        follower.thread.setDaemon(true);
        follower.thread.start();
        return follower;
    }

    /**
     * Reads {@code topic} from its beginning to the end it had now, on the calling thread, and returns how many
     * records it handed to {@code sink}.
     */
    public static <V extends SpecificRecord> int replay(KafkaClients clients, String topic, Duration timeout,
            BiConsumer<String, V> sink) {
        int count = 0;
        try (TopicFollower<V> reader = new TopicFollower<>(clients, topic, From.BEGINNING, key -> true, sink)) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!reader.reachedEnd()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("replay of " + topic + " did not reach " + reader.end + " in "
                            + timeout);
                }
                count += reader.pollOnce();
            }
        }
        return count;
    }

    /** True once everything the topic held when reading began has been handed on. */
    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        return caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void run() {
        try {
            while (running) {
                pollOnce();
                if (caughtUp.getCount() > 0 && reachedEnd()) {
                    log.info("{} read up to its end at start", topic);
                    caughtUp.countDown();
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            log.error("following {} stopped", topic, e);
        } finally {
            release();
        }
    }

    /** Hands on what one poll brought; returns how many records it handed on. */
    private int pollOnce() {
        int handed = 0;
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
            if (!wanted.test(record.key())) {
                continue;
            }
            V value;
            try {
                value = record.value() == null ? null : values.deserialize(topic, record.headers(), record.value());
            } catch (RuntimeException e) {
                value = null;
            }
            if (value == null && record.value() != null) {
                log.error("{} record {} at {}-{} cannot be decoded; skipped, its previous value stays", topic,
                        record.key(), record.partition(), record.offset());
                continue;
            }
            onRecord.accept(record.key(), value);
            handed++;
        }
        return handed;
    }

    private boolean reachedEnd() {
        return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
    }

    private void release() {
        consumer.close(Duration.ofSeconds(2));
        values.close();
    }

    @Override
    public void close() {
        if (thread == null) {
            release(); // a replay: read on the caller's thread
            return;
        }
        running = false;
        consumer.wakeup();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
