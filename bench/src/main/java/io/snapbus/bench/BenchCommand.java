package io.snapbus.bench;

import io.snapbus.cli.CliOptions;
import io.snapbus.node.bench.DataPlaneBenchmark;
import io.snapbus.node.bench.DownloadBenchmark;
import java.io.PrintStream;
import java.util.ArrayList;
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
            "control-plane", "restore");
    /** Parts of the restore scenario, chosen with --plane. */
    private static final List<String> RESTORE_PLANES = List.of("data", "control");
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
            List<String> rest = new ArrayList<>(Arrays.asList(args));
            Optional<String> plane = takePlane(rest);
            return new BenchCommand(out).run(CliOptions.parse(rest), plane);
        } catch (CliOptions.UsageException e) {
            err.println("snapbus bench: " + e.getMessage());
            err.println("usage: snapbus bench " + String.join("|", SCENARIOS) + " [options] (see: snapbus help)");
            return USAGE;
        } catch (Exception e) {
            err.println("snapbus bench: " + e.getMessage());
            return FAILED;
        }
    }

    /**
     * Removes {@code --plane <part>} from {@code args}: an option of the bench scenarios only, so it is read here
     * rather than by the CLI's parser.
     */
    private static Optional<String> takePlane(List<String> args) {
        int at = args.indexOf("--plane");
        if (at < 0) {
            return Optional.empty();
        }
        if (at + 1 >= args.size() || args.get(at + 1).startsWith("--")) {
            throw new CliOptions.UsageException("--plane needs a value");
        }
        String plane = args.get(at + 1);
        args.subList(at, at + 2).clear();
        if (args.contains("--plane")) {
            throw new CliOptions.UsageException("--plane is given twice");
        }
        return Optional.of(plane);
    }

    int run(CliOptions options, Optional<String> plane) throws Exception {
        if (options.positional().size() != 1 || !SCENARIOS.contains(options.positional().get(0))) {
            throw new CliOptions.UsageException("bench needs one scenario out of " + SCENARIOS + ", got "
                    + options.positional());
        }
        String scenario = options.positional().get(0);
        if (plane.isPresent() && !scenario.equals("restore")) {
            throw new CliOptions.UsageException("--plane is an option of bench restore only");
        }
        if (scenario.equals("restore")) {
            String part = plane.orElse("data");
            if (!RESTORE_PLANES.contains(part)) {
                throw new CliOptions.UsageException("--plane of bench restore must be one of " + RESTORE_PLANES
                        + ", got '" + part + "'");
            }
            if (part.equals("control")) {
                new ScaleBenchmark(options.dataDirOr("bench").resolve("restore-control"), "restore-control", true,
                        true, options.profile(), out).run(options.tabletsGiven() ? options.tablets() : SCALE_TABLETS,
                        options.baselineTablets());
                return OK;
            }
            new DownloadBenchmark(new DownloadBenchmark.Options(options.dataDirOr("bench").resolve("restore"),
                    options.sizeMb() * 1024 * 1024, options.tablets(), LOADS_PER_TABLET, options.keep(),
                    options.smallFiles(), DownloadBenchmark.DEFAULT_ROUNDS), out).run();
            return OK;
        }
        if (options.positional().get(0).equals("recovery")) {
            // Benchmarks delete what they build: always inside a folder of their own, even under --data.
            new RecoveryBenchmark(options.dataDirOr("bench").resolve("recovery"), options.jobs(),
                    options.tabletsGiven() ? options.tablets() : 100_000, out).run();
            new RestartRecovery(options.dataDirOr("bench").resolve("recovery-restart"), options.restartTablets(), out)
                    .run();
            return OK;
        }
        if (scenario.equals("creation") || scenario.equals("control-plane")) {
            new ScaleBenchmark(options.dataDirOr("bench").resolve(scenario), scenario,
                    scenario.equals("control-plane"), false, options.profile(), out).run(
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
