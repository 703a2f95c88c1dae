package io.snapbus.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** The standard spring.kafka.* settings, bound as Spring Boot binds them, reach every client snapbus makes. */
class KafkaClientsConnectionTest {
    private static final String JAAS = "org.apache.kafka.common.security.scram.ScramLoginModule required"
            + " username=\"snapbus\" password=\"s3cret-pw\";";

    private static SpringKafkaProperties bind(Map<String, String> settings) {
        return new Binder(new MapConfigurationPropertySource(settings))
                .bind("spring.kafka", SpringKafkaProperties.class).orElseGet(SpringKafkaProperties::none);
    }

    private static final Map<String, String> SECURED = Map.of(
            "spring.kafka.bootstrap-servers", "10.0.0.1:9093,10.0.0.2:9093",
            "spring.kafka.security.protocol", "SASL_SSL",
            "spring.kafka.ssl.trust-store-location", "file:/etc/snapbus/truststore.p12",
            "spring.kafka.ssl.trust-store-password", "trust-pw",
            "spring.kafka.ssl.trust-store-type", "PKCS12",
            "spring.kafka.properties.sasl.mechanism", "SCRAM-SHA-512",
            "spring.kafka.properties.sasl.jaas.config", JAAS,
            "spring.kafka.producer.properties.linger.ms", "20",
            "spring.kafka.consumer.properties.max.poll.records", "7");

    private final SnapbusKafkaProperties snapbus = SnapbusKafkaProperties.local("127.0.0.1:9092",
            "http://127.0.0.1:8081");

    @Test
    void laysTheSecurityAndPassThroughSettingsOverProducersConsumersAndAdmin() {
        try (KafkaClients clients = new KafkaClients(snapbus, bind(SECURED))) {
            for (Map<String, Object> configs : java.util.List.of(clients.producerConfigs(),
                    clients.consumerConfigs("g"), clients.adminConfigs())) {
                assertThat(configs)
                        .containsEntry("bootstrap.servers", "10.0.0.1:9093,10.0.0.2:9093")
                        .containsEntry("security.protocol", "SASL_SSL")
                        .containsEntry("ssl.truststore.location", "/etc/snapbus/truststore.p12")
                        .containsEntry("ssl.truststore.password", "trust-pw")
                        .containsEntry("ssl.truststore.type", "PKCS12")
                        .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                        .containsEntry("sasl.jaas.config", JAAS);
            }
            assertThat(clients.producerConfigs()).containsEntry("linger.ms", "20").containsEntry("acks", "all");
            assertThat(clients.consumerConfigs("g")).containsEntry("max.poll.records", "7");
            assertThat(clients.adminConfigs()).doesNotContainKeys("linger.ms", "max.poll.records");
        }
    }

    @Test
    void keepsSnapbusBootstrapServersWhenSpringKafkaSaysNothing() {
        try (KafkaClients clients = new KafkaClients(snapbus, bind(Map.of()))) {
            assertThat(clients.adminConfigs()).containsEntry("bootstrap.servers", "127.0.0.1:9092")
                    .doesNotContainKey("security.protocol");
        }
    }

    @Test
    void authenticatesToTheRegistryWithEitherSerde() {
        SnapbusKafkaProperties.Registry apicurio = new SnapbusKafkaProperties.Registry("http://r:8081", null,
                SnapbusKafkaProperties.SerdeFlavor.APICURIO, "reader", "registry-pw");
        SnapbusKafkaProperties.Registry confluent = new SnapbusKafkaProperties.Registry("http://r:8081", null,
                SnapbusKafkaProperties.SerdeFlavor.CONFLUENT, "reader", "registry-pw");

        assertThat(new AvroSerdes(apicurio).configs()).containsEntry("apicurio.auth.username", "reader")
                .containsEntry("apicurio.auth.password", "registry-pw");
        assertThat(new AvroSerdes(confluent).configs()).containsEntry("basic.auth.credentials.source", "USER_INFO")
                .containsEntry("basic.auth.user.info", "reader:registry-pw");
    }

    @Test
    void onlyTheApicurioSerdeLooksSchemaIdsUpThroughTheCachingResolver() {
        SnapbusKafkaProperties.Registry apicurio = new SnapbusKafkaProperties.Registry("http://r:8081", null,
                SnapbusKafkaProperties.SerdeFlavor.APICURIO, null, null);
        SnapbusKafkaProperties.Registry confluent = new SnapbusKafkaProperties.Registry("http://r:8081", null,
                SnapbusKafkaProperties.SerdeFlavor.CONFLUENT, null, null);

        assertThat(new AvroSerdes(apicurio).configs())
                .containsEntry("apicurio.registry.schema-resolver", CachingSchemaResolver.class.getName());
        assertThat(new AvroSerdes(confluent).configs()).doesNotContainKey("apicurio.registry.schema-resolver");
    }

    @Test
    void neverPrintsAPasswordInItsSettings() {
        SpringKafkaProperties connection = bind(SECURED);
        SnapbusKafkaProperties.Registry registry = new SnapbusKafkaProperties.Registry("http://r:8081", null,
                SnapbusKafkaProperties.SerdeFlavor.APICURIO, "reader", "registry-pw");

        assertThat(connection.toString() + connection.ssl() + snapbus.withRegistry(registry))
                .doesNotContain("s3cret-pw", "trust-pw", "registry-pw").contains("sasl.jaas.config");
    }
}
