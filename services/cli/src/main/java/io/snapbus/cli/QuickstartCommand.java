package io.snapbus.cli;

import io.snapbus.local.LocalStack;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * {@code snapbus quickstart}: the main flow on the embedded default. Today it brings up the real infrastructure
 * (KRaft broker, schema registry), creates every topic and registers every schema; the backup itself (job-service,
 * agents, storage nodes) arrives with the end-to-end issue.
 */
final class QuickstartCommand {
    static final String STACK_NAME = "quickstart";

    private final PrintStream out;

    QuickstartCommand(PrintStream out) {
        this.out = out;
    }

    int run(CliOptions options) {
        Path dataDir = options.dataDirOr(STACK_NAME);
        if (LocalStack.running(dataDir).isRunning()) {
            throw new IllegalStateException("a stack already runs from " + dataDir
                    + "; stop it first with: snapbus down --data " + dataDir);
        }
        StackCommands stacks = new StackCommands(out);
        LocalStack stack = stacks.start(options, dataDir, !options.keep());
        try {
            StackCommands.prepareTopicsAndSchemas(stack, out);
            out.println();
            out.println("not yet: the backup itself (job-service, backend-agents, storage nodes) is not built yet;");
            out.println("quickstart will create tables, load rows and back them up here once it is.");
            if (options.keep()) {
                out.println();
                out.println("left running (stop it with: snapbus down --data " + dataDir + "):");
                out.println("  kafka     " + stack.bootstrapServers());
                out.println("  registry  " + stack.registryConfluentUrl());
                return SnapbusCli.OK;
            }
        } catch (RuntimeException e) {
            stack.close();
            throw e;
        }
        out.print("stopping ... ");
        stack.close();
        out.println("done, nothing left running");
        return SnapbusCli.OK;
    }
}
