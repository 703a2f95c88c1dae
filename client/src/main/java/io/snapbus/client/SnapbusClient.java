package io.snapbus.client;

import io.snapbus.api.SnapbusApiClient;
import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The {@code snapbus} command of an operator: every {@code /api/v1} operation of a job-service, one subcommand each,
 * through {@link SnapbusApiClient}. Holds the options every command shares ({@code --server}, {@code --output}) and
 * the one client of the chosen job-service.
 */
@Command(name = "snapbus", mixinStandardHelpOptions = true, scope = ScopeType.INHERIT,
        versionProvider = SnapbusClient.Version.class,
        description = "Operate a snapbus job-service: repositories, snapshots, backups, restores, verifications, and "
                + "the demo data.",
        subcommands = {RepoCommand.class, SnapshotCommand.class, BackupCommand.class, RestoreCommand.class,
                LocalSnapshotCommand.class, DbCommand.class, TableCommand.class, PartitionCommand.class,
                LoadCommand.class, RowsCommand.class, BackendCommand.class, RecycleBinCommand.class,
                AutoComplete.GenerateCompletion.class},
        footer = {"", "The job-service: --server, else $SNAPBUS_SERVER, else 'server' in $SNAPBUS_CONFIG (default "
                + "~/.config/snapbus/config.properties), else the local stack's (snapbus quickstart --keep) as "
                + "recorded in $SNAPBUS_HOME/{local,quickstart}/run/endpoints.properties (SNAPBUS_HOME: ./.snapbus)."})
public final class SnapbusClient {

    @Option(names = "--server", paramLabel = "URL", scope = ScopeType.INHERIT,
            description = "The job-service, such as http://127.0.0.1:8080 (default: see below).")
    String server;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", scope = ScopeType.INHERIT,
            description = "table (default) or json (the records as the job-service sent them).")
    OutputFormat output;

    @Spec
    CommandSpec spec;

    private final ClientEnvironment environment;
    private Server resolved;
    private SnapbusApiClient api;

    SnapbusClient(ClientEnvironment environment) {
        this.environment = environment;
    }

    public static void main(String[] args) {
        System.exit(commandLine(ClientEnvironment.current()).execute(args));
    }

    /** The command line of {@code snapbus} in this environment, ready to {@link CommandLine#execute}. */
    static CommandLine commandLine(ClientEnvironment environment) {
        SnapbusClient root = new SnapbusClient(environment);
        CommandLine line = new CommandLine(root);
        line.setCaseInsensitiveEnumValuesAllowed(true);
        line.setExecutionExceptionHandler(new Failures(root));
        withExitCodes(line);
        // picocli marks generate-completion a help command, which lets it run with a wrong option: refuse it instead.
        line.getSubcommands().get("generate-completion").getCommandSpec().helpCommand(false);
        return line;
    }

    /** The client of the job-service the options and environment name; resolved on first use. */
    synchronized SnapbusApiClient api() {
        if (api == null) {
            resolved = new ServerResolver(environment).resolve(server);
            api = new SnapbusApiClient(resolved.uri());
        }
        return api;
    }

    /** The job-service chosen so far; null before a command asked for it. */
    synchronized Server resolvedServer() {
        return resolved;
    }

    Output output() {
        return new Output(spec.commandLine().getOut(), spec.commandLine().getErr(),
                output == null ? OutputFormat.table : output);
    }

    private static void withExitCodes(CommandLine line) {
        line.getCommandSpec().usageMessage().exitCodeListHeading("%nExit codes:%n")
                .exitCodeList(ExitCode.helpSection());
        line.getSubcommands().values().forEach(SnapbusClient::withExitCodes);
    }

    /** {@code --version}: the artifact's version, from the jar's resources. */
    static final class Version implements CommandLine.IVersionProvider {
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
