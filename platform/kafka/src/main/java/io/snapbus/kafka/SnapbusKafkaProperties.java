package io.snapbus.kafka;

import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Kafka and schema-registry settings shared by every snapbus service ({@code snapbus.kafka.*}).
 *
 * @param bootstrapServers   brokers to connect to
 * @param topicPrefix        prefix of every topic name, so several installations can share a cluster
 * @param replicationFactor  replication of created topics (1 for the single local broker, 3 in production); from
 *                           3 up, topics also get {@code min.insync.replicas=2}, so an acknowledged write (acks=all)
 *                           survives the loss of a broker
 * @param registry           where the schema registry is and which serde speaks to it
 * @param eventRetention     retention of the job-events topic (integrations may read it late)
 * @param taskRetention      retention of the agent-tasks and task-results topics
 * @param deadLetterRetention retention of the dead-letter topics
 * @param topics             per-topic overrides, keyed by topic suffix (e.g. {@code backup-jobs})
 */
@ConfigurationProperties("snapbus.kafka")
public record SnapbusKafkaProperties(
        @DefaultValue("127.0.0.1:9092") String bootstrapServers,
        @DefaultValue("snapbus.") String topicPrefix,
        @DefaultValue("1") short replicationFactor,
        @DefaultValue Registry registry,
        @DefaultValue("30d") Duration eventRetention,
        @DefaultValue("7d") Duration taskRetention,
        @DefaultValue("14d") Duration deadLetterRetention,
        Map<String, TopicOverride> topics) {

    public SnapbusKafkaProperties {
        topics = topics == null ? Map.of() : Map.copyOf(topics);
    }

    /** Defaults for a local stack at the given addresses. */
    public static SnapbusKafkaProperties local(String bootstrapServers, String registryUrl) {
        return new SnapbusKafkaProperties(bootstrapServers, "snapbus.", (short) 1,
                new Registry(registryUrl, null, SerdeFlavor.APICURIO, null, null), Duration.ofDays(30), Duration.ofDays(7),
                Duration.ofDays(14), Map.of());
    }

    public SnapbusKafkaProperties withTopicPrefix(String prefix) {
        return new SnapbusKafkaProperties(bootstrapServers, prefix, replicationFactor, registry, eventRetention,
                taskRetention, deadLetterRetention, topics);
    }

    public SnapbusKafkaProperties withReplicationFactor(short replication) {
        return new SnapbusKafkaProperties(bootstrapServers, topicPrefix, replication, registry, eventRetention,
                taskRetention, deadLetterRetention, topics);
    }

    public SnapbusKafkaProperties withRegistry(Registry newRegistry) {
        return new SnapbusKafkaProperties(bootstrapServers, topicPrefix, replicationFactor, newRegistry, eventRetention,
                taskRetention, deadLetterRetention, topics);
    }

    public SnapbusKafkaProperties withTopicOverrides(Map<String, TopicOverride> overrides) {
        return new SnapbusKafkaProperties(bootstrapServers, topicPrefix, replicationFactor, registry, eventRetention,
                taskRetention, deadLetterRetention, overrides);
    }

    /**
     * The schema registry.
     *
     * @param url          base URL of an Apicurio registry (e.g. http://127.0.0.1:8081); its Confluent API is
     *                     {@code <url>/apis/ccompat/v7}
     * @param confluentUrl Confluent-compatible API URL when it is not under {@code url} (a Confluent registry)
     * @param serde        which serializer family writes and reads the topics; both use the Confluent wire format
     * @param username     user of HTTP basic authentication to the registry, if it asks for it
     * @param password     that user's password; give it by reference ({@code ${SNAPBUS_REGISTRY_PASSWORD}} or a
     *                     configtree file), it is never printed
     */
    public record Registry(
            @DefaultValue("http://127.0.0.1:8081") String url,
            String confluentUrl,
            @DefaultValue("APICURIO") SerdeFlavor serde,
            String username,
            String password) {

        public boolean authenticated() {
            return username != null && !username.isBlank();
        }

        @Override
        public String toString() {
            return "Registry[url=" + url + ", confluentUrl=" + confluentUrl + ", serde=" + serde + ", username="
                    + username + (password == null ? "" : ", password=***") + "]";
        }

        public String apicurioV2Url() {
            return stripSlash(url) + "/apis/registry/v2";
        }

        public String confluentApiUrl() {
            return confluentUrl != null && !confluentUrl.isBlank() ? stripSlash(confluentUrl)
                    : stripSlash(url) + "/apis/ccompat/v7";
        }

        private static String stripSlash(String s) {
            return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
        }
    }

    /**
     * Per-topic settings that replace the catalogue's defaults.
     *
     * @param partitions partitions when the topic is created (0 keeps the default)
     * @param configs    topic-level configs added to or replacing the defaults (e.g. segment.ms)
     */
    public record TopicOverride(@DefaultValue("0") int partitions, Map<String, String> configs) {
        public TopicOverride {
            configs = configs == null ? Map.of() : Map.copyOf(configs);
        }
    }

    /** Serializer family; both write the Confluent wire format (magic byte 0, 4-byte schema id, Avro binary). */
    public enum SerdeFlavor {
        /** Apicurio's Avro serde (on Maven Central), against an Apicurio registry. */
        APICURIO,
        /** Confluent's KafkaAvroSerializer, when a deployment has Confluent's jars on the classpath. */
        CONFLUENT
    }
}
