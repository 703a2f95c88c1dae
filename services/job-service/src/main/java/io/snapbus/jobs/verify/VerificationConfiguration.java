package io.snapbus.jobs.verify;

import io.snapbus.jobs.backup.shell.BackupProperties;
import io.snapbus.jobs.catalog.CatalogView;
import io.snapbus.jobs.repository.RepositoryRegistry;
import io.snapbus.jobs.repository.RepositoryService;
import io.snapbus.kafka.TopicCatalogue;
import java.time.Clock;
import org.apache.avro.specific.SpecificRecord;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * Wires snapshot verification: two verifications run at a time (more wait their turn); files are downloaded under
 * {@code <snapbus.backup.work-dir>/verify}, one tablet at a time.
 */
@Configuration(proxyBeanMethods = false)
public class VerificationConfiguration {
    private static final int PARALLEL_VERIFICATIONS = 2;

    @Bean
    public VerificationEvents verificationEvents(KafkaTemplate<String, SpecificRecord> snapbusKafkaTemplate,
            TopicCatalogue topics) {
        return new VerificationEvents(snapbusKafkaTemplate, topics);
    }

    @Bean(destroyMethod = "close")
    public VerificationService verificationService(RepositoryService repositories, RepositoryRegistry registry,
            CatalogView catalog, VerificationEvents events, BackupProperties backup) {
        return new VerificationService(repositories, registry, catalog, events, backup.workDir().resolve("verify"),
                PARALLEL_VERIFICATIONS, Clock.systemUTC());
    }
}
