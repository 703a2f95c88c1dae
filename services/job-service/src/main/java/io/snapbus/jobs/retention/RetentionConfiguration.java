package io.snapbus.jobs.retention;

import io.snapbus.jobs.backup.shell.BackupService;
import io.snapbus.jobs.catalog.CatalogView;
import io.snapbus.jobs.repository.RepositoryService;
import io.snapbus.jobs.restore.shell.RestoreService;
import io.snapbus.kafka.TopicCatalogue;
import java.time.Clock;
import org.apache.avro.specific.SpecificRecord;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaTemplate;

/** Wires snapshot deletion. */
@Configuration(proxyBeanMethods = false)
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
}
