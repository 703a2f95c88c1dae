package io.snapbus.bench;

import io.snapbus.node.bench.DataPlaneBenchmark;
import io.snapbus.node.bench.DownloadBenchmark;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code snapbus bench <scenario>}: benchmarks that build their own data and print one JSON line per figure, each
 * scenario a subcommand with its own options. The entry point of this module; the snapbus script runs it for
 * {@code bench}, so no benchmark ships with the CLI.
 */
@Command(name = "snapbus bench", mixinStandardHelpOptions = true, scope = ScopeType.INHERIT,
        description = "Benchmarks that build their own data and print one JSON line per figure.",
        subcommands = {BenchCommand.DataPlane.class, BenchCommand.Recovery.class, BenchCommand.Creation.class,
                BenchCommand.ControlPlane.class, BenchCommand.Restore.class, BenchCommand.Incremental.class},
        commandListHeading = "%nScenarios:%n")
public final class BenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;
    /** Tablets the creation and control-plane benchmarks build unless --tablets says otherwise (Doris's cap). */
    private static final int SCALE_TABLETS = 300_000;
    private static final int LOADS_PER_TABLET = 8;

    /** Where the figures go: the JSON lines of every scenario. */
    private final PrintStream figures;

    private BenchCommand(PrintStream figures) {
        this.figures = figures;
    }

    /** {@code args}: the scenario and the options, as after {@code snapbus bench}. */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        CommandLine line = new CommandLine(new BenchCommand(out));
        line.setOut(new PrintWriter(out, true));
        line.setErr(new PrintWriter(err, true));
        line.setExecutionExceptionHandler((failure, command, parsed) -> {
            command.getErr().println("snapbus bench " + command.getCommandName() + ": " + failure.getMessage());
            return FAILED;
        });
        return line.execute(args);
    }

    /** {@code snapbus bench} alone: the scenarios, and a usage error. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return USAGE;
    }

    /** {@code --data DIR}: where a benchmark builds its data, each in a folder of its own (they delete it). */
    static final class DataFolder {
        @Option(names = "--data", paramLabel = "DIR",
                description = "Where the benchmarks build their data (default: $SNAPBUS_HOME/bench).")
        Path given;

        Path resolve(String scenario) {
            String home = System.getenv("SNAPBUS_HOME");
            Path base = given != null ? given
                    : (home == null || home.isBlank() ? Path.of(".snapbus") : Path.of(home)).resolve("bench");
            return base.toAbsolutePath().normalize().resolve(scenario);
        }
    }

    /** What every scenario has: where its figures go (the root's stream), and the folder it builds its data in. */
    abstract static class Scenario implements Callable<Integer> {
        @ParentCommand
        BenchCommand bench;

        @Mixin
        DataFolder data;
    }

    /** The data-plane figures' options, which restore's data plane shares. */
    static final class DataOptions {
        @Option(names = "--size-mb", paramLabel = "MB", converter = AtLeastOne.class,
                description = "Data the tablets hold (default 2048).")
        int sizeMb = 2048;

        @Option(names = "--small-files", paramLabel = "N", converter = NoneOrMore.class,
                description = "Small files (~3.5 KB) uploaded the same way after (default 5000; 0: none).")
        int smallFiles = 5_000;

        @Option(names = "--keep", description = "Keep the data built.")
        boolean keep;
    }

    @Command(name = "data-plane", description = "Build --size-mb of --tablets (64) tablets on a storage node and "
            + "upload them to a filesystem repository next to `cp -r`; then --small-files the same way; then both to "
            + "S3 (s3proxy) next to a plain AWS SDK upload.")
    static final class DataPlane extends Scenario {
        @Mixin
        DataOptions options;

        @Option(names = "--tablets", paramLabel = "N", converter = AtLeastOne.class,
                description = "Tablets (default 64).")
        int tablets = 64;

        @Option(names = "--no-s3", description = "Skip the S3 figures.")
        boolean noS3;

        @Override
        public Integer call() throws Exception {
            new DataPlaneBenchmark(new DataPlaneBenchmark.Options(data.resolve("data-plane"),
                    options.sizeMb * 1024L * 1024, tablets, LOADS_PER_TABLET, options.keep, options.smallFiles,
                    noS3 ? Optional.empty() : Optional.of(BenchS3Server::start)), bench.figures).run();
            return OK;
        }
    }

    @Command(name = "recovery", description = "Replay --jobs finished jobs and one in-flight job of --tablets from a "
            + "real backup-jobs topic (time and heap); then, on the local cluster, a backup of --restart-tablets "
            + "whose job-service is killed in SNAPSHOTING: seconds from the restarted one's start to its first "
            + "applied result.")
    static final class Recovery extends Scenario {
        @Option(names = "--jobs", paramLabel = "N", converter = AtLeastOne.class,
                description = "Finished jobs replayed (default 10000).")
        int jobs = 10_000;

        @Option(names = "--tablets", paramLabel = "N", converter = AtLeastOne.class,
                description = "Tablets of the in-flight job (default 100000).")
        int tablets = 100_000;

        @Option(names = "--restart-tablets", paramLabel = "N", converter = AtLeastOne.class,
                description = "Tablets of the backup whose job-service is killed (default 2000).")
        int restartTablets = 2_000;

        @Override
        public Integer call() throws Exception {
            new RecoveryBenchmark(data.resolve("recovery"), jobs, tablets, bench.figures).run();
            new RestartRecovery(data.resolve("recovery-restart"), restartTablets, bench.figures).run();
            return OK;
        }
    }

    /** What creation and control-plane (and restore's control plane) take: the size and a baseline run. */
    static final class ScaleOptions {
        @Option(names = "--tablets", paramLabel = "N", converter = AtLeastOne.class,
                description = "Tablets (default 300000: 10 tables, 100 buckets, replication 1).")
        Integer tablets;

        @Option(names = "--baseline-tablets", paramLabel = "N", converter = AtLeastOne.class,
                description = "First run at this size and print the ratio.")
        int baselineTablets;

        @Option(names = "--profile", description = "Record JFR profiles of the services.")
        boolean profile;

        int tablets() {
            return tablets != null ? tablets : SCALE_TABLETS;
        }
    }

    /** Creation and control-plane: the scale benchmark on the whole local cluster, with or without the backup. */
    abstract static class Scale extends Scenario {
        private final String scenario;
        private final boolean backup;

        @Mixin
        ScaleOptions scale;

        Scale(String scenario, boolean backup) {
            this.scenario = scenario;
            this.backup = backup;
        }

        @Override
        public Integer call() throws Exception {
            new ScaleBenchmark(data.resolve(scenario), scenario, backup, false, scale.profile, bench.figures)
                    .run(scale.tablets(), scale.baselineTablets);
            return OK;
        }
    }

    @Command(name = "creation", description = "On the whole local cluster, create --tablets tablets and load a "
            + "version into each.")
    static final class Creation extends Scale {
        Creation() {
            super("creation", false);
        }
    }

    @Command(name = "control-plane", description = "Creation, then one backup of every table to a filesystem "
            + "repository: time per state, heap, RSS, Kafka bytes.")
    static final class ControlPlane extends Scale {
        ControlPlane() {
            super("control-plane", true);
        }
    }

    @Command(name = "restore", description = "--plane data (default): back up --size-mb of --tablets (64) to a "
            + "filesystem repository, then DOWNLOAD it into new replicas next to `cp -r` + `sync`; --plane control: "
            + "control-plane's backup, then a restore of every table under a new name, time per state.")
    static final class Restore extends Scenario {
        @Mixin
        DataOptions options;

        @Option(names = "--plane", paramLabel = "PLANE", description = "data (default) or control.")
        Plane plane = Plane.data;

        @Option(names = "--tablets", paramLabel = "N", converter = AtLeastOne.class,
                description = "Tablets (default 64; --plane control: 300000).")
        Integer tablets;

        @Option(names = "--baseline-tablets", paramLabel = "N", converter = AtLeastOne.class,
                description = "--plane control: first run at this size and print the ratio.")
        int baselineTablets;

        @Option(names = "--profile", description = "--plane control: record JFR profiles of the services.")
        boolean profile;

        @Option(names = "--drop-source", description = "--plane control: once backed up, drop the tables (FORCE),"
                + " wait until their replicas are erased, and restore them under their own names, as after their"
                + " loss (the catalog and the disk then hold one copy of the data, not two).")
        boolean dropSource;

        @Override
        public Integer call() throws Exception {
            if (plane == Plane.control) {
                new ScaleBenchmark(data.resolve("restore-control"), "restore-control", true, true, dropSource, profile,
                        bench.figures).run(tablets != null ? tablets : SCALE_TABLETS, baselineTablets);
                return OK;
            }
            new DownloadBenchmark(new DownloadBenchmark.Options(data.resolve("restore"), options.sizeMb * 1024L * 1024,
                    tablets != null ? tablets : 64, LOADS_PER_TABLET, options.keep, options.smallFiles,
                    DownloadBenchmark.DEFAULT_ROUNDS), bench.figures).run();
            return OK;
        }

        /** The parts of the restore scenario. */
        enum Plane { data, control }
    }

    @Command(name = "incremental", description = "On the local cluster, a full backup of --size-mb in --tablets "
            + "tablets, then --days daily incremental backups, each after a load into --change-percent of the tablets: "
            + "bytes the nodes sent and bytes the repository stores against the full backup's; filesystem, then S3 "
            + "(s3proxy).")
    static final class Incremental extends Scenario {
        @Option(names = "--tablets", paramLabel = "N", converter = AtLeastOne.class,
                description = "Tablets (default 200; replication 1).")
        int tablets = 200;

        @Option(names = "--size-mb", paramLabel = "MB", converter = AtLeastOne.class,
                description = "Rows loaded before the full backup, as NDJSON (default 200).")
        int sizeMb = 200;

        @Option(names = "--days", paramLabel = "N", converter = AtLeastOne.class,
                description = "Daily incremental backups after the full one (default 10).")
        int days = 10;

        @Option(names = "--change-percent", paramLabel = "P", converter = Percent.class,
                description = "Percent of the tablets each day's load changes (default 1).")
        double changePercent = 1;

        @Option(names = "--no-s3", description = "Skip the S3 repository.")
        boolean noS3;

        @Override
        public Integer call() throws Exception {
            new IncrementalBenchmark(new IncrementalBenchmark.Options(data.resolve(IncrementalBenchmark.SCENARIO),
                    tablets, sizeMb * 1024L * 1024, days, changePercent, !noS3), bench.figures).run();
            return OK;
        }
    }

    /** A share in percent: more than 0, at most 100. */
    static final class Percent implements ITypeConverter<Double> {
        @Override
        public Double convert(String text) {
            try {
                double value = Double.parseDouble(text);
                if (value > 0 && value <= 100) {
                    return value;
                }
            } catch (NumberFormatException e) {
                // refused below
            }
            throw new TypeConversionException("must be a percentage above 0 and at most 100, got '" + text + "'");
        }
    }

    /** A whole number of at least 1. */
    static final class AtLeastOne implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String text) {
            return whole(text, 1);
        }
    }

    /** A whole number of at least 0. */
    static final class NoneOrMore implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String text) {
            return whole(text, 0);
        }
    }

    private static int whole(String text, int least) {
        try {
            long value = Long.parseLong(text);
            if (value >= least) {
                return (int) Math.min(Integer.MAX_VALUE, value);
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new TypeConversionException("must be a whole number of at least " + least + ", got '" + text + "'");
    }
}
