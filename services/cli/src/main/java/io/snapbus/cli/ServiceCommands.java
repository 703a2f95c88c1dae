package io.snapbus.cli;

import io.snapbus.local.StackServices;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code restart}, {@code stop} and {@code start} of one service of a running stack (job-service, agent-N, node-N,
 * kafka, registry, s3), on its data and ports, tracked by the same pid file so {@code status} and {@code down} see
 * it.
 */
final class ServiceCommands {
    private final PrintStream out;

    ServiceCommands(PrintStream out) {
        this.out = out;
    }

    int restart(CliOptions options) {
        StackServices.Started started = services(options).restart(service(options, "restart"));
        out.printf("restarted %s: pid %d, port %d%n", started.component(), started.pid(), started.port());
        return SnapbusCli.OK;
    }

    int stop(CliOptions options) {
        StackServices.Change stopped = services(options).stop(service(options, "stop"));
        out.println("stopped " + stopped);
        return SnapbusCli.OK;
    }

    int start(CliOptions options) {
        StackServices.Started started = services(options).start(service(options, "start"));
        out.printf("started %s: pid %d, port %d%n", started.component(), started.pid(), started.port());
        return SnapbusCli.OK;
    }

    private static StackServices services(CliOptions options) {
        Path dataDir = options.dataDirOr(StackCommands.STACK_NAME);
        return StackServices.in(dataDir);
    }

    private static String service(CliOptions options, String command) {
        List<String> positional = options.positional();
        if (positional.size() != 1) {
            throw new CliOptions.UsageException(command + " needs one service name (as `status` shows them, e.g."
                    + " job-service, agent-1, node-1, kafka, registry, s3), got " + positional);
        }
        return positional.get(0);
    }
}
