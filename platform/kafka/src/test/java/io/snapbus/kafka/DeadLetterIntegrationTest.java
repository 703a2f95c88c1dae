package io.snapbus.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.snapbus.avro.JobEvent;
import io.snapbus.local.LocalStack;
import io.snapbus.testing.SnapbusInfra;
import io.snapbus.testing.SnapbusInfraExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.MessageListener;
import org.springframework.kafka.support.KafkaHeaders;

@SnapbusInfra
class DeadLetterIntegrationTest {
    private static final byte[] GARBAGE_1 = "definitely not avro".getBytes(StandardCharsets.UTF_8);
    private static final byte[] GARBAGE_2 = {0, 0, 0, 0x7f, 0x7f, 1, 2, 3};

    @Test
    void anUndecodableRecordLandsInTheDeadLetterTopicAndTheConsumerGoesOn(LocalStack stack) throws Exception {
        try (KafkaClients clients = new KafkaClients(KafkaTestSupport.isolated(stack, "dlt"))) {
            KafkaTestSupport.provision(clients);
            String topic = clients.catalogue().name(SnapbusTopic.JOB_EVENTS);
            BlockingQueue<JobEvent> received = new LinkedBlockingQueue<>();
            ConcurrentMessageListenerContainer<String, JobEvent> container = clients.<JobEvent>listenerContainerFactory(
                    SnapbusInfraExtension.uniqueName("dlt-group")).createContainer(topic);
            container.setupMessageListener((MessageListener<String, JobEvent>) r -> received.add(r.value()));
            container.start();
            try {
                JobEvent first = event(1);
                JobEvent second = event(2);
                sendRaw(stack, topic, "bad-1", GARBAGE_1);
                clients.template().send(topic, 0, "7001", first).get();
                sendRaw(stack, topic, "bad-2", GARBAGE_2);
                clients.template().send(topic, 0, "7001", second).get();

                assertThat(received.poll(60, TimeUnit.SECONDS)).isEqualTo(first);
                assertThat(received.poll(60, TimeUnit.SECONDS)).isEqualTo(second);
            } finally {
                container.stop();
            }

            List<ConsumerRecord<String, byte[]>> dead = KafkaTestSupport.readRaw(stack.bootstrapServers(),
                    clients.catalogue().deadLetterName(SnapbusTopic.JOB_EVENTS), Duration.ofSeconds(10),
                    records -> false);
            assertThat(dead).as("each bad record once, no retry flood").hasSize(2);
            Map<String, byte[]> byKey = Map.of(dead.get(0).key(), dead.get(0).value(),
                    dead.get(1).key(), dead.get(1).value());
            assertThat(byKey.get("bad-1")).isEqualTo(GARBAGE_1);
            assertThat(byKey.get("bad-2")).isEqualTo(GARBAGE_2);
            for (ConsumerRecord<String, byte[]> record : dead) {
                assertThat(new String(record.headers().lastHeader(KafkaHeaders.DLT_ORIGINAL_TOPIC).value(),
                        StandardCharsets.UTF_8)).isEqualTo(topic);
                assertThat(new String(record.headers().lastHeader(KafkaHeaders.DLT_EXCEPTION_FQCN).value(),
                        StandardCharsets.UTF_8)).contains("DeserializationException");
            }
        }
    }

    private static JobEvent event(long seq) {
        JobEvent event = SampleRecords.jobEvent();
        event.setSeq(seq);
        event.setEventId("7001-" + seq);
        return event;
    }

    private static void sendRaw(LocalStack stack, String topic, String key, byte[] value) throws Exception {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()),
                new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, 0, key, value)).get();
        }
    }
}
