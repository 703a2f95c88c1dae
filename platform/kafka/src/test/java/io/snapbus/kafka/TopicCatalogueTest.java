package io.snapbus.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.snapbus.avro.JobEvent;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TopicCatalogueTest {
    private final SnapbusKafkaProperties properties = SnapbusKafkaProperties.local("127.0.0.1:9092",
            "http://127.0.0.1:8081");

    @Test
    void namesEveryTopicWithTheConfiguredPrefix() {
        TopicCatalogue catalogue = new TopicCatalogue(properties.withTopicPrefix("prod."));

        assertThat(catalogue.name(SnapbusTopic.AGENT_TASKS)).isEqualTo("prod.agent-tasks");
        assertThat(catalogue.deadLetterName(SnapbusTopic.TASK_RESULTS)).isEqualTo("prod.task-results.dlt");
        assertThat(catalogue.all()).extracting(TopicSpec::name).containsExactlyInAnyOrder(
                "prod.agent-tasks", "prod.agent-tasks.dlt", "prod.task-results", "prod.task-results.dlt",
                "prod.backup-jobs", "prod.backup-jobs.dlt", "prod.restore-jobs", "prod.restore-jobs.dlt", "prod.job-events", "prod.job-events.dlt",
                "prod.catalog", "prod.catalog.dlt", "prod.backends", "prod.backends.dlt");
    }

    @Test
    void compactsTheStateTopicsAndExpiresTheOthers() {
        TopicCatalogue catalogue = new TopicCatalogue(properties);

        List<String> compacted = catalogue.all().stream().filter(TopicSpec::compacted).map(TopicSpec::name).toList();

        assertThat(compacted).containsExactlyInAnyOrder("snapbus.backup-jobs", "snapbus.restore-jobs",
                "snapbus.catalog", "snapbus.backends");
        assertThat(catalogue.spec(SnapbusTopic.JOB_EVENTS).configs())
                .containsEntry("cleanup.policy", "delete")
                .containsEntry("retention.ms", Long.toString(30L * 24 * 3600 * 1000));
        assertThat(catalogue.spec(SnapbusTopic.AGENT_TASKS).configs())
                .containsEntry("retention.ms", Long.toString(7L * 24 * 3600 * 1000));
    }

    @Test
    void keepsTheCatalogOnOnePartitionSoReplaySeesCommitsInOrder() {
        assertThat(new TopicCatalogue(properties).spec(SnapbusTopic.CATALOG).partitions()).isEqualTo(1);
    }

    @Test
    void appliesPerTopicOverrides() {
        TopicCatalogue catalogue = new TopicCatalogue(properties.withTopicOverrides(Map.of("backup-jobs",
                new SnapbusKafkaProperties.TopicOverride(3, Map.of("segment.ms", "100")))));

        TopicSpec spec = catalogue.spec(SnapbusTopic.BACKUP_JOBS);

        assertThat(spec.partitions()).isEqualTo(3);
        assertThat(spec.configs()).containsEntry("segment.ms", "100").containsEntry("cleanup.policy", "compact");
    }

    @Test
    void asksForTwoInSyncReplicasOnEveryTopicFromThreeReplicasUp() {
        TopicCatalogue three = new TopicCatalogue(properties.withReplicationFactor((short) 3));

        assertThat(three.all()).allSatisfy(spec -> {
            assertThat(spec.replicationFactor()).isEqualTo((short) 3);
            assertThat(spec.configs()).containsEntry("min.insync.replicas", "2");
        });
        assertThat(new TopicCatalogue(properties).all())
                .allSatisfy(spec -> assertThat(spec.configs()).doesNotContainKey("min.insync.replicas"));
    }

    @Test
    void findsTheTopicOfARecordType() {
        assertThat(TopicCatalogue.topicOf(JobEvent.class)).isEqualTo(SnapbusTopic.JOB_EVENTS);
    }
}
