package io.snapbus.jobs.backup.shell;

import io.snapbus.jobs.backup.BackupState;
import io.snapbus.jobs.catalog.CatalogView;
import io.snapbus.jobs.engine.shell.JobPauses;
import io.snapbus.jobs.engine.shell.NodeTaskReports;
import io.snapbus.jobs.engine.shell.TasksRunningListener;
import io.snapbus.jobs.repository.RepositoryRegistry;
import io.snapbus.jobs.task.TaskGateway;
import io.snapbus.kafka.KafkaClients;
import io.snapbus.kafka.TopicCatalogue;
import io.snapbus.kafka.TopicsProvisioning;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaTemplate;

/** Wires the backup shell into the job-service. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(BackupProperties.class)
public class BackupConfiguration {
    @Bean
    public JobPauses<BackupState> backupPauses() {
        return new JobPauses<>(BackupState.class);
    }

    @Bean
    public NodeTaskReports nodeTaskReports(KafkaClients clients, List<TasksRunningListener> jobTypes) {
        return new NodeTaskReports(clients, jobTypes);
    }

    @Bean(destroyMethod = "close")
    public BackupService backupService(CatalogView catalog, TaskGateway gateway,
            KafkaTemplate<String, SpecificRecord> snapbusKafkaTemplate, TopicCatalogue topics,
            RepositoryRegistry repositories, BackupProperties properties, KafkaClients clients,
            JobPauses<BackupState> pauses,
            TopicsProvisioning provisioning) {
        return new BackupService(catalog, gateway, snapbusKafkaTemplate, topics, repositories::open, properties,
                clients, pauses, provisioning);
    }

    @Bean
    public RepositoryFollower repositoryFollower(BackupService backupService) {
        return new RepositoryFollower(backupService);
    }
}
