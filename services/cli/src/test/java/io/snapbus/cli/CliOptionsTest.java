package io.snapbus.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snapbus.local.LocalStackConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class CliOptionsTest {

    @Test
    void parsesEveryOption() {
        CliOptions options = CliOptions.parse(List.of("--data", "/tmp/x", "--keep", "--s3", "--kafka-port", "19092",
                "--registry-port", "18081", "--s3-port", "0"));

        assertThat(options.dataDirOr("local")).isEqualTo(Path.of("/tmp/x"));
        assertThat(options.keep()).isTrue();
        assertThat(options.s3()).isTrue();
        assertThat(options.kafkaPort()).isEqualTo(19092);
        assertThat(options.registryPort()).isEqualTo(18081);
    }

    @Test
    void parsesTheBackendsAndRepositoryLocationOfDemo() {
        CliOptions options = CliOptions.parse(List.of("--backend", "127.0.0.1:29061", "--backend", "node-2:29062",
                "--location", "file:///var/lib/snapbus-repository"));

        assertThat(options.backends()).containsExactly("127.0.0.1:29061", "node-2:29062");
        assertThat(options.location()).contains("file:///var/lib/snapbus-repository");
    }

    @Test
    void demoRefusesToRunWithoutTheJobServiceOrTheNodes() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream errors = new PrintStream(err, true, StandardCharsets.UTF_8);

        assertThat(SnapbusCli.run(new String[] {"demo", "--location", "file:///r"}, System.out, errors))
                .isEqualTo(SnapbusCli.USAGE);
        assertThat(SnapbusCli.run(new String[] {"demo", "--url", "http://127.0.0.1:1", "--location", "file:///r"},
                System.out, errors)).isEqualTo(SnapbusCli.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("snapbus demo: demo needs --url")
                .contains("snapbus demo: demo needs --backend host:port for each storage node");
    }

    @Test
    void asksTheLocalStackForBrokersAndTheirSecurity() {
        CliOptions options = CliOptions.parse(List.of("--brokers", "3", "--kafka-security", "sasl_ssl"));

        var config = options.stackConfig(Path.of("/tmp/x")).build();

        assertThat(config.kafkaBrokers()).isEqualTo(3);
        assertThat(config.kafkaSecurity()).isEqualTo(LocalStackConfig.KafkaSecurity.SASL_SSL);
        assertThat(CliOptions.parse(List.of()).stackConfig(Path.of("/tmp/x")).build().kafkaBrokers()).isEqualTo(1);
        assertThatThrownBy(() -> CliOptions.parse(List.of("--brokers", "10")))
                .hasMessage("--brokers must be 1 to 9, got 10");
        assertThatThrownBy(() -> CliOptions.parse(List.of("--kafka-security", "tls")))
                .hasMessage("--kafka-security must be PLAINTEXT or SASL_SSL, got 'tls'");
    }

    @Test
    void upDashDashHelpPrintsTheBrokerAndSecurityOptions() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        int code = SnapbusCli.run(new String[] {"up", "--help"}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream()));

        assertThat(code).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("--brokers N", "--kafka-security P", "SASL_SSL");
    }

    @Test
    void refusesAnUnknownOption() {
        assertThatThrownBy(() -> CliOptions.parse(List.of("--dta", "/tmp/x")))
                .hasMessage("unknown option '--dta'");
    }

    @Test
    void refusesAPortOutOfRangeOrMissing() {
        assertThatThrownBy(() -> CliOptions.parse(List.of("--kafka-port", "70000")))
                .hasMessage("--kafka-port must be a port number from 0 to 65535, got '70000'");
        assertThatThrownBy(() -> CliOptions.parse(List.of("--kafka-port")))
                .hasMessage("--kafka-port needs a value");
    }

    @Test
    void verifyTakesItsOptionsAndRefusesAnotherLevelOrAMissingRepositoryBeforeCallingAnything() {
        CliOptions options = CliOptions.parse(List.of("--repo", "r", "--label", "l", "--timestamp",
                "2026-01-02-03-04-05", "--level", "data", "--url", "http://127.0.0.1:1"));
        assertThat(options.repo()).contains("r");
        assertThat(options.label()).contains("l");
        assertThat(options.timestamp()).contains("2026-01-02-03-04-05");
        assertThat(options.level()).contains("data");
        assertThat(options.url()).contains("http://127.0.0.1:1");
        assertThatThrownBy(() -> CliOptions.parse(List.of("--level", "deep")))
                .hasMessage("--level must be files or data, got 'deep'");

        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = SnapbusCli.run(new String[] {"verify", "--label", "l", "--url", "http://127.0.0.1:1"},
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(code).isEqualTo(SnapbusCli.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("snapbus verify: verify needs --repo");
    }

    @Test
    void restoreTakesTablesPartitionsAliasesAndPropertiesInTheOrderGiven() {
        CliOptions options = CliOptions.parse(List.of("--repo", "r", "--label", "l", "--db", "shop",
                "--on", "orders", "--on", "orders:p202601,p202602=orders_q1", "--on", "customers=people",
                "--property", "atomic_restore=true", "--property", "replication_num=1", "--id", "42"));

        assertThat(options.db()).contains("shop");
        assertThat(options.on()).containsExactly(
                new CliOptions.RestoreTarget("orders", List.of(), java.util.Optional.empty()),
                new CliOptions.RestoreTarget("orders", List.of("p202601", "p202602"), java.util.Optional.of(
                        "orders_q1")),
                new CliOptions.RestoreTarget("customers", List.of(), java.util.Optional.of("people")));
        assertThat(options.on().get(1).toBody()).isEqualTo(java.util.Map.of("name", "orders", "partitions",
                List.of("p202601", "p202602"), "alias", "orders_q1"));
        assertThat(options.on().get(0).toBody()).doesNotContainKey("alias");
        assertThat(options.properties()).containsExactly(java.util.Map.entry("atomic_restore", "true"),
                java.util.Map.entry("replication_num", "1"));
        assertThat(options.id()).contains(42L);
    }

    @Test
    void restoreRefusesMalformedTablesPropertiesAndIdsBeforeCallingAnything() {
        for (String bad : List.of(":p1", "orders:", "orders:p1,,p2", "orders=", "=alias")) {
            assertThatThrownBy(() -> CliOptions.parse(List.of("--on", bad)))
                    .hasMessage("--on takes table[:p1,p2][=alias], got '" + bad + "'");
        }
        assertThatThrownBy(() -> CliOptions.parse(List.of("--property", "atomic_restore")))
                .hasMessage("--property takes key=value, got 'atomic_restore'");
        assertThatThrownBy(() -> CliOptions.parse(List.of("--property", "a=1", "--property", "a=2")))
                .hasMessage("--property a given twice");
        assertThatThrownBy(() -> CliOptions.parse(List.of("--id", "0")))
                .hasMessage("--id must be a whole number of at least 1, got '0'");

        for (String[] args : List.of(new String[] {"restore", "--label", "l", "--url", "http://127.0.0.1:1"},
                new String[] {"restore", "--repo", "r", "--url", "http://127.0.0.1:1"},
                new String[] {"restore", "--repo", "r", "--label", "l", "--timestamp", "2026-01-02-03-04-05",
                        "--property", "backup_timestamp=2026-01-02-03-04-05", "--url", "http://127.0.0.1:1"},
                new String[] {"cancel-restore", "--url", "http://127.0.0.1:1"})) {
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int code = SnapbusCli.run(args, new PrintStream(new ByteArrayOutputStream()),
                    new PrintStream(err, true, StandardCharsets.UTF_8));
            assertThat(code).as(String.join(" ", args)).isEqualTo(SnapbusCli.USAGE);
            assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("snapbus " + args[0] + ": ")
                    .containsAnyOf("needs --repo", "needs --label", "give the backup timestamp once", "needs --id");
        }
    }

    @Test
    void anUnknownCommandPrintsUsageAndExitsWithTwo() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int exit = SnapbusCli.run(new String[] {"backpu"}, new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(exit).isEqualTo(SnapbusCli.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown command 'backpu'", "usage: snapbus");
    }

    @Test
    void quickstartRefusesToWipeAFolderThatHoldsSomethingElse(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        java.nio.file.Files.writeString(dir.resolve("thesis.tex"), "precious");

        assertThatThrownBy(() -> QuickstartCommand.requireQuickstartFolder(dir))
                .hasMessageContaining("is not empty and holds no earlier quickstart");
        assertThat(dir.resolve("thesis.tex")).exists();
    }
}
