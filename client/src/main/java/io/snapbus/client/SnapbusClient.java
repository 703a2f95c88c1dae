package io.snapbus.client;

import io.snapbus.api.SnapbusApiClient;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Properties;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ScopeType;

/**
 * The {@code snapbus} command of an operator: every {@code /api/v1} operation of a job-service, one subcommand each,
 * through {@link SnapbusApiClient}. {@link #addOperatorCommands} is the one place those commands are listed; this
 * root carries them with the options they share ({@link JobServiceOptions}), and the CLI's root carries them next to
 * the local stack's commands.
 */
@Command(name = "snapbus", mixinStandardHelpOptions = true, scope = ScopeType.INHERIT,
        versionProvider = SnapbusClient.Version.class,
        description = "Operate a snapbus job-service: repositories, snapshots, backups, restores, verifications, and "
                + "the demo data.",
        footer = {"", SnapbusClient.SERVER_HELP})
public final class SnapbusClient {
    /** How the commands choose their job-service, for the help of a root that carries them. */
    public static final String SERVER_HELP = "The job-service: --server, else $SNAPBUS_SERVER, else 'server' in "
            + "$SNAPBUS_CONFIG (default ~/.config/snapbus/config.properties), else the local stack's (snapbus "
            + "quickstart --keep) as recorded in $SNAPBUS_HOME/{local,quickstart}/run/endpoints.properties "
            + "(SNAPBUS_HOME: ./.snapbus).";

    @Mixin
    JobServiceOptions jobService;

    SnapbusClient(ClientEnvironment environment) {
        this.jobService = new JobServiceOptions(environment);
    }

    public static void main(String[] args) {
        System.exit(commandLine(ClientEnvironment.current()).execute(args));
    }

    /** The command line of {@code snapbus} in this environment, ready to {@link CommandLine#execute}. */
    static CommandLine commandLine(ClientEnvironment environment) {
        CommandLine line = new CommandLine(new SnapbusClient(environment));
        addOperatorCommands(line);
        line.setExecutionExceptionHandler(failureHandler());
        line.setParameterExceptionHandler(usageErrorHandler());
        return line;
    }

    /**
     * Adds every operator command (repo, snapshot, policy, schedule, history, backup, restore, local-snapshot, db,
     * table, partition, load, rows, backend, recycle-bin, view, resource, odbc-table, generate-completion) to
     * {@code root}, whose command mixes in a {@link JobServiceOptions}; each with the exit codes in its help and enum
     * values taken in any case.
     */
    public static void addOperatorCommands(CommandLine root) {
        for (Object command : List.of(new RepoCommand(), new SnapshotCommand(), new PolicyCommand(),
                new ScheduleCommand(), new HistoryCommand(), new BackupCommand(), new RestoreCommand(),
                new LocalSnapshotCommand(), new DbCommand(), new TableCommand(),
                new PartitionCommand(), new LoadCommand(), new RowsCommand(), new BackendCommand(),
                new RecycleBinCommand(), new ExternalObjectsCommands.ViewCommand(),
                new ExternalObjectsCommands.ResourceCommand(), new ExternalObjectsCommands.OdbcTableCommand(),
                new AutoComplete.GenerateCompletion())) {
            CommandLine sub = new CommandLine(command);
            sub.setCaseInsensitiveEnumValuesAllowed(true);
            root.addSubcommand(sub);
            withHelpSections(sub);
        }
        // picocli marks generate-completion a help command, which lets it run with a wrong option: refuse it instead.
        root.getSubcommands().get("generate-completion").getCommandSpec().helpCommand(false);
        root.getCommandSpec().usageMessage().exitCodeListHeading("%nExit codes:%n")
                .exitCodeList(ExitCode.helpSection());
    }

    /**
     * What prints a wrong command line (message, then what the user probably meant, else the usage) and answers exit
     * 2; the root that carries the commands sets it.
     */
    public static IParameterExceptionHandler usageErrorHandler() {
        return new Suggestions();
    }

    /**
     * What turns a failure of an operator command into its exit code and one or two lines on stderr; the root that
     * carries the commands sets it (picocli asks the root's handler).
     */
    public static IExecutionExceptionHandler failureHandler() {
        return new Failures();
    }

    /** The exit codes and how the job-service is chosen, in the help of {@code line} and its subcommands. */
    private static void withHelpSections(CommandLine line) {
        line.getCommandSpec().usageMessage().exitCodeListHeading("%nExit codes:%n")
                .exitCodeList(ExitCode.helpSection()).footer("", SERVER_HELP);
        line.getSubcommands().values().forEach(SnapbusClient::withHelpSections);
    }

    /** {@code --version}: the artifact's version, from the jar's resources. */
    public static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            Properties properties = new Properties();
            try (InputStream in = SnapbusClient.class.getResourceAsStream("/snapbus-client.properties")) {
                if (in != null) {
                    properties.load(in);
                }
            } catch (IOException e) {
                // the version stays unknown
            }
            return new String[] {"snapbus " + properties.getProperty("version", "(unknown version)")};
        }
    }
}
