package io.snapbus.cli;

import io.snapbus.client.ClientEnvironment;
import io.snapbus.client.JobServiceOptions;
import io.snapbus.client.SnapbusClient;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * The {@code snapbus} command: the local stack's commands (quickstart, up, status, down, restart, stop, start, demo),
 * each with only its own options, next to every operation of a job-service that snapbus-client defines (repo,
 * snapshot, backup, restore...), which share {@code --server} and {@code --output}.
 */
@Command(name = "snapbus", mixinStandardHelpOptions = true, scope = ScopeType.INHERIT,
        versionProvider = SnapbusClient.Version.class,
        description = {"Run a local snapbus stack, and operate any job-service: repositories, snapshots, backups, "
                + "restores, verifications, and the demo data."})
public final class SnapbusCli implements Callable<Integer> {
    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;
    /** The exit codes of the local commands, as their help lists them. */
    private static final Map<String, String> LOCAL_EXIT_CODES = localExitCodes();

    @Mixin
    JobServiceOptions jobService;

    @Spec
    CommandSpec spec;

    private SnapbusCli(ClientEnvironment environment) {
        this.jobService = new JobServiceOptions(environment);
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs {@code snapbus args} in this process's environment; returns the exit code. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        CommandLine line = commandLine(ClientEnvironment.current(), out);
        line.setOut(new PrintWriter(out, true));
        line.setErr(new PrintWriter(err, true));
        return line.execute(args);
    }

    /** The command line of {@code snapbus} in this environment; the local commands print to {@code out}. */
    static CommandLine commandLine(ClientEnvironment environment, PrintStream out) {
        CommandLine line = new CommandLine(new SnapbusCli(environment));
        List<Object> local = List.of(new QuickstartCommand(out), new StackCommands.Up(out),
                new StackCommands.Status(out), new StackCommands.Down(out), new ServiceCommands.Restart(out),
                new ServiceCommands.Stop(out), new ServiceCommands.Start(out), new DemoCommand(out));
        local.forEach(line::addSubcommand);
        SnapbusClient.addOperatorCommands(line);
        line.addSubcommand(new Bench());
        line.addSubcommand(new CommandLine.HelpCommand());
        for (CommandLine command : line.getSubcommands().values()) {
            if (!(command.getCommand() instanceof LocalCommand || command.getCommand() instanceof Bench
                    || command.getCommand() instanceof CommandLine.HelpCommand)) {
                continue;
            }
            // --server and --output are the job-service commands' (inherited from the root): not these ones'.
            for (String name : List.of("--server", "--output")) {
                OptionSpec inherited = command.getCommandSpec().findOption(name);
                if (inherited != null) {
                    command.getCommandSpec().remove(inherited);
                }
            }
            command.getCommandSpec().usageMessage().exitCodeListHeading("%nExit codes:%n")
                    .exitCodeList(LOCAL_EXIT_CODES);
        }
        // Set after the commands are added, so that they do not inherit it.
        line.getCommandSpec().usageMessage().footer("", SnapbusClient.SERVER_HELP);
        line.setCaseInsensitiveEnumValuesAllowed(true);
        line.setExecutionExceptionHandler(new LocalFailures(SnapbusClient.failureHandler()));
        line.setParameterExceptionHandler(SnapbusClient.usageErrorHandler());
        return line;
    }

    /** {@code snapbus} alone: the commands, on stderr, and a usage error. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return USAGE;
    }

    /** {@code bench} in the list of commands: the snapbus script runs it from the bench module, not this one. */
    @Command(name = "bench", description = "Benchmarks (data-plane, recovery, creation, control-plane, restore): run "
            + "by the ./snapbus script from the bench module; ./snapbus bench --help lists them.")
    static final class Bench implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Unmatched
        List<String> arguments;

        @Override
        public Integer call() {
            spec.commandLine().getErr().println("snapbus bench: the benchmarks are not part of the CLI; run them with"
                    + " the snapbus script (./snapbus bench ...), which builds and runs the bench module");
            return USAGE;
        }
    }

    /** A local command's failure as one line {@code snapbus NAME: message} and exit 1; the others' as the client's. */
    private record LocalFailures(IExecutionExceptionHandler operators) implements IExecutionExceptionHandler {
        @Override
        public int handleExecutionException(Exception failure, CommandLine command, CommandLine.ParseResult parsed)
                throws Exception {
            if (!(command.getCommand() instanceof LocalCommand)) {
                return operators.handleExecutionException(failure, command, parsed);
            }
            command.getErr().println("snapbus " + command.getCommandName() + ": " + (failure.getMessage() != null
                    ? failure.getMessage() : failure.toString()));
            command.getErr().flush();
            return FAILED;
        }
    }

    private static Map<String, String> localExitCodes() {
        Map<String, String> codes = new LinkedHashMap<>();
        codes.put(OK + "", "ok");
        codes.put(FAILED + "", "it failed (one line on stderr says why)");
        codes.put(USAGE + "", "usage error (wrong option or argument); nothing was started");
        return codes;
    }
}
