package io.snapbus.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.snapbus.local.LocalStack;
import io.snapbus.testing.SnapbusInfra;
import io.snapbus.testing.SnapbusInfraExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** The real application class, with everything it scans, starts on port 0, writes its port file and serves its API. */
@SnapbusInfra
class JobServiceApplicationSmokeIntegrationTest {

    @Test
    void startsOnAFreePortAndWritesThePortFile(LocalStack stack) throws Exception {
        Path portFile = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "jobs-smoke-")
                .resolve("port");
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(JobServiceApplication.class).run(
                "--server.port=0",
                "--snapbus.kafka.bootstrap-servers=" + stack.bootstrapServers(),
                "--snapbus.kafka.registry.url=" + stack.registryUrl(),
                "--snapbus.kafka.topic-prefix=" + SnapbusInfraExtension.uniqueName("jobs") + ".",
                "--snapbus.jobs.port-file=" + portFile)) {
            Http http = new Http(Integer.parseInt(Files.readString(portFile)));
            assertThat(http.get("/api/databases").status()).isEqualTo(200);
            assertThat(http.get("/v3/api-docs").body().get("paths").has("/api/repositories/{name}/snapshots"))
                    .isTrue();
            assertThat(app.getBean("catalog")).isNotNull();
        }
    }
}
