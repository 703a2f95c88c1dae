package io.snapbus.client;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** One run of the {@code snapbus} command in a test: its exit code, stdout and stderr. */
record ClientRun(int exitCode, String out, String err) {

    /** Runs the command in an environment without SNAPBUS_* variables, home and working folder {@code dir}. */
    static ClientRun run(Path dir, String... args) {
        return run(new ClientEnvironment(Map.of(), dir, dir), null, args);
    }

    /** Runs the command in this environment; {@code stdin} is what {@code load --file -} reads (null: nothing). */
    static ClientRun run(ClientEnvironment environment, String stdin, String... args) {
        CommandLine line = SnapbusClient.commandLine(environment);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        line.setOut(new PrintWriter(out, true));
        line.setErr(new PrintWriter(err, true));
        if (stdin != null) {
            ((LoadCommand) line.getSubcommands().get("load").getCommand()).stdin =
                    new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8));
        }
        int code = line.execute(args);
        return new ClientRun(code, out.toString(), err.toString());
    }

    /** stdout as one JSON document. */
    JsonNode json() {
        return JsonMapper.builder().build().readTree(out);
    }
}
