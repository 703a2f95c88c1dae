package io.snapbus.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.snapbus.local.LocalStack;
import io.snapbus.testing.SnapbusInfra;
import io.snapbus.testing.SnapbusInfraExtension;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

@SnapbusInfra
class SnapbusKafkaConfigurationIntegrationTest {

    @Test
    void aServiceStartCreatesEveryTopicAndRegistersEverySchemaAndASecondStartChangesNothing(LocalStack stack)
            throws Exception {
        String prefix = SnapbusInfraExtension.uniqueName("boot") + ".";
        ApplicationContextRunner runner = new ApplicationContextRunner()
                .withUserConfiguration(SnapbusKafkaConfiguration.class)
                .withPropertyValues(
                        "snapbus.kafka.bootstrap-servers=" + stack.bootstrapServers(),
                        "snapbus.kafka.topic-prefix=" + prefix,
                        "snapbus.kafka.registry.url=" + stack.registryUrl());

        runner.run(context -> assertThat(context).hasNotFailed());

        try (KafkaClients clients = new KafkaClients(KafkaTestSupport.isolated(stack, "unused")
                .withTopicPrefix(prefix)); Admin admin = clients.admin()) {
            Set<String> topics = admin.listTopics().names().get();
            assertThat(topics).containsAll(clients.catalogue().all().stream().map(TopicSpec::name).toList());
            SchemaRegistryAdmin registry = new SchemaRegistryAdmin(stack.registryConfluentUrl().toString());
            for (SnapbusTopic topic : SnapbusTopic.values()) {
                assertThat(registry.compatibility(SchemaRegistryAdmin.valueSubject(clients.catalogue().name(topic))))
                        .isEqualTo("BACKWARD");
            }

            TopicProvisioner.Report again = new TopicProvisioner(admin).ensure(clients.catalogue().all());
            assertThat(again.created()).isEmpty();
            assertThat(again.reconfigured()).isEmpty();
        }
    }

    @Test
    void aTopicWhoseConfigDriftedIsBroughtBackInLine(LocalStack stack) throws Exception {
        try (KafkaClients clients = new KafkaClients(KafkaTestSupport.isolated(stack, "drift"));
                Admin admin = clients.admin()) {
            KafkaTestSupport.provision(clients);
            String topic = clients.catalogue().name(SnapbusTopic.JOB_EVENTS);
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            admin.incrementalAlterConfigs(java.util.Map.of(resource, List.of(new AlterConfigOp(
                    new ConfigEntry("retention.ms", "1000"), AlterConfigOp.OpType.SET)))).all().get();
            // The broker applies config changes through its metadata log: wait until the drift is visible.
            await().atMost(Duration.ofSeconds(30)).until(() -> retentionOf(admin, resource).equals("1000"));

            TopicProvisioner.Report report = new TopicProvisioner(admin).ensure(clients.catalogue().all());

            assertThat(report.reconfigured()).containsExactly(topic);
            String expected = Long.toString(30L * 24 * 3600 * 1000);
            await().atMost(Duration.ofSeconds(30)).until(() -> retentionOf(admin, resource).equals(expected));
        }
    }

    private static String retentionOf(Admin admin, ConfigResource resource) throws Exception {
        return admin.describeConfigs(List.of(resource)).all().get().get(resource).get("retention.ms").value();
    }
}
