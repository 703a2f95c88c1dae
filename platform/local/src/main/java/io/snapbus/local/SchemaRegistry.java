package io.snapbus.local;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Apicurio Registry (its own distribution, run from a shared unpacked copy) on 127.0.0.1, persisting to an H2
 * database file under {@code <data>/registry}. Serves the Confluent-compatible API that our Avro serde and any
 * Confluent client use, plus Apicurio's own v2 and v3 APIs.
 */
public final class SchemaRegistry extends ProcessComponent {

    public static final String NAME = "registry";
    static final String MAIN_CLASS = "io.quarkus.runner.GeneratedMain";
    private static final Logger log = LoggerFactory.getLogger(SchemaRegistry.class);
    private static final byte[] H2_HEADER = "H:2,".getBytes(StandardCharsets.US_ASCII);

    private final int port;

    private SchemaRegistry(LocalProcess process, int port, Duration stopTimeout) {
        super(NAME, process, stopTimeout);
        this.port = port;
    }

    /** Starts the registry and returns once {@code GET /apis/ccompat/v7/subjects} answers 200. */
    public static SchemaRegistry start(LocalStackConfig config) {
        StackLayout layout = new StackLayout(config.dataDir());
        JavaRuntime java = JavaRuntime.require(NAME, config.registryJavaHome(), "registryJavaHome");
        PidFile.refuseIfRunning(NAME, layout.pidFile(NAME));
        requireH2Database(layout.registry());
        Path runnerJar = RegistryDistribution.runnerJar(LocalArtifacts.registryDistribution(config), config.cacheDir());
        for (int attempt = 1; ; attempt++) {
            int port = config.registryPort() != 0 ? config.registryPort() : Ports.pickFree(1)[0];
            if (config.registryPort() != 0) {
                Ports.requireFree(NAME, port, "registryPort");
            }
            try {
                return launch(config, layout, java, runnerJar, port);
            } catch (Startup.PortTaken e) {
                if (config.registryPort() != 0 || attempt >= 2) {
                    throw e;
                }
                log.info("registry: the port picked for it was taken meanwhile; retrying with a fresh port");
            }
        }
    }

    private static SchemaRegistry launch(LocalStackConfig config, StackLayout layout, JavaRuntime java, Path runnerJar, int port) {
        long started = System.nanoTime();
        Path dbFolder = StackLayout.createDirectories(NAME, layout.registry());
        Path tmp = StackLayout.createDirectories(NAME, layout.tmp(NAME));
        List<String> options = List.of(
                // A registry serves a few lookups (serdes cache ids): the fast-starting JIT tier and a small GC are enough.
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-Dquarkus.http.host=" + Ports.HOST,
                "-Dquarkus.http.port=" + port,
                "-Dquarkus.management.host=" + Ports.HOST,
                "-Dquarkus.banner.enabled=false",
                "-Dquarkus.log.console.format=%d{yyyy-MM-dd HH:mm:ss.SSS} %-5p [%c{3.}] (%t) %s%e%n",
                // "Started in …s. Listening on …" and the active profile; the rest of Quarkus stays at its WARN.
                "-Dquarkus.log.category.\"io.quarkus\".level=INFO",
                // The distribution itself sets the deprecated quarkus.log.console.color, and Quarkus warns about it on every start.
                "-Dquarkus.log.category.\"io.quarkus.runtime.configuration.DeprecatedRuntimePropertiesRecorder\".level=ERROR",
                // Persist to a file: the distribution's default is an in-memory H2 that forgets every schema.
                "-Dapicurio.datasource.url=jdbc:h2:file:" + dbFolder.resolve("db"),
                "-Dapicurio.datasource.jdbc.initial-size=2",
                "-Dapicurio.datasource.jdbc.min-size=2",
                "-Dapicurio.datasource.jdbc.max-size=20",
                "-Dapicurio.storage.snapshot.location=" + tmp,
                "-Dapicurio.import.work-dir=" + tmp);
        JvmCommand command = JvmCommand.of(java, config, NAME, config.registryHeap(), options, runnerJar.toString(), false, Optional.of(NAME),
                MAIN_CLASS, List.of());
        LocalProcess process = LocalProcess.launch(new LocalProcess.Spec(NAME, command.command(), command.environment(),
                tmp, layout, config.stopWithOwner()));
        String base = "http://" + Ports.HOST + ":" + port;
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest subjects = HttpRequest.newBuilder(URI.create(base + "/apis/ccompat/v7/subjects")).timeout(Duration.ofSeconds(3)).GET().build();
        try {
            Startup.awaitReady(process, "GET " + subjects.uri(),
                    () -> Ports.accepts(port) && http.send(subjects, HttpResponse.BodyHandlers.discarding()).statusCode() == 200,
                    config.startupTimeout(), config.stopTimeout(), hints(layout, port),
                    "see its log below; if the data folder " + dbFolder + " was damaged, remove it to start fresh");
        } catch (LocalComponentException e) {
            command.classDataArchive().ifPresent(ClassDataArchive::discard);
            throw e;
        }
        command.classDataArchive().ifPresent(archive -> process.afterStop(archive::publish));
        LaunchRecord.of(NAME, command, config, tmp, new LaunchRecord.Readiness.Http(subjects.uri(), 200)).write(layout);
        log.info("registry: ready on {} (pid {}) in {} ms; log {}", base, process.pid(), (System.nanoTime() - started) / 1_000_000,
                process.logFile());
        return new SchemaRegistry(process, port, config.stopTimeout());
    }

