package io.snapbus.kafka;

import org.apache.avro.specific.SpecificRecord;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * Spring wiring shared by the services: clients from {@code snapbus.kafka.*} with the standard {@code spring.kafka.*}
 * connection settings laid over them ({@link SpringKafkaProperties}), and at start-up the topics created or
 * reconciled and the value schemas registered with their compatibility rule ({@link TopicsProvisioning}, from the
 * moment the clients exist), finished before any listener starts.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({SnapbusKafkaProperties.class, SpringKafkaProperties.class})
public class SnapbusKafkaConfiguration {
    @Bean(destroyMethod = "close")
    public KafkaClients snapbusKafkaClients(SnapbusKafkaProperties properties, SpringKafkaProperties connection) {
        return new KafkaClients(properties, connection);
    }

    @Bean
    public TopicCatalogue snapbusTopicCatalogue(KafkaClients clients) {
        return clients.catalogue();
    }

    @Bean
    public KafkaTemplate<String, SpecificRecord> snapbusKafkaTemplate(KafkaClients clients) {
        return clients.template();
    }

    /** Starts once created, so topic replays can begin while the rest of the service is being built. */
    @Bean
    public TopicsProvisioning snapbusTopicsProvisioning(KafkaClients clients) {
        return TopicsProvisioning.start(clients);
    }

    /** Runs once every singleton exists, i.e. before listener containers are started: waits for the provisioning. */
    @Bean
    public SmartInitializingSingleton snapbusTopicsAndSchemas(TopicsProvisioning provisioning) {
        return provisioning::await;
    }
}
