package io.snapbus.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BenchCommandTest {
    @Test
    void anUnknownScenarioOrOptionIsRefusedBeforeAnythingStarts() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
        PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

        assertThat(BenchCommand.run(new String[] {"recover"}, out, errStream)).isEqualTo(BenchCommand.USAGE);
        assertThat(BenchCommand.run(new String[] {"recovery", "--restart-tablets", "0"}, out, errStream))
                .isEqualTo(BenchCommand.USAGE);
        assertThat(BenchCommand.run(new String[] {}, out, errStream)).isEqualTo(BenchCommand.USAGE);
        assertThat(BenchCommand.run(new String[] {"restore", "--plane", "both"}, out, errStream))
                .isEqualTo(BenchCommand.USAGE);
        assertThat(BenchCommand.run(new String[] {"restore", "--plane"}, out, errStream))
                .isEqualTo(BenchCommand.USAGE);
        assertThat(BenchCommand.run(new String[] {"data-plane", "--plane", "data"}, out, errStream))
                .isEqualTo(BenchCommand.USAGE);

        assertThat(err.toString(StandardCharsets.UTF_8)).contains(
                "bench needs one scenario out of [data-plane, recovery, creation, control-plane, restore], got"
                        + " [recover]",
                "--restart-tablets must be a whole number of at least 1, got '0'",
                "--plane of bench restore must be one of [data, control], got 'both'", "--plane needs a value",
                "--plane is an option of bench restore only");
    }
}
