package io.snapbus.client;

import java.nio.file.Path;
import java.util.Map;

/**
 * What the command reads from its surroundings to find a job-service: environment variables, the user's home and
 * the working directory (tests give their own).
 */
public record ClientEnvironment(Map<String, String> variables, Path home, Path workingDirectory) {
    public ClientEnvironment {
        variables = Map.copyOf(variables);
    }

    /** This process's environment. */
    public static ClientEnvironment current() {
        return new ClientEnvironment(System.getenv(), Path.of(System.getProperty("user.home")),
                Path.of("").toAbsolutePath());
    }

    /** The variable's value; null when unset or blank. */
    String variable(String name) {
        String value = variables.get(name);
        return value == null || value.isBlank() ? null : value;
    }
}
