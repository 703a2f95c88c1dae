package io.snapbus.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/** What picocli does for every command before anything is sent: help, refusals and suggestions. */
class CommandLineParsingTest {
    @TempDir
    Path dir;

    /** Every command that runs something, as its words ({@code backup start}). */
    static Stream<String> commands() {
        List<String> paths = new ArrayList<>();
        collect(SnapbusClient.commandLine(new ClientEnvironment(Map.of(), Path.of("/"), Path.of("/"))), "", paths);
        return paths.stream();
    }

    @Test
    void everyCommandOfTheBriefIsThere() {
        assertThat(commands()).contains("repo create", "repo alter", "repo list", "repo show", "repo delete",
                "snapshot list", "snapshot show", "snapshot verify", "backup start", "backup list", "backup show",
                "backup cancel", "restore start", "restore list", "restore show", "restore cancel",
                "local-snapshot list", "local-snapshot get", "db create", "db list", "db drop", "table create",
                "table list", "table show", "table drop", "load", "rows", "generate-completion", "backend add",
                "backend list", "partition add", "partition drop", "partition truncate", "recycle-bin list",
                "recycle-bin recover", "snapshot verification", "restore cancel-all", "view create",
                "resource create", "resource list", "odbc-table create");
    }

    @ParameterizedTest
    @MethodSource("commands")
    void everyCommandHasItsHelpWithTheExitCodes(String command) {
        ClientRun run = ClientRun.run(dir, args(command, "--help"));

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).startsWith("Usage: snapbus " + command).contains("Exit codes:", "4   refused");
    }

    @ParameterizedTest
    @MethodSource("commands")
    void everyCommandRefusesAMistypedOptionWithASuggestion(String command) {
        List<String> args = new ArrayList<>(List.of(args(command)));
        args.addAll(validArguments(command));
        args.add("--outptu=json");

        ClientRun run = ClientRun.run(dir, args.toArray(String[]::new));

        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).contains("Unknown option: '--outptu=json'").contains("Possible solutions: --output");
    }

    @Test
    void aMistypedCommandIsRefusedWithASuggestion() {
        ClientRun run = ClientRun.run(dir, "backup", "strat");

        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).contains("Did you mean: ").contains("backup start");
    }

    @Test
    void aCommandWithTwoLettersSwappedIsSuggestedFirst() {
        ClientRun run = ClientRun.run(dir, "bakcup", "list", "demo");

        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).contains("Unmatched arguments from index 0: 'bakcup'", "Did you mean: snapbus backup?");
        assertThat(Suggestions.distance("qucikstart", "quickstart")).isEqualTo(1);
        assertThat(Suggestions.distance("rpeo", "repo")).isEqualTo(1);
        assertThat(Suggestions.distance("snapshots", "snapshot")).isEqualTo(1);
    }

    @Test
    void anOptionOfAnotherCommandIsRefused() {
        ClientRun run = ClientRun.run(dir, "backup", "list", "demo", "--exclude", "t");

        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).contains("Unknown options: '--exclude'");
    }

    @Test
    void aGroupWithoutItsCommandIsAUsageError() {
        ClientRun run = ClientRun.run(dir, "restore");

        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).contains("Missing required subcommand");
    }

    @Test
    void aMalformedRestoreTargetIsRefused() {
        ClientRun run = ClientRun.run(dir, "restore", "start", "demo", "nightly", "--repo", "r", "--exclude",
                "orders=copy");

        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).contains("no alias here: 'orders=copy'");
    }

    @Test
    void versionAndCompletion() {
        ClientRun version = ClientRun.run(dir, "--version");
        ClientRun completion = ClientRun.run(dir, "generate-completion");

        assertThat(version.exitCode()).isZero();
        assertThat(version.out()).startsWith("snapbus 0.");
        assertThat(completion.exitCode()).isZero();
        assertThat(completion.out()).contains("_complete_snapbus", "backup", "local-snapshot");
    }

    /** Values for the command's positional parameters and required options, so only the mistyped option is wrong. */
    private static List<String> validArguments(String command) {
        CommandLine line = SnapbusClient.commandLine(new ClientEnvironment(Map.of(), Path.of("/"), Path.of("/")));
        for (String word : command.split(" ")) {
            line = line.getSubcommands().get(word);
        }
        List<String> values = new ArrayList<>();
        Map<String, String> samples = Map.of("HOST:PORT", "node:9060", "NAME:[LOWER]:[UPPER]", "p1::");
        line.getCommandSpec().positionalParameters()
                .forEach(p -> values.add(samples.getOrDefault(p.paramLabel(), "1")));
        line.getCommandSpec().requiredArgs().stream().filter(a -> a.isOption())
                .map(a -> (CommandLine.Model.OptionSpec) a)
                .forEach(o -> values.add(o.longestName() + "=" + (o.longestName().equals("--column") ? "a:INT"
                        : o.typeInfo().isMap() ? "k=v" : "1")));
        return values;
    }

    private static String[] args(String command, String... more) {
        List<String> all = new ArrayList<>(List.of(command.split(" ")));
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    private static void collect(CommandLine line, String prefix, List<String> paths) {
        if (line.getSubcommands().isEmpty()) {
            paths.add(prefix.strip());
            return;
        }
        line.getSubcommands().forEach((name, sub) -> collect(sub, prefix + " " + name, paths));
    }
}
