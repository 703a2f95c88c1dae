package io.snapbus.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.snapbus.avro.BackupJobRecord;
import io.snapbus.local.LocalStack;
import io.snapbus.testing.SnapbusInfra;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.core.KafkaTemplate;

/** One way to read a topic: replay it to its end, or follow it from its beginning or its end. */
@SnapbusInfra
class TopicFollowerIntegrationTest {

    @Test
    void replaysToTheEndAndFollowsFromEitherEnd(LocalStack stack) throws Exception {
        try (KafkaClients clients = new KafkaClients(KafkaTestSupport.isolated(stack, "follow"))) {
            KafkaTestSupport.provision(clients);
            String topic = clients.catalogue().name(SnapbusTopic.BACKUP_JOBS);
            KafkaTemplate<String, SpecificRecord> template = clients.template();
            template.send(topic, "1", job(1, 1)).get();
            template.send(topic, "2", job(2, 1)).get();
            template.send(topic, "1/tablets/0", job(1, 1)).get();
            template.send(topic, "2", null).get();
            // A value no deserializer can read is skipped, not handed on and not fatal.
            try (KafkaProducer<String, byte[]> raw = new KafkaProducer<>(java.util.Map.of("bootstrap.servers",
                    stack.bootstrapServers()), new StringSerializer(), new ByteArraySerializer())) {
                raw.send(new ProducerRecord<>(topic, "3", new byte[] {1, 2, 3})).get();
            }

            List<String> replayed = new ArrayList<>();
            int count = TopicFollower.<BackupJobRecord>replay(clients, topic, Duration.ofSeconds(30),
                    (key, value) -> replayed.add(key + "=" + (value == null ? "tombstone" : value.getStateSeq())));
            assertThat(count).isEqualTo(4);
            assertThat(replayed).containsExactlyInAnyOrder("1=1", "2=1", "1/tablets/0=1", "2=tombstone");

            List<String> fromStart = new CopyOnWriteArrayList<>();
            List<String> fromEnd = new CopyOnWriteArrayList<>();
            try (TopicFollower<BackupJobRecord> all = TopicFollower.follow(clients, topic,
                         TopicFollower.From.BEGINNING, key -> !key.contains("/"), (key, value) -> fromStart.add(key));
                 TopicFollower<BackupJobRecord> newest = TopicFollower.follow(clients, topic,
                         TopicFollower.From.END, key -> true, (key, value) -> fromEnd.add(key))) {
                assertThat(all.awaitCaughtUp(Duration.ofSeconds(30))).isTrue();
                assertThat(newest.awaitCaughtUp(Duration.ofSeconds(30))).isTrue();
                assertThat(fromStart).as("wanted keys only").containsExactlyInAnyOrder("1", "2", "2");
                assertThat(fromEnd).as("nothing before the end").isEmpty();

                template.send(topic, "4", job(4, 1)).get();

                Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> fromEnd.contains("4")
                        && fromStart.contains("4"));
                assertThat(fromEnd).containsExactly("4");
            }
        }
    }

    private static BackupJobRecord job(long jobId, long seq) {
        BackupJobRecord record = SampleRecords.jobHeader();
        record.setJobId(jobId);
        record.setStateSeq(seq);
        return record;
    }
}
