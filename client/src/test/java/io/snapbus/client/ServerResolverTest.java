package io.snapbus.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The job-service a command talks to: --server, then SNAPBUS_SERVER, then the config file, then the local stack. */
class ServerResolverTest {
    @TempDir
    Path dir;

    private final Map<String, String> variables = new HashMap<>();
    private Path home;
    private Path work;

    @BeforeEach
    void folders() throws Exception {
        home = Files.createDirectories(dir.resolve("home"));
        work = Files.createDirectories(dir.resolve("work"));
    }

    @Test
    void theFlagWinsOverEverythingElse() throws Exception {
        everySourceGiven();

        Server server = resolve("http://flag:1/");

        assertThat(server.uri()).isEqualTo(URI.create("http://flag:1"));
        assertThat(server.source()).isEqualTo("--server");
    }

    @Test
    void theEnvironmentWinsOverTheConfigFileAndTheLocalStack() throws Exception {
        everySourceGiven();

        Server server = resolve(null);

        assertThat(server.uri()).isEqualTo(URI.create("http://env:2"));
        assertThat(server.source()).contains("SNAPBUS_SERVER");
    }

    @Test
    void theDefaultConfigFileWinsOverTheLocalStack() throws Exception {
        everySourceGiven();
        variables.remove("SNAPBUS_SERVER");

        Server server = resolve(null);

        assertThat(server.uri()).isEqualTo(URI.create("http://config:3"));
        assertThat(server.source()).contains(home.resolve(".config/snapbus/config.properties").toString());
    }

    @Test
    void snapbusConfigNamesAnotherConfigFile() throws Exception {
        everySourceGiven();
        variables.remove("SNAPBUS_SERVER");
        Files.writeString(work.resolve("ops.properties"), "server=http://ops:4\n");
        variables.put("SNAPBUS_CONFIG", "ops.properties");

        assertThat(resolve(null).uri()).isEqualTo(URI.create("http://ops:4"));
    }

    @Test
    void aMissingSnapbusConfigFileIsAnError() {
        variables.put("SNAPBUS_CONFIG", "nowhere.properties");

        assertThatThrownBy(() -> resolve(null)).isInstanceOf(ClientFailure.class)
                .hasMessageContaining("nowhere.properties");
    }

    @Test
    void withoutAnyOtherTheLocalStacksEndpointsFileNamesTheJobService() throws Exception {
        endpoints(work.resolve(".snapbus/quickstart"), 28080);

        Server server = resolve(null);

        assertThat(server.uri()).isEqualTo(URI.create("http://127.0.0.1:28080"));
        assertThat(server.source()).contains(".snapbus/quickstart/run/endpoints.properties");
    }

    @Test
    void snapbusHomeMovesTheStacksFolderAndTheUpStackComesFirst() throws Exception {
        Path stacks = Files.createDirectories(dir.resolve("stacks"));
        variables.put("SNAPBUS_HOME", stacks.toString());
        endpoints(stacks.resolve("quickstart"), 28080);
        endpoints(stacks.resolve("local"), 29090);

        assertThat(resolve(null).uri()).isEqualTo(URI.create("http://127.0.0.1:29090"));
    }

    @Test
    void anEndpointsFileWithoutAJobServiceIsPassedOver() throws Exception {
        Files.createDirectories(work.resolve(".snapbus/local/run"));
        Files.writeString(work.resolve(".snapbus/local/run/endpoints.properties"),
                "bootstrap.servers=127.0.0.1:9092\n");

        assertThatThrownBy(() -> resolve(null)).isInstanceOf(ClientFailure.class)
                .hasMessageStartingWith("no job-service given");
    }

    @Test
    void aUrlThatIsNoHttpIsAUsageError() {
        assertThatThrownBy(() -> resolve("127.0.0.1:8080")).isInstanceOf(ClientFailure.class)
                .extracting(e -> ((ClientFailure) e).exitCode()).isEqualTo(ExitCode.USAGE);
    }

    private Server resolve(String flag) {
        return new ServerResolver(new ClientEnvironment(variables, home, work)).resolve(flag);
    }

    private void everySourceGiven() throws Exception {
        variables.put("SNAPBUS_SERVER", "http://env:2");
        Files.createDirectories(home.resolve(".config/snapbus"));
        Files.writeString(home.resolve(".config/snapbus/config.properties"), "# snapbus\nserver = http://config:3\n");
        endpoints(work.resolve(".snapbus/local"), 28080);
    }

    /** The endpoints file as LocalStack writes it (java.util.Properties#store, URLs with escaped colons). */
    private static void endpoints(Path dataDir, int port) throws Exception {
        Files.createDirectories(dataDir.resolve("run"));
        Files.writeString(dataDir.resolve("run/endpoints.properties"), """
                #snapbus local stack in %s
                bootstrap.servers=127.0.0.1\\:39092
                job-service.metrics.url=http\\://127.0.0.1\\:%d/actuator/prometheus
                job-service.readiness.url=http\\://127.0.0.1\\:%d/actuator/health/readiness
                registry.url=http\\://127.0.0.1\\:38081/apis/registry/v3
                """.formatted(dataDir, port, port));
    }
}
