package io.snapbus.bench;

import io.snapbus.cli.CliOptions;
import io.snapbus.node.bench.DataPlaneBenchmark;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * {@code snapbus bench <scenario>}: benchmarks that build their own data and print one JSON line per figure. The
 * entry point of this module; the snapbus script runs it for {@code bench}, so no benchmark ships with the CLI.
 */
public final class BenchCommand {
    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;
    private static final List<String> SCENARIOS = List.of("data-plane", "recovery", "creation",
            "control-plane");
    /** Tablets the creation and control-plane benchmarks build unless --tablets says otherwise (Doris's cap). */
    private static final int SCALE_TABLETS = 300_000;
    private static final int LOADS_PER_TABLET = 8;

    private final PrintStream out;

    BenchCommand(PrintStream out) {
        this.out = out;
    }

    /** {@code args}: the scenario and the options, as after {@code snapbus bench}. */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        try {
            return new BenchCommand(out).run(CliOptions.parse(Arrays.asList(args)));
        } catch (CliOptions.UsageException e) {
            err.println("snapbus bench: " + e.getMessage());
            err.println("usage: snapbus bench " + String.join("|", SCENARIOS) + " [options] (see: snapbus help)");
            return USAGE;
        } catch (Exception e) {
            err.println("snapbus bench: " + e.getMessage());
            return FAILED;
        }
    }

    int run(CliOptions options) throws Exception {
        if (options.positional().size() != 1 || !SCENARIOS.contains(options.positional().get(0))) {
            throw new CliOptions.UsageException("bench needs one scenario out of " + SCENARIOS + ", got "
                    + options.positional());
        }
        if (options.positional().get(0).equals("recovery")) {
            // Benchmarks delete what they build: always inside a folder of their own, even under --data.
            new RecoveryBenchmark(options.dataDirOr("bench").resolve("recovery"), options.jobs(),
                    options.tabletsGiven() ? options.tablets() : 100_000, out).run();
            new RestartRecovery(options.dataDirOr("bench").resolve("recovery-restart"), options.restartTablets(), out)
                    .run();
            return OK;
        }
        String scenario = options.positional().get(0);
        if (scenario.equals("creation") || scenario.equals("control-plane")) {
            new ScaleBenchmark(options.dataDirOr("bench").resolve(scenario), scenario,
                    scenario.equals("control-plane"), options.profile(), out).run(
                            options.tabletsGiven() ? options.tablets() : SCALE_TABLETS, options.baselineTablets());
            return OK;
        }
        new DataPlaneBenchmark(new DataPlaneBenchmark.Options(options.dataDirOr("bench").resolve("data-plane"),
                options.sizeMb() * 1024 * 1024, options.tablets(), LOADS_PER_TABLET, options.keep(),
                options.smallFiles(), options.noS3() ? Optional.empty() : Optional.of(BenchS3Server::start)), out)
                .run();
        return OK;
    }
}
