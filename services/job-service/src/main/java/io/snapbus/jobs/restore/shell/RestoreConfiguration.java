package io.snapbus.jobs.restore.shell;

import io.snapbus.jobs.catalog.CatalogView;
import io.snapbus.jobs.catalog.RestoreCatalog;
import io.snapbus.jobs.engine.shell.JobEventPublisher;
import io.snapbus.jobs.engine.shell.JobLog;
import io.snapbus.jobs.engine.shell.JobPauses;
import io.snapbus.jobs.repository.RepositoryRegistry;
import io.snapbus.jobs.restore.RestoreOptions;
import io.snapbus.jobs.restore.RestorePlan;
import io.snapbus.jobs.restore.RestoreRecords;
import io.snapbus.jobs.restore.RestoreState;
import io.snapbus.jobs.task.TaskGateway;
import io.snapbus.kafka.KafkaClients;
import io.snapbus.kafka.SnapbusTopic;
import io.snapbus.kafka.TopicCatalogue;
import io.snapbus.kafka.TopicsProvisioning;
import org.apache.avro.specific.SpecificRecord;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaTemplate;

/** Wires the restore shell into the job-service. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(RestoreProperties.class)
public class RestoreConfiguration {
    @Bean
    public JobPauses<RestoreState> restorePauses() {
        return new JobPauses<>(RestoreState.class);
    }

    @Bean(destroyMethod = "close")
    public RestoreService restoreService(CatalogView catalog, TaskGateway gateway,
            KafkaTemplate<String, SpecificRecord> snapbusKafkaTemplate, TopicCatalogue topics,
            RepositoryRegistry repositories, RestoreProperties properties, KafkaClients clients,
            JobPauses<RestoreState> pauses, TopicsProvisioning provisioning, RestoreCatalog restoreCatalog) {
        String topic = topics.name(SnapbusTopic.RESTORE_JOBS);
        // Only this service writes restore-jobs, and not before start(): the end the replay reads to is the end then.
        var replay = provisioning.thenRead("replay-restore-jobs", () -> RestoreJobReplay.replayKept(clients, topic));
        return new RestoreService(catalog, gateway, new JobLog<>(snapbusKafkaTemplate, topic,
                properties.persistTimeout(), "restore", new RestoreRecords()), replay,
                new JobEventPublisher<>(snapbusKafkaTemplate, topics.name(SnapbusTopic.JOB_EVENTS),
                        properties.progressEventInterval(), new RestoreEvents()), repositories::open, properties,
                pauses, changes(restoreCatalog));
    }

    /** The catalog's restore steps as the shell calls them: a refusal throws {@link CatalogRefusedException}. */
    private static RestoreCatalogChanges changes(RestoreCatalog restoreCatalog) {
        return new RestoreCatalogChanges() {
            @Override
            public void prepare(long dbId, RestorePlan plan, RestoreOptions options) {
                refusedThrows(restoreCatalog.prepare(dbId, plan, options));
            }

            @Override
            public void commit(long dbId, RestorePlan plan, RestoreOptions options, long nowMs) {
                refusedThrows(restoreCatalog.commit(dbId, plan, options, nowMs));
            }

            @Override
            public void undo(long dbId, RestorePlan plan, long nowMs) {
                refusedThrows(restoreCatalog.cancel(dbId, plan, nowMs));
            }
        };
    }

    private static void refusedThrows(RestoreCatalog.Outcome outcome) {
        if (outcome instanceof RestoreCatalog.Outcome.Refused refused) {
            throw new CatalogRefusedException(refused.message());
        }
    }
}
