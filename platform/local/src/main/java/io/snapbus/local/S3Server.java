package io.snapbus.local;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An S3-compatible server (s3proxy over jclouds' filesystem provider) on 127.0.0.1: buckets are folders under
 * {@code <data>/s3}, requests must be signed (AWS v2 or v4) with the configured access key and secret.
 */
public final class S3Server extends ProcessComponent {

    public static final String NAME = "s3";
    public static final String REGION = "us-east-1";
    private static final Logger log = LoggerFactory.getLogger(S3Server.class);

    private final S3Endpoint endpoint;

    private S3Server(LocalProcess process, S3Endpoint endpoint, Duration stopTimeout) {
        super(NAME, process, stopTimeout);
        this.endpoint = endpoint;
    }

    /** Starts the server and returns once its endpoint answers HTTP (an S3 error document counts: it is S3 talking). */
    public static S3Server start(LocalStackConfig config) {
        StackLayout layout = new StackLayout(config.dataDir());
        JavaRuntime java = JavaRuntime.require(NAME, config.javaHome(), "javaHome");
        PidFile.refuseIfRunning(NAME, layout.pidFile(NAME));
        Path jar = LocalArtifacts.s3proxyJar(config);
        for (int attempt = 1; ; attempt++) {
            int port = config.s3Port() != 0 ? config.s3Port() : Ports.pickFree(1)[0];
            if (config.s3Port() != 0) {
                Ports.requireFree(NAME, port, "s3Port");
            }
            try {
                return launch(config, layout, java, jar, port);
            } catch (Startup.PortTaken e) {
                if (config.s3Port() != 0 || attempt >= 2) {
                    throw e;
                }
                log.info("s3: the port picked for it was taken meanwhile; retrying with a fresh port");
            }
        }
    }

    private static S3Server launch(LocalStackConfig config, StackLayout layout, JavaRuntime java, Path jar, int port) {
        long started = System.nanoTime();
        Path buckets = StackLayout.createDirectories(NAME, layout.s3());
        URI uri = URI.create("http://" + Ports.HOST + ":" + port);
        Path properties = layout.conf().resolve("s3proxy.properties");
        StackLayout.write(NAME, properties, """
                # Written by snapbus-local on every start of the S3 server.
                s3proxy.endpoint=%s
                s3proxy.authorization=aws-v2-or-v4
                s3proxy.identity=%s
                s3proxy.credential=%s
                s3proxy.ignore-unknown-headers=true
                jclouds.provider=filesystem
                jclouds.filesystem.basedir=%s
                """.formatted(uri, escape(config.s3AccessKey()), escape(config.s3SecretKey()), escape(buckets.toString())));
        JvmCommand command = JvmCommand.of(java, config, NAME, config.s3Heap(),
                List.of("-Dlogback.statusListenerClass=ch.qos.logback.core.status.NopStatusListener", "-DLOG_LEVEL=info"),
                jar.toString(), false, Optional.of(NAME), "org.gaul.s3proxy.Main", List.of("--properties", properties.toString()));
        LocalProcess process = LocalProcess.launch(new LocalProcess.Spec(NAME, command.command(), command.environment(),
                layout.tmp(NAME), layout, config.stopWithOwner()));
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest probe = HttpRequest.newBuilder(uri.resolve("/")).timeout(Duration.ofSeconds(3)).GET().build();
        try {
            Startup.awaitReady(process, "GET " + probe.uri(),
                    () -> Ports.accepts(port) && http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() > 0,
                    config.startupTimeout(), config.stopTimeout(),
                    List.of(Startup.Hint.of("Address already in use|BindException|Failed to bind", "port " + port + " on 127.0.0.1 was"
                            + " taken by another process; free it or choose another port (LocalStackConfig.s3Port, 0 picks a free one)")),
                    "see its log below; if the data folder " + buckets + " was damaged, remove it to start fresh");
        } catch (LocalComponentException e) {
            command.classDataArchive().ifPresent(ClassDataArchive::discard);
            throw e;
        }
        command.classDataArchive().ifPresent(archive -> process.afterStop(archive::publish));
        LaunchRecord.of(NAME, command, config, layout.tmp(NAME), new LaunchRecord.Readiness.Http(probe.uri(), 0))
                .write(layout);
        log.info("s3: ready on {} (pid {}) in {} ms; buckets in {}; log {}", uri, process.pid(), (System.nanoTime() - started) / 1_000_000,
                buckets, process.logFile());
        return new S3Server(process, new S3Endpoint(uri, REGION, config.s3AccessKey(), config.s3SecretKey()), config.stopTimeout());
    }

    /** The endpoint (path-style), region and credentials to give an S3 client. */
    public S3Endpoint endpoint() {
        return endpoint;
    }

    /** Escapes a value for a .properties file. */
    private static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\n", "\\n");
    }
}
