package io.snapbus.jobs;

import io.snapbus.kafka.SnapbusKafkaConfiguration;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.kafka.KafkaAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Import;

/** The coordinator: catalog, repositories, loads, the agent task gateway and (later) backup jobs, behind a REST API. */
@SpringBootApplication(exclude = KafkaAutoConfiguration.class)
@Import(SnapbusKafkaConfiguration.class)
@EnableConfigurationProperties(JobServiceProperties.class)
public class JobServiceApplication {

    public static void main(String[] args) {
        SpringApplication.run(JobServiceApplication.class, args);
    }
}
