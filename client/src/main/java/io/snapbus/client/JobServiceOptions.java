package io.snapbus.client;

import io.snapbus.api.SnapbusApiClient;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The options every job-service command shares ({@code --server}, {@code --output}) and the one client of the
 * job-service they choose. Mixed into the root of whichever command tree carries the operator's commands (the
 * client's own {@code snapbus}, or the CLI's with the local stack's commands next to them); the commands find it
 * there.
 */
public final class JobServiceOptions {
    @Option(names = "--server", paramLabel = "URL", scope = ScopeType.INHERIT,
            description = "The job-service, such as http://127.0.0.1:8080 (default: see below).")
    String server;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", scope = ScopeType.INHERIT,
            description = "table (default) or json (the records as the job-service sent them).")
    OutputFormat output;

    private final ClientEnvironment environment;
    private Server resolved;
    private SnapbusApiClient api;

    public JobServiceOptions(ClientEnvironment environment) {
        this.environment = environment;
    }

    /** The options mixed into the root of {@code command}'s tree. */
    static JobServiceOptions of(CommandSpec command) {
        return command.root().mixins().values().stream().map(CommandSpec::userObject)
                .filter(JobServiceOptions.class::isInstance).map(JobServiceOptions.class::cast).findFirst()
                .orElseThrow(() -> new IllegalStateException("the root command " + command.root().name()
                        + " does not mix in JobServiceOptions"));
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

    /** Where {@code line}'s answers go, in the format {@code --output} chose. */
    Output output(CommandLine line) {
        return new Output(line.getOut(), line.getErr(), output == null ? OutputFormat.table : output);
    }
}
