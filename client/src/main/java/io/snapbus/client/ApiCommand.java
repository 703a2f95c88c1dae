package io.snapbus.client;

import io.snapbus.api.SnapbusApiClient;
import java.util.function.Supplier;
import picocli.CommandLine.ParentCommand;

/** A subcommand of {@code snapbus} that talks to the job-service: its client and its output. */
abstract class ApiCommand {
    @ParentCommand
    SnapbusClient root;

    SnapbusApiClient api() {
        return root.api();
    }

    Output output() {
        return root.output();
    }

    /** Prints the answer (JSON, or the text {@code table} renders) and says the command succeeded. */
    int print(Object answer, Supplier<String> table) {
        output().print(answer, table);
        return ExitCode.OK;
    }
}
