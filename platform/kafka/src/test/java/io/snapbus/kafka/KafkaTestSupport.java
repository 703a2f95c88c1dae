package io.snapbus.kafka;

import io.snapbus.local.LocalStack;
import io.snapbus.testing.SnapbusInfraExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Helpers for the integration tests of this module: isolated topic prefixes and raw reads. */
final class KafkaTestSupport {
    private KafkaTestSupport() {}

    /** Properties for the harness's stack with a topic prefix no other test uses. */
    static SnapbusKafkaProperties isolated(LocalStack stack, String name) {
        return SnapbusKafkaProperties.local(stack.bootstrapServers(), stack.registryUrl().toString())
                .withTopicPrefix(SnapbusInfraExtension.uniqueName(name) + ".");
    }

    /** Clients on topics of their own ({@link #isolated}), the topics created and every schema registered. */
    static KafkaClients provisionedWithSchemas(LocalStack stack, String name) {
        KafkaClients clients = new KafkaClients(isolated(stack, name));
        provision(clients);
        new SchemaRegistryAdmin(stack.registryConfluentUrl().toString()).registerAll(clients.catalogue());
        return clients;
    }

    static TopicProvisioner.Report provision(KafkaClients clients) {
        try (Admin admin = clients.admin()) {
            return new TopicProvisioner(admin).ensure(clients.catalogue().all());
        }
    }

    /** Reads a topic from the beginning as raw bytes until {@code done} holds for what was read, or the timeout. */
    static List<ConsumerRecord<String, byte[]>> readRaw(String bootstrap, String topic, Duration timeout,
            Predicate<List<ConsumerRecord<String, byte[]>>> done) {
        Properties props = new Properties();
        props.putAll(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, SnapbusInfraExtension.uniqueName("raw-reader"),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"));
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline && !done.test(records)) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }
}
