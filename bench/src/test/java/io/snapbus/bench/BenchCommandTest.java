package io.snapbus.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BenchCommandTest {
    @Test
    void anUnknownScenarioOrOptionIsRefusedBeforeAnythingStarts() {
        assertThat(run("recover").err()).contains("Unmatched argument at index 0: 'recover'");
        assertThat(run("recovery", "--restart-tablets", "0").err()).contains("--restart-tablets",
                "must be a whole number of at least 1, got '0'");
        assertThat(run("restore", "--plane", "both").err()).contains("--plane", "data, control", "'both'");
        assertThat(run("restore", "--plane").err()).contains("Missing required parameter for option '--plane'");
        assertThat(run("data-plane", "--plane", "data").err()).contains("Unknown options: '--plane'");
        assertThat(run("creation", "--no-s3").err()).contains("Unknown option: '--no-s3'");
        assertThat(run().err()).contains("Usage: snapbus bench", "data-plane", "control-plane");
        for (String[] args : new String[][] {{"recover"}, {"recovery", "--restart-tablets", "0"}, {},
                {"restore", "--plane", "both"}, {"restore", "--plane"}, {"data-plane", "--plane", "data"}}) {
            assertThat(run(args).exit()).as(String.join(" ", args)).isEqualTo(BenchCommand.USAGE);
        }
    }

    @Test
    void eachScenarioHasItsOwnHelp() {
        Run help = run("recovery", "--help");

        assertThat(help.exit()).isZero();
        assertThat(help.out()).contains("--jobs=N", "--restart-tablets=N", "--tablets=N", "--data=DIR")
                .doesNotContain("--size-mb", "--plane");
    }

    @Test
    void incrementalTakesItsOwnOptionsAndRefusesAShareOutsideZeroToHundred() {
        assertThat(run("incremental", "--change-percent", "0").err()).contains("--change-percent",
                "must be a percentage above 0 and at most 100, got '0'");
        assertThat(run("incremental", "--change-percent", "101").err()).contains("got '101'");
        assertThat(run("incremental", "--days", "0").err()).contains("--days",
                "must be a whole number of at least 1, got '0'");
        assertThat(run("incremental", "--plane", "data").err()).contains("Unknown options: '--plane'");
        for (String[] args : new String[][] {{"incremental", "--change-percent", "0"},
                {"incremental", "--change-percent", "x"}, {"incremental", "--size-mb", "0"}}) {
            assertThat(run(args).exit()).as(String.join(" ", args)).isEqualTo(BenchCommand.USAGE);
        }

        Run help = run("incremental", "--help");

        assertThat(help.exit()).isZero();
        assertThat(help.out()).contains("--tablets=N", "--size-mb=MB", "--days=N", "--change-percent=P", "--no-s3",
                "--data=DIR").doesNotContain("--plane", "--small-files");
        assertThat(run().err()).contains("incremental");
    }

    private record Run(int exit, String out, String err) {}

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = BenchCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
