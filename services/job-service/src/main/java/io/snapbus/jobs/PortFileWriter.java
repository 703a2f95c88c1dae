package io.snapbus.jobs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.stereotype.Component;

/**
 * Writes the web server's actual port to {@code snapbus.jobs.port-file} once the service is ready (catalog and jobs
 * replayed and resumed: readiness UP), not when the server first listens (temp file + rename). A launcher waiting for
 * the file thus gets a service that answers its API.
 */
@Component
class PortFileWriter implements ApplicationListener<ApplicationReadyEvent> {
    private static final Logger log = LoggerFactory.getLogger(PortFileWriter.class);

    private final JobServiceProperties properties;

    PortFileWriter(JobServiceProperties properties) {
        this.properties = properties;
    }

    @Override
    public void onApplicationEvent(ApplicationReadyEvent event) {
        Path portFile = properties.portFile();
        if (portFile == null) {
            return;
        }
        if (!(event.getApplicationContext() instanceof WebServerApplicationContext web)) {
            return;
        }
        int port = web.getWebServer().getPort();
        try {
            Path target = portFile.toAbsolutePath();
            Files.createDirectories(target.getParent());
            Path temp = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".tmp");
            Files.writeString(temp, Integer.toString(port), StandardCharsets.UTF_8);
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            log.info("job-service ready on port {} (written to {})", port, target);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the port file " + portFile, e);
        }
    }
}
