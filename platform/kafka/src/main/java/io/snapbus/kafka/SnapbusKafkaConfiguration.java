package io.snapbus.kafka;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * Spring wiring shared by the services: clients from {@code snapbus.kafka.*}, and at start-up the topics created or
 * reconciled and the value schemas registered with their compatibility rule, before any listener starts.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SnapbusKafkaProperties.class)
public class SnapbusKafkaConfiguration {
    private static final Logger log = LoggerFactory.getLogger(SnapbusKafkaConfiguration.class);

    @Bean(destroyMethod = "close")
    public KafkaClients snapbusKafkaClients(SnapbusKafkaProperties properties) {
        return new KafkaClients(properties);
    }

    @Bean
    public TopicCatalogue snapbusTopicCatalogue(KafkaClients clients) {
        return clients.catalogue();
    }

    @Bean
    public KafkaTemplate<String, SpecificRecord> snapbusKafkaTemplate(KafkaClients clients) {
        return clients.template();
    }

    /** Runs once every singleton exists, i.e. before listener containers are started. */
    @Bean
    public SmartInitializingSingleton snapbusTopicsAndSchemas(KafkaClients clients) {
        return () -> {
            try (Admin admin = clients.admin()) {
                TopicProvisioner.Report report = new TopicProvisioner(admin).ensure(clients.catalogue().all());
                log.info("snapbus topics ready: {} created, {} reconfigured, {} unchanged", report.created().size(),
                        report.reconfigured().size(), report.unchanged().size());
            }
            new SchemaRegistryAdmin(clients.properties().registry().confluentApiUrl())
                    .registerAll(clients.catalogue());
        };
    }
}
