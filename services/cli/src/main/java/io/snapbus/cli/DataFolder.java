package io.snapbus.cli;

import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/** {@code --data DIR}: the folder of a local stack, else the command's default under {@code $SNAPBUS_HOME}. */
final class DataFolder {
    @Option(names = "--data", paramLabel = "DIR", description = "The stack's data folder (default: "
            + "$SNAPBUS_HOME/local, quickstart's $SNAPBUS_HOME/quickstart; ./snapbus sets SNAPBUS_HOME to "
            + "<checkout>/.snapbus).")
    Path given;

    /** --data as given, absolute. */
    Optional<Path> given() {
        return Optional.ofNullable(given).map(p -> p.toAbsolutePath().normalize());
    }

    /** --data, else {@code $SNAPBUS_HOME/<name>} ({@code ./.snapbus/<name>} when SNAPBUS_HOME is unset). */
    Path orDefault(String name) {
        return given().orElseGet(() -> {
            String home = System.getenv("SNAPBUS_HOME");
            Path base = home == null || home.isBlank() ? Path.of(".snapbus") : Path.of(home);
            return base.resolve(name).toAbsolutePath().normalize();
        });
    }

    /** {@code " --data DIR"} when it was given, for the commands a message suggests. */
    String asOption() {
        return given().map(d -> " --data " + d).orElse("");
    }
}
