package io.snapbus.client;

import io.snapbus.api.SnapbusApiClient;
import java.util.function.Supplier;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** A subcommand of {@code snapbus} that talks to the job-service: its client and its output. */
abstract class ApiCommand {
    @Spec
    CommandSpec spec;

    SnapbusApiClient api() {
        return JobServiceOptions.of(spec).api();
    }

    Output output() {
        return JobServiceOptions.of(spec).output(spec.root().commandLine());
    }

    /** Prints the answer (JSON, or the text {@code table} renders) and says the command succeeded. */
    int print(Object answer, Supplier<String> table) {
        output().print(answer, table);
        return ExitCode.OK;
    }
}
