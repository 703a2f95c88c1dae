package io.snapbus.jobs;

import io.snapbus.kafka.SnapbusKafkaConfiguration;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.FilterType;
import org.springframework.context.annotation.Import;

/**
 * The job-service as {@link JobServiceApplication} wires it, minus the backup, restore and verification jobs and their engine
 * (not what these tests are about): catalog, loads, repositories, task gateway, REST API.
 */
@SpringBootConfiguration
@EnableAutoConfiguration(excludeName = "org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration")
@ComponentScan(basePackages = "io.snapbus.jobs", excludeFilters = {
        @ComponentScan.Filter(type = FilterType.REGEX, pattern = "io\\.snapbus\\.jobs\\.(backup|restore|engine|verify|retention|schedule)\\..*"),
        @ComponentScan.Filter(type = FilterType.ASSIGNABLE_TYPE, classes = JobServiceApplication.class)})
@Import(SnapbusKafkaConfiguration.class)
@EnableConfigurationProperties(JobServiceProperties.class)
class CatalogServiceApplication {
}