    /** {@code http://127.0.0.1:<port>}. */
    public String url() {
        return "http://" + Ports.HOST + ":" + port;
    }

    /** The Confluent-compatible API: {@code …/apis/ccompat/v7} (what a Confluent client calls its schema registry URL). */
    public String confluentUrl() {
        return url() + "/apis/ccompat/v7";
    }

    /** Apicurio's v2 API, used by the apicurio-registry-serdes 2.x serde. */
    public String v2Url() {
        return url() + "/apis/registry/v2";
    }

    /** Apicurio's v3 API, used by the apicurio-registry 3.x serde. */
    public String v3Url() {
        return url() + "/apis/registry/v3";
    }

    public int port() {
        return port;
    }

    /** A database file that does not start like an H2 file is refused before the registry is launched on it. */
    static void requireH2Database(Path folder) {
        if (Files.isRegularFile(folder)) {
            throw new LocalComponentException(NAME, "data folder " + folder + " looks corrupt (it is a file, not a folder): remove"
                    + " it to start fresh");
        }
        Path db = folder.resolve("db.mv.db");
        if (!Files.isRegularFile(db)) {
            return;
        }
        byte[] head = new byte[H2_HEADER.length];
        int read;
        try (InputStream in = Files.newInputStream(db)) {
            read = in.readNBytes(head, 0, head.length);
        } catch (IOException e) {
            throw new LocalComponentException(NAME, "data folder " + folder + " looks corrupt (" + db.getFileName() + " is unreadable: "
                    + e + "): remove it to start fresh", e);
        }
        if (read > 0 && !Arrays.equals(head, H2_HEADER)) {
            throw new LocalComponentException(NAME, "data folder " + folder + " looks corrupt (" + db.getFileName()
                    + " is not an H2 database file): remove it to start fresh");
        }
    }

    private static List<Startup.Hint> hints(StackLayout layout, int port) {
        Path folder = layout.registry();
        return List.of(
                Startup.Hint.of("Address already in use|BindException|Port .* seems to be in use", "port " + port + " on 127.0.0.1 was"
                        + " taken by another process; free it or choose another port (LocalStackConfig.registryPort, 0 picks a free one)"),
                Startup.Hint.of("Database may be already in use|Locked by another process", "another process holds the registry"
                        + " database in " + folder + "; stop the stack that uses data folder " + layout.dataDir() + " first"),
                Startup.Hint.of("IO Exception|File corrupted|MVStoreException|Unsupported database file|JdbcSQLNonTransient|"
                        + "General error", "data folder " + folder + " looks corrupt: remove it to start fresh"),
                Startup.Hint.of("UnsupportedClassVersionError", "the registry needs a newer Java; set"
                        + " LocalStackConfig.registryJavaHome to a JDK 17 or newer"));
    }
}
