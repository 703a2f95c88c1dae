package io.snapbus.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.snapbus.client.ClientEnvironment;
import io.snapbus.local.LocalStackConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The {@code snapbus} command line before anything starts: each command's own options, help, refusals. */
class SnapbusCliTest {
    @TempDir
    Path dir;

    @Test
    void aLocalCommandRefusesAnOptionOfAnotherOne() {
        Run down = run("down", "--keep");

        assertThat(down.exit()).isEqualTo(SnapbusCli.USAGE);
        assertThat(down.err()).contains("Unknown option: '--keep'");
        assertThat(run("status", "--server", "http://127.0.0.1:1").err()).contains("Unknown options: '--server'");
        assertThat(run("down", "--tablets", "9").exit()).isEqualTo(SnapbusCli.USAGE);
    }

    @Test
    void quickstartHelpListsItsOwnOptionsOnly() {
        Run help = run("quickstart", "--help");

        assertThat(help.exit()).isZero();
        assertThat(help.out()).startsWith("Usage: snapbus quickstart").contains("--keep", "--data=DIR",
                "--brokers=N", "--kafka-security=PROTOCOL", "--kafka-port=PORT", "--registry-port=PORT", "Exit codes:");
        assertThat(help.out()).doesNotContain("--server", "--output", "--s3", "--url", "--tablets", "--repo");
    }

    @Test
    void upHelpHasTheS3OptionsQuickstartHasNot() {
        Run help = run("up", "--help");

        assertThat(help.exit()).isZero();
        assertThat(help.out()).contains("--s3 ", "--s3-port=PORT", "--brokers=N", "SASL_SSL").doesNotContain("--keep");
    }

    @Test
    void aMistypedCommandIsRefusedWithASuggestion() {
        Run run = run("qucikstart");

        assertThat(run.exit()).isEqualTo(SnapbusCli.USAGE);
        assertThat(run.err()).contains("Unmatched argument at index 0: 'qucikstart'",
                "Did you mean: snapbus quickstart?");
    }

    @Test
    void backupHelpListsItsCommands() {
        Run help = run("backup", "--help");

        assertThat(help.exit()).isZero();
        assertThat(help.out()).startsWith("Usage: snapbus backup").containsPattern("(?m)^ +start ")
                .containsPattern("(?m)^ +list ").containsPattern("(?m)^ +show ").containsPattern("(?m)^ +cancel ");
    }

    @Test
    void restartNeedsTheServiceToRestart() {
        Run run = run("restart");

        assertThat(run.exit()).isEqualTo(SnapbusCli.USAGE);
        assertThat(run.err()).contains("Missing required parameter: 'SERVICE'");
    }

    @Test
    void theRootListsTheLocalCommandsTheJobServiceCommandsAndBench() {
        Run help = run("--help");

        assertThat(help.exit()).isZero();
        List<String> listed = help.out().lines().filter(line -> line.matches("  [a-z-]+ .*|  [a-z-]+"))
                .map(line -> line.strip().split(" +")[0]).toList();
        assertThat(listed).containsExactly("quickstart", "up", "status", "down", "restart", "stop", "start", "demo",
                "repo", "snapshot", "policy", "schedule", "history", "backup", "restore", "local-snapshot", "db",
                "table", "partition", "load", "rows", "backend", "recycle-bin", "view", "resource", "odbc-table",
                "generate-completion", "bench", "help");
        Run alone = run();
        assertThat(alone.exit()).isEqualTo(SnapbusCli.USAGE);
        assertThat(alone.err()).startsWith("Usage: snapbus");
    }

    @Test
    void benchSaysTheScriptRunsIt() {
        Run run = run("bench", "data-plane", "--size-mb", "64");

        assertThat(run.exit()).isEqualTo(SnapbusCli.USAGE);
        assertThat(run.err()).contains("run them with the snapbus script (./snapbus bench ...)");
    }

