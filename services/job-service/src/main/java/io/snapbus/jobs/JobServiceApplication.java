package io.snapbus.jobs;

import io.snapbus.kafka.SnapbusKafkaConfiguration;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Import;

/** The coordinator: catalog, repositories, loads, the agent task gateway and (later) backup jobs, behind a REST API. */
// Kafka is wired by SnapbusKafkaConfiguration; Boot's own Kafka auto-configuration (module spring-boot-kafka, not on
// this classpath) stays out by name, should a dependency ever bring it.
@SpringBootApplication(excludeName = "org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration")
@Import(SnapbusKafkaConfiguration.class)
@EnableConfigurationProperties(JobServiceProperties.class)
public class JobServiceApplication {

    public static void main(String[] args) {
        SpringApplication.run(JobServiceApplication.class, args);
    }
}
