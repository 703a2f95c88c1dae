package io.snapbus.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.snapbus.avro.BackupJobRecord;
import io.snapbus.local.LocalStack;
import io.snapbus.testing.SnapbusInfra;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.Deserializer;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.core.KafkaTemplate;

@SnapbusInfra
class CompactedTopicIntegrationTest {
    private static final int VERSIONS = 15;

    @Test
    void theBrokerDropsOlderValuesOfAKeyOnTheJobStateTopic(LocalStack stack) throws Exception {
        // Roll segments quickly and clean eagerly, so compaction happens within the test.
        Map<String, String> eager = Map.of("segment.ms", "200", "min.cleanable.dirty.ratio", "0.01",
                "min.compaction.lag.ms", "0", "delete.retention.ms", "100");
        SnapbusKafkaProperties properties = KafkaTestSupport.isolated(stack, "compact")
                .withTopicOverrides(Map.of("backup-jobs", new SnapbusKafkaProperties.TopicOverride(1, eager)));
        try (KafkaClients clients = new KafkaClients(properties)) {
            KafkaTestSupport.provision(clients);
            String topic = clients.catalogue().name(SnapbusTopic.BACKUP_JOBS);
            assertThat(cleanupPolicy(clients, topic)).isEqualTo("compact");

            // The broker rolls a segment once a record's timestamp is segment.ms past the segment's first one: records
            // stamped a second apart each start a segment, with no waiting for the clock (timestamps in the past).
            KafkaTemplate<String, SpecificRecord> template = clients.template();
            long stamp = System.currentTimeMillis() - Duration.ofMinutes(10).toMillis();
            for (long seq = 1; seq <= VERSIONS; seq++) {
                stamp += 1000;
                template.send(topic, null, stamp, "7001", jobAt(7001, seq)).get();
                template.send(topic, null, stamp, "7002", jobAt(7002, seq)).get();
            }

            List<ConsumerRecord<String, byte[]>> remaining = waitForCompaction(template, topic, stack, stamp);

            List<ConsumerRecord<String, byte[]>> firstJob = remaining.stream()
                    .filter(r -> r.key().equals("7001")).toList();
            assertThat(firstJob).as("values of key 7001 left after compaction").hasSize(1);
            Deserializer<BackupJobRecord> avro = clients.serdes().newDeserializer();
            BackupJobRecord survivor = avro.deserialize(topic, firstJob.get(0).value());
            assertThat(survivor.getStateSeq()).as("the latest value survives").isEqualTo(VERSIONS);
        }
    }

    /**
     * Keeps appending a filler (stamped a second after the last record, so it rolls the segment) until the cleaner
     * left one value of key 7001: a polling loop with a deadline, the cleaner running on its own schedule.
     */
    private List<ConsumerRecord<String, byte[]>> waitForCompaction(KafkaTemplate<String, SpecificRecord> template,
            String topic, LocalStack stack, long lastStamp) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        List<ConsumerRecord<String, byte[]>> records = List.of();
        int filler = 0;
        long stamp = lastStamp;
        while (System.nanoTime() < deadline) {
            stamp += 1000;
            template.send(topic, null, stamp, "filler", jobAt(1, ++filler)).get();
            records = KafkaTestSupport.readRaw(stack.bootstrapServers(), topic, Duration.ofSeconds(2),
                    read -> false);
            long values = records.stream().filter(r -> r.key().equals("7001")).count();
            if (values == 1) {
                return records;
            }
            Thread.sleep(500);
        }
        return records;
    }

    private static BackupJobRecord jobAt(long jobId, long seq) {
        BackupJobRecord record = SampleRecords.jobHeader();
        record.setJobId(jobId);
        record.setStateSeq(seq);
        return record;
    }

    private static String cleanupPolicy(KafkaClients clients, String topic) throws Exception {
        try (Admin admin = clients.admin()) {
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            Config config = admin.describeConfigs(List.of(resource)).all().get().get(resource);
            return config.get("cleanup.policy").value();
        }
    }
}
