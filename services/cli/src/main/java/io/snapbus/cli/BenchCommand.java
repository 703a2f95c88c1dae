package io.snapbus.cli;

import io.snapbus.node.bench.DataPlaneBenchmark;
import java.io.PrintStream;
import java.util.List;
import java.util.Optional;

/** {@code snapbus bench <scenario>}: benchmarks that build their own data and print one JSON line per figure. */
final class BenchCommand {
    private static final List<String> SCENARIOS = List.of("data-plane", "recovery", "creation",
            "control-plane");
    /** Tablets the creation and control-plane benchmarks build unless --tablets says otherwise (Doris's cap). */
    private static final int SCALE_TABLETS = 300_000;
    private static final int LOADS_PER_TABLET = 8;

    private final PrintStream out;

    BenchCommand(PrintStream out) {
        this.out = out;
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
            return SnapbusCli.OK;
        }
        String scenario = options.positional().get(0);
        if (scenario.equals("creation") || scenario.equals("control-plane")) {
            new ScaleBenchmark(options.dataDirOr("bench").resolve(scenario), scenario,
                    scenario.equals("control-plane"), options.profile(), out).run(
                            options.tabletsGiven() ? options.tablets() : SCALE_TABLETS, options.baselineTablets());
            return SnapbusCli.OK;
        }
        new DataPlaneBenchmark(new DataPlaneBenchmark.Options(options.dataDirOr("bench").resolve("data-plane"),
                options.sizeMb() * 1024 * 1024, options.tablets(), LOADS_PER_TABLET, options.keep(),
                options.smallFiles(), options.noS3() ? Optional.empty() : Optional.of(BenchS3Server::start)), out)
                .run();
        return SnapbusCli.OK;
    }
}
