package io.snapbus.kafka;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Every topic snapbus uses, with its name (prefix applied), partitions and configs, including dead-letter topics. */
public final class TopicCatalogue {
    /** Appended to a topic's name to get the topic its undecodable or unprocessable records go to. */
    public static final String DEAD_LETTER_SUFFIX = ".dlt";
    static final String MIN_INSYNC_REPLICAS = "min.insync.replicas";

    private final SnapbusKafkaProperties properties;

    public TopicCatalogue(SnapbusKafkaProperties properties) {
        this.properties = properties;
    }

    public String name(SnapbusTopic topic) {
        return properties.topicPrefix() + topic.suffix();
    }

    public static String deadLetterTopicOf(String topic) {
        return topic + DEAD_LETTER_SUFFIX;
    }

    public String deadLetterName(SnapbusTopic topic) {
        return deadLetterTopicOf(name(topic));
    }

    /** The topics and their dead-letter topics, as they should exist on the broker. */
    public List<TopicSpec> all() {
        List<TopicSpec> specs = new ArrayList<>();
        for (SnapbusTopic topic : SnapbusTopic.values()) {
            specs.add(spec(topic));
            specs.add(deadLetterSpec(topic));
        }
        return specs;
    }

    public TopicSpec spec(SnapbusTopic topic) {
        Map<String, String> configs = new LinkedHashMap<>(durability());
        if (topic.compacted()) {
            configs.put("cleanup.policy", "compact");
            // A tombstone must outlive a slow replayer's read, or a deleted job could reappear in its view.
            configs.put("delete.retention.ms", Long.toString(24L * 3600 * 1000));
        } else {
            configs.put("cleanup.policy", "delete");
            long retention = topic == SnapbusTopic.JOB_EVENTS ? properties.eventRetention().toMillis()
                    : properties.taskRetention().toMillis();
            configs.put("retention.ms", Long.toString(retention));
        }
        int partitions = topic.defaultPartitions();
        SnapbusKafkaProperties.TopicOverride override = properties.topics().get(topic.suffix());
        if (override != null) {
            if (override.partitions() > 0) {
                partitions = override.partitions();
            }
            configs.putAll(override.configs());
        }
        return new TopicSpec(name(topic), partitions, properties.replicationFactor(), configs);
    }

    private TopicSpec deadLetterSpec(SnapbusTopic topic) {
        Map<String, String> configs = new LinkedHashMap<>(durability());
        configs.put("cleanup.policy", "delete");
        configs.put("retention.ms", Long.toString(properties.deadLetterRetention().toMillis()));
        return new TopicSpec(deadLetterName(topic), 1, properties.replicationFactor(), configs);
    }

    /**
     * With three replicas or more, a write acknowledged to an acks=all producer (every snapbus producer) is on at least
     * two brokers, so losing one loses no job state, catalog record or task; one broker down still accepts writes.
     */
    private Map<String, String> durability() {
        return properties.replicationFactor() >= 3 ? Map.of(MIN_INSYNC_REPLICAS, "2") : Map.of();
    }

    /** The topic a record value type belongs to. */
    public static SnapbusTopic topicOf(Class<?> valueType) {
        return Arrays.stream(SnapbusTopic.values())
                .filter(t -> t.valueType().equals(valueType))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no snapbus topic carries " + valueType.getName()));
    }
}
