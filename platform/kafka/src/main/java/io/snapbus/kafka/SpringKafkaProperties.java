package io.snapbus.kafka;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The standard Spring Boot Kafka settings ({@code spring.kafka.*}, same names and meaning as Boot's own
 * {@code KafkaProperties}) that say how to reach and authenticate to a cluster; {@link KafkaClients} lays them over
 * every client it makes (producers, consumers, admin, the registry serdes). Secrets are given by reference: a
 * {@code ${ENV_VAR}} placeholder or a file read through {@code spring.config.import=configtree:...}; never printed.
 *
 * @param bootstrapServers brokers; when set they replace {@code snapbus.kafka.bootstrap-servers}
 * @param clientId         client id prefix, if any
 * @param properties       pass-through client settings, e.g. {@code sasl.mechanism}, {@code sasl.jaas.config}
 * @param security         {@code security.protocol}
 * @param ssl              key and trust stores
 * @param admin            admin-client-only pass-through settings
 * @param producer         producer-only pass-through settings
 * @param consumer         consumer-only pass-through settings
 */
@ConfigurationProperties("spring.kafka")
public record SpringKafkaProperties(
        List<String> bootstrapServers,
        String clientId,
        Map<String, String> properties,
        Security security,
        Ssl ssl,
        Client admin,
        Client producer,
        Client consumer) {

    public SpringKafkaProperties {
        bootstrapServers = bootstrapServers == null ? List.of() : List.copyOf(bootstrapServers);
        properties = properties == null ? Map.of() : Map.copyOf(properties);
        security = security == null ? new Security(null) : security;
        ssl = ssl == null ? new Ssl(null, null, null, null, null, null, null, null) : ssl;
        admin = admin == null ? new Client(Map.of()) : admin;
        producer = producer == null ? new Client(Map.of()) : producer;
        consumer = consumer == null ? new Client(Map.of()) : consumer;
    }

    /** Nothing set: snapbus's own {@code snapbus.kafka.bootstrap-servers}, PLAINTEXT. */
    public static SpringKafkaProperties none() {
        return new SpringKafkaProperties(null, null, null, null, null, null, null, null);
    }

    /** Only pass-through client settings ({@code spring.kafka.properties.*}), e.g. a local stack's security. */
    public static SpringKafkaProperties passThrough(Map<String, String> properties) {
        return new SpringKafkaProperties(null, null, properties, null, null, null, null, null);
    }

    /**
     * The Kafka client configs these settings stand for, common to every client (SSL stores, security protocol,
     * pass-through properties), without the bootstrap servers.
     */
    public Map<String, Object> commonClientConfigs() {
        Map<String, Object> configs = new LinkedHashMap<>();
        if (clientId != null && !clientId.isBlank()) {
            configs.put("client.id", clientId);
        }
        if (security.protocol() != null && !security.protocol().isBlank()) {
            configs.put("security.protocol", security.protocol());
        }
        putIfSet(configs, "ssl.key.password", ssl.keyPassword());
        putIfSet(configs, "ssl.keystore.location", location(ssl.keyStoreLocation()));
        putIfSet(configs, "ssl.keystore.password", ssl.keyStorePassword());
        putIfSet(configs, "ssl.keystore.type", ssl.keyStoreType());
        putIfSet(configs, "ssl.truststore.location", location(ssl.trustStoreLocation()));
        putIfSet(configs, "ssl.truststore.password", ssl.trustStorePassword());
        putIfSet(configs, "ssl.truststore.type", ssl.trustStoreType());
        putIfSet(configs, "ssl.protocol", ssl.protocol());
        configs.putAll(properties);
        return configs;
    }

    private static void putIfSet(Map<String, Object> configs, String key, String value) {
        if (value != null && !value.isBlank()) {
            configs.put(key, value);
        }
    }

    /** Boot takes store locations as resources ({@code file:/path}); Kafka wants a path. */
    private static String location(String resource) {
        if (resource == null) {
            return null;
        }
        return resource.startsWith("file:") ? resource.substring("file:".length()) : resource;
    }

    /** Names only: the values may hold credentials. */
    @Override
    public String toString() {
        return "SpringKafkaProperties[bootstrapServers=" + bootstrapServers + ", security.protocol="
                + security.protocol() + ", properties=" + properties.keySet() + "]";
    }

    /** @param protocol {@code security.protocol}: PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL */
    public record Security(String protocol) {}

    /** Key and trust stores, as Boot names them; locations as paths or {@code file:} resources. */
    public record Ssl(String keyPassword, String keyStoreLocation, String keyStorePassword, String keyStoreType,
            String trustStoreLocation, String trustStorePassword, String trustStoreType, String protocol) {
        @Override
        public String toString() {
            return "Ssl[keyStoreLocation=" + keyStoreLocation + ", trustStoreLocation=" + trustStoreLocation + "]";
        }
    }

    /** @param properties settings for one kind of client only */
    public record Client(Map<String, String> properties) {
        public Client {
            properties = properties == null ? Map.of() : Map.copyOf(properties);
        }

        @Override
        public String toString() {
            return "Client[properties=" + properties.keySet() + "]";
        }
    }
}
