package io.snapbus.jobs.retention;

import io.snapbus.jobs.backup.shell.BackupService;
import io.snapbus.jobs.catalog.Catalog;
import io.snapbus.jobs.catalog.CatalogView;
import io.snapbus.jobs.repository.RepositoryService;
import io.snapbus.jobs.restore.shell.RestoreService;
import io.snapbus.kafka.TopicCatalogue;
import java.time.Clock;
import org.apache.avro.specific.SpecificRecord;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaTemplate;

/** Wires snapshot deletion and retention policies. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(RetentionProperties.class)
public class RetentionConfiguration {

    @Bean
    public DeletionEvents deletionEvents(KafkaTemplate<String, SpecificRecord> snapbusKafkaTemplate,
            TopicCatalogue topics) {
        return new DeletionEvents(snapbusKafkaTemplate, topics);
    }

    @Bean
    public SnapshotDeletions snapshotDeletions(RepositoryService repositories, BackupService backups,
            RestoreService restores, CatalogView catalog, DeletionEvents events) {
        return new SnapshotDeletions(repositories, backups, restores, catalog, events, Clock.systemUTC());
    }

    @Bean
    public RetentionService retentionService(Catalog catalog, RepositoryService repositories, BackupService backups,
            SnapshotDeletions deletions, DeletionEvents events, RetentionProperties properties) {
        return new RetentionService(catalog, repositories, backups, deletions, events, properties.timeBudget(),
                properties.leftoverGrace(), Clock.systemUTC());
    }

    @Bean
    public RetentionSchedule retentionSchedule(RetentionService retention, RetentionProperties properties) {
        return new RetentionSchedule(retention, properties.interval());
    }
}
