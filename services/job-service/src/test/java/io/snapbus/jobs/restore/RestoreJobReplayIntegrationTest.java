package io.snapbus.jobs.restore;

import static org.assertj.core.api.Assertions.assertThat;

import io.snapbus.avro.RestoreJobRecord;
import io.snapbus.jobs.engine.AgentWork;
import io.snapbus.jobs.engine.PendingTask;
import io.snapbus.jobs.restore.shell.RestoreJobReplay;
import io.snapbus.kafka.KafkaClients;
import io.snapbus.kafka.SnapbusKafkaProperties;
import io.snapbus.kafka.SnapbusTopic;
import io.snapbus.kafka.TopicProvisioner;
import io.snapbus.local.LocalStack;
import io.snapbus.testing.SnapbusInfra;
import io.snapbus.testing.SnapbusInfraExtension;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * Restore jobs written to a real restore-jobs topic (broker and schema registry, Avro in the Confluent wire format) as
 * full writes and deltas, one of them cut off before its header, come back from a replay as last committed.
 */
@SnapbusInfra
class RestoreJobReplayIntegrationTest {
    private final RestoreMachine machine = new RestoreMachine(RestoreSettings.defaults());

    @Test
    void replaysEveryJobAsItsLastHeaderCommittedIt(LocalStack stack) throws Exception {
        SnapbusKafkaProperties properties = SnapbusKafkaProperties.local(stack.bootstrapServers(),
                stack.registryUrl().toString()).withTopicPrefix(SnapbusInfraExtension.uniqueName("restore-jobs") + ".");
        try (KafkaClients clients = new KafkaClients(properties)) {
            try (Admin admin = clients.admin()) {
                new TopicProvisioner(admin).ensure(clients.catalogue().all());
            }
            String topic = clients.catalogue().name(SnapbusTopic.RESTORE_JOBS);
            KafkaTemplate<String, SpecificRecord> template = clients.template();
            RestoreJob pending = RestoreJob.created(9101L, RestoreScenario.request(), RestoreScenario.repository(),
                    RestoreScenario.T0);
            RestoreJob downloading = downloading();
            List<PendingTask> downloads = RestoreScenario.pending(downloading, AgentWork.Kind.DOWNLOAD);
            RestoreJob oneDownloaded = RestoreRecordsDeltaTest.persisted(machine.apply(downloading,
                    RestoreScenario.ok(downloading, downloads.get(0), RestoreScenario.T0 + 10)));
            RestoreJob cutOff = RestoreRecordsDeltaTest.persisted(machine.apply(oneDownloaded,
                    RestoreScenario.ok(oneDownloaded, downloads.get(1), RestoreScenario.T0 + 11)));

            RestoreRecords records = new RestoreRecords();
            send(template, topic, records.since(null, List.of(pending)));
            send(template, topic, records.since(null, List.of(downloading)));
            send(template, topic, records.since(downloading, List.of(oneDownloaded)));
            Map<String, RestoreJobRecord> unfinished = records.since(oneDownloaded, List.of(cutOff));
            unfinished.remove(records.headerKey(cutOff.jobId()));
            send(template, topic, unfinished);

            Map<Long, RestoreJob> replayed = RestoreJobReplay.replay(clients, topic);

            assertThat(replayed).containsOnlyKeys(9101L, RestoreScenario.JOB);
            assertThat(replayed.get(9101L)).isEqualTo(pending);
            assertThat(replayed.get(RestoreScenario.JOB)).isEqualTo(oneDownloaded);
            assertThat(replayed.get(RestoreScenario.JOB).replicas().get(downloads.get(1).tabletIds().get(0)).phase())
                    .isEqualTo(ReplicaRestore.Phase.SNAPSHOTTED);
        }
    }

    /** 2 400 replicas (three chunks) in DOWNLOADING, every DOWNLOAD awaited, as persisted. */
    private RestoreJob downloading() {
        RestoreScenario scenario = RestoreScenario.generated(40, 10, 3, true);
        RestoreJob job = RestoreRecordsDeltaTest.persisted(machine.apply(RestoreScenario.job(),
                scenario.planned(RestoreScenario.T0 + 1)));
        job = RestoreRecordsDeltaTest.persisted(machine.apply(job, new RestoreInput.CatalogPrepared(
                RestoreScenario.T0 + 2)));
        for (AgentWork.Kind kind : List.of(AgentWork.Kind.CREATE, AgentWork.Kind.MAKE_SNAPSHOT)) {
            for (PendingTask task : RestoreScenario.pending(job, kind)) {
                job = machine.apply(job, RestoreScenario.ok(job, task, RestoreScenario.T0 + 3)).job();
            }
        }
        assertThat(job.state()).isEqualTo(RestoreState.DOWNLOADING);
        return job;
    }

    private static void send(KafkaTemplate<String, SpecificRecord> template, String topic,
            Map<String, RestoreJobRecord> records) throws Exception {
        for (Map.Entry<String, RestoreJobRecord> record : records.entrySet()) {
            template.send(topic, record.getKey(), record.getValue()).get();
        }
    }
}
