package io.snapbus.agent;

import io.snapbus.agent.observe.AgentTasksHealthIndicator;
import io.snapbus.kafka.KafkaClients;
import io.snapbus.kafka.SnapbusKafkaConfiguration;
import org.apache.avro.specific.SpecificRecord;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * The backend-agent service: Kafka settings from {@code snapbus.kafka.*}, its own from {@code snapbus.agent.*}.
 * Topics and schemas are provisioned at start (SnapbusKafkaConfiguration) before the agent starts.
 */
// Auto-configuration for the management server (actuator, Prometheus); Kafka is wired by SnapbusKafkaConfiguration,
// so Boot's own Kafka auto-configuration stays out by name, as in the job-service.
@SpringBootConfiguration
@EnableAutoConfiguration(excludeName = "org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration")
@Import(SnapbusKafkaConfiguration.class)
@EnableConfigurationProperties(AgentProperties.class)
public class BackendAgentApplication {

    public static void main(String[] args) {
        builder().run(args);
    }

    /**
     * The application with its own config file name ({@code backend-agent.properties}), so it can share a classpath
     * with the other snapbus services (the CLI runs them all from one).
     */
    public static SpringApplicationBuilder builder() {
        return new SpringApplicationBuilder(BackendAgentApplication.class)
                .properties("spring.config.name=backend-agent");
    }

    @Bean
    public BackendAgent backendAgent(AgentProperties properties, KafkaClients clients,
            KafkaTemplate<String, SpecificRecord> snapbusKafkaTemplate) {
        return new BackendAgent(properties, clients, snapbusKafkaTemplate);
    }

    /** Readiness: the agent's consumer was assigned its agent-tasks partitions. */
    @Bean("agentTasks")
    public AgentTasksHealthIndicator agentTasksHealth(BackendAgent backendAgent) {
        return new AgentTasksHealthIndicator(backendAgent);
    }
}
