package io.snapbus.kafka;

import java.util.HashMap;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.support.serializer.DelegatingByTypeSerializer;
import org.springframework.kafka.support.serializer.ErrorHandlingDeserializer;
import org.springframework.util.backoff.FixedBackOff;

/**
 * Builds the Kafka clients every snapbus service uses, configured the same way: String keys, Avro values through the
 * registry, idempotent producers, consumers whose undecodable records go to a dead-letter topic instead of
 * stalling the partition.
 */
public final class KafkaClients implements AutoCloseable {
    /** Attempts of a record whose listener throws, before it goes to the dead-letter topic. */
    private static final long LISTENER_RETRIES = 2;
    private static final long LISTENER_RETRY_INTERVAL_MS = 500;

    private final SnapbusKafkaProperties properties;
    private final SpringKafkaProperties connection;
    private final AvroSerdes serdes;
    private final TopicCatalogue catalogue;
    private final DefaultKafkaProducerFactory<String, SpecificRecord> producerFactory;
    private final DefaultKafkaProducerFactory<String, Object> deadLetterProducerFactory;

    /** Clients of a PLAINTEXT cluster at {@code snapbus.kafka.bootstrap-servers}. */
    public KafkaClients(SnapbusKafkaProperties properties) {
        this(properties, SpringKafkaProperties.none());
    }

    /** Clients with the standard {@code spring.kafka.*} settings (brokers, TLS, SASL, ...) laid over snapbus's. */
    public KafkaClients(SnapbusKafkaProperties properties, SpringKafkaProperties connection) {
        this.properties = properties;
        this.connection = connection;
        this.serdes = new AvroSerdes(properties.registry(), connection.properties());
        this.catalogue = new TopicCatalogue(properties);
        this.producerFactory = new DefaultKafkaProducerFactory<>(producerConfigs(), new StringSerializer(),
                serdes.newSerializer());
        Map<Class<?>, Serializer<?>> byType = Map.of(
                byte[].class, new ByteArraySerializer(),
                SpecificRecord.class, serdes.newSerializer());
        this.deadLetterProducerFactory = new DefaultKafkaProducerFactory<>(producerConfigs(), new StringSerializer(),
                new DelegatingByTypeSerializer(byType, true));
    }

    public SnapbusKafkaProperties properties() {
        return properties;
    }

    public TopicCatalogue catalogue() {
        return catalogue;
    }

    public AvroSerdes serdes() {
        return serdes;
    }

    /** {@code spring.kafka.bootstrap-servers} when set, else {@code snapbus.kafka.bootstrap-servers}. */
    public String bootstrapServers() {
        return connection.bootstrapServers().isEmpty() ? properties.bootstrapServers()
                : String.join(",", connection.bootstrapServers());
    }

    /**
     * What every client of this service is given: the brokers and how to reach them (security protocol, TLS stores,
     * {@code spring.kafka.properties.*}). The one place a Kafka client's connection is configured.
     */
    public Map<String, Object> commonConfigs() {
        Map<String, Object> configs = new HashMap<>(connection.commonClientConfigs());
        configs.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        return configs;
    }

    /**
     * Producer configs: every write waits for all in-sync replicas (acks=all) and is idempotent, so with
     * {@code min.insync.replicas=2} an acknowledged state record survives the loss of a broker.
     */
    public Map<String, Object> producerConfigs() {
        Map<String, Object> configs = commonConfigs();
        configs.put(ProducerConfig.ACKS_CONFIG, "all");
        configs.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        configs.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        configs.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        configs.putAll(connection.producer().properties());
        configs.putAll(serdes.configs());
        return configs;
    }

    /** Consumer configs with the Avro deserializer wrapped in spring-kafka's ErrorHandlingDeserializer. */
    public Map<String, Object> consumerConfigs(String groupId) {
        Map<String, Object> configs = commonConfigs();
        configs.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        configs.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        configs.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        configs.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        configs.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ErrorHandlingDeserializer.class);
        configs.put(ErrorHandlingDeserializer.VALUE_DESERIALIZER_CLASS, serdes.deserializerClassName());
        configs.putAll(connection.consumer().properties());
        configs.putAll(serdes.configs());
        return configs;
    }

    public ProducerFactory<String, SpecificRecord> producerFactory() {
        return producerFactory;
    }

    /** One template for every topic: values are any generated snapbus record. */
    public KafkaTemplate<String, SpecificRecord> template() {
        return new KafkaTemplate<>(producerFactory);
    }

    public <V extends SpecificRecord> ConsumerFactory<String, V> consumerFactory(String groupId) {
        return new DefaultKafkaConsumerFactory<>(consumerConfigs(groupId));
    }

    /**
     * Listener containers whose failures end in the dead-letter topic: an undecodable record at once (retrying
     * cannot help), a record whose listener keeps throwing after {@value #LISTENER_RETRIES} retries.
     */
    public <V extends SpecificRecord> ConcurrentKafkaListenerContainerFactory<String, V> listenerContainerFactory(
            String groupId) {
        ConcurrentKafkaListenerContainerFactory<String, V> factory = new ConcurrentKafkaListenerContainerFactory<>();
        factory.setConsumerFactory(consumerFactory(groupId));
        factory.setCommonErrorHandler(deadLetterErrorHandler());
        factory.getContainerProperties().setAckMode(ContainerProperties.AckMode.RECORD);
        return factory;
    }

    public DefaultErrorHandler deadLetterErrorHandler() {
        KafkaTemplate<String, Object> deadLetterTemplate = new KafkaTemplate<>(deadLetterProducerFactory);
        // Partition -1: let the producer pick, since the dead-letter topic has fewer partitions than the source.
        DeadLetterPublishingRecoverer recoverer = new DeadLetterPublishingRecoverer(deadLetterTemplate,
                (record, error) -> new TopicPartition(TopicCatalogue.deadLetterTopicOf(record.topic()), -1));
        return new DefaultErrorHandler(recoverer, new FixedBackOff(LISTENER_RETRY_INTERVAL_MS, LISTENER_RETRIES));
    }

    public Map<String, Object> adminConfigs() {
        Map<String, Object> configs = commonConfigs();
        configs.putAll(connection.admin().properties());
        return configs;
    }

    public Admin admin() {
        return Admin.create(adminConfigs());
    }

    @Override
    public void close() {
        producerFactory.destroy();
        deadLetterProducerFactory.destroy();
    }
}
