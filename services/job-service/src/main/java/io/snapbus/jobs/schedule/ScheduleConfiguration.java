package io.snapbus.jobs.schedule;

import io.micrometer.core.instrument.MeterRegistry;
import io.snapbus.jobs.backup.shell.BackupProperties;
import io.snapbus.jobs.backup.shell.BackupService;
import io.snapbus.jobs.catalog.Catalog;
import io.snapbus.jobs.catalog.CatalogView;
import io.snapbus.jobs.retention.RetentionService;
import io.snapbus.kafka.TopicCatalogue;
import java.time.Clock;
import org.apache.avro.specific.SpecificRecord;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaTemplate;

/** Wires backup schedules. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ScheduleProperties.class)
public class ScheduleConfiguration {

    @Bean
    public ScheduleEvents scheduleEvents(KafkaTemplate<String, SpecificRecord> snapbusKafkaTemplate,
            TopicCatalogue topics, CatalogView catalog) {
        return new ScheduleEvents(snapbusKafkaTemplate, topics, catalog);
    }

    @Bean
    public BackupSchedules backupSchedules(Catalog catalog, BackupService backups, RetentionService retention,
            ScheduleEvents events, MeterRegistry registry, BackupProperties backup, ScheduleProperties properties) {
        return new BackupSchedules(catalog, backups, retention, events, registry, backup.defaultTimeout(),
                properties.tick(), Clock.systemUTC());
    }
}