    @Test
    void brokersPortsAndSecurityAreCheckedAsTheyAreParsed() {
        assertThat(run("up", "--brokers", "10").err()).contains("--brokers must be 1 to 9, got 10");
        assertThat(run("up", "--kafka-port", "70000").err())
                .contains("--kafka-port must be a port number from 0 to 65535, got 70000");
        assertThat(run("up", "--s3-port", "-1").err()).contains("--s3-port must be a port number");
        assertThat(run("quickstart", "--kafka-security", "tls").err())
                .contains("Invalid value for option '--kafka-security'", "PLAINTEXT, SASL_SSL");

        CommandLine line = SnapbusCli.commandLine(environment(Map.of()), quiet());
        CommandLine.ParseResult parsed = line.parseArgs("quickstart", "--brokers", "3", "--kafka-security",
                "sasl_ssl", "--registry-port", "18081", "--data", dir.toString());
        QuickstartCommand quickstart = (QuickstartCommand) parsed.subcommand().commandSpec().userObject();
        LocalStackConfig config = quickstart.kafka.stackConfig(quickstart.data.orDefault("quickstart")).build();
        assertThat(config.kafkaBrokers()).isEqualTo(3);
        assertThat(config.kafkaSecurity()).isEqualTo(LocalStackConfig.KafkaSecurity.SASL_SSL);
        assertThat(config.registryPort()).isEqualTo(18081);
        assertThat(config.dataDir()).isEqualTo(dir.toAbsolutePath().normalize());
    }

    @Test
    void aLocalCommandsFailureIsOneLineAndExitOne() {
        Run run = run("restart", "job-service", "--data", dir.resolve("nothing").toString());

        assertThat(run.exit()).isEqualTo(SnapbusCli.FAILED);
        assertThat(run.err()).startsWith("snapbus restart: ").contains("no stack in");
        assertThat(run.err().lines()).hasSize(1);
    }

    @Test
    void demoRefusesABackendWithoutAPortBeforeSendingAnything() {
        Run run = run("demo", "--url", "http://127.0.0.1:1", "--backend", "node-1", "--location", "file:///r");

        assertThat(run.exit()).isEqualTo(SnapbusCli.USAGE);
        assertThat(run.err()).contains("--backend takes host:port, got 'node-1'");
        assertThat(run("demo", "--backend", "node-1:9060").err()).contains("Missing required options",
                "--url=URL", "--location=URI");
    }

    @Test
    void aJobServiceCommandFindsTheJobServiceQuickstartKeepLeftRunning() throws Exception {
        HttpServer jobService = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        List<String> asked = new ArrayList<>();
        jobService.createContext("/", exchange -> {
            asked.add(exchange.getRequestURI().toString());
            byte[] page = "{\"items\":[],\"total\":0,\"offset\":0,\"limit\":50,\"nextOffset\":null}"
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, page.length);
            exchange.getResponseBody().write(page);
            exchange.close();
        });
        jobService.start();
        try {
            // What LocalCluster records for `quickstart --keep` in <SNAPBUS_HOME>/quickstart/run/endpoints.properties.
            Path run = Files.createDirectories(dir.resolve("home").resolve("quickstart").resolve("run"));
            Files.writeString(run.resolve("endpoints.properties"), "job-service.readiness.url=http\\://127.0.0.1\\:"
                    + jobService.getAddress().getPort() + "/actuator/health/readiness\n");
            CommandLine line = SnapbusCli.commandLine(environment(Map.of("SNAPBUS_HOME",
                    dir.resolve("home").toString())), quiet());
            StringWriter out = new StringWriter();
            line.setOut(new PrintWriter(out, true));
            line.setErr(new PrintWriter(new StringWriter(), true));

            int exit = line.execute("backup", "list", "demo", "-o", "json");

            assertThat(exit).isZero();
            assertThat(asked).containsExactly("/api/v1/databases/demo/backups?offset=0&limit=50");
            assertThat(out.toString()).contains("\"total\" : 0");
        } finally {
            jobService.stop(0);
        }
    }

    @Test
    void quickstartRefusesToWipeAFolderThatHoldsSomethingElse() throws Exception {
        Files.writeString(dir.resolve("thesis.tex"), "precious");

        assertThatThrownBy(() -> QuickstartCommand.requireQuickstartFolder(dir))
                .hasMessageContaining("is not empty and holds no earlier quickstart");
        assertThat(dir.resolve("thesis.tex")).exists();
    }

    private record Run(int exit, String out, String err) {}

    private Run run(String... args) {
        CommandLine line = SnapbusCli.commandLine(environment(Map.of()), quiet());
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        line.setOut(new PrintWriter(out, true));
        line.setErr(new PrintWriter(err, true));
        int exit = line.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    private ClientEnvironment environment(Map<String, String> variables) {
        return new ClientEnvironment(variables, dir, dir);
    }

    private static PrintStream quiet() {
        return new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    }
}
