package io.snapbus.jobs;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the job-service ({@code snapbus.jobs.*}).
 *
 * @param credentialsFile properties file with {@code <ref>.access_key} and {@code <ref>.secret_key} entries that
 *                        repositories name by {@code credentialRef}; absent when no repository needs credentials
 * @param taskTimeout     how long a DDL or load waits for the results of its agent tasks (default 60 s)
 * @param portFile        when set, the web server's actual port is written there (atomically) once it listens, for
 *                        launchers that start the service on port 0
 * @param instanceId      the job-service's static member id in the task-results consumer group: a restarted
 *                        job-service with the same id gets its partitions back at once instead of after the dead
 *                        one's session timeout (one coordinator runs at a time, so the default suits most setups)
 */
@ConfigurationProperties("snapbus.jobs")
public record JobServiceProperties(
        Path credentialsFile,
        @DefaultValue("60s") Duration taskTimeout,
        Path portFile,
        @DefaultValue("job-service") String instanceId) {
}
