package io.snapbus.client;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * Finds the job-service: {@code --server} first, then the {@code SNAPBUS_SERVER} environment variable, then the
 * {@code server} key of the config file ({@code $SNAPBUS_CONFIG}, else {@code ~/.config/snapbus/config.properties}),
 * then the job-service of a local stack started by {@code snapbus quickstart --keep}: the
 * {@code job-service.readiness.url} its endpoints file records, in {@code <data>/run/endpoints.properties} for the
 * data folders {@code $SNAPBUS_HOME/local} and {@code $SNAPBUS_HOME/quickstart} ({@code SNAPBUS_HOME} defaults to
 * {@code ./.snapbus}, as the {@code snapbus} script sets it to the checkout's). The endpoints file is read as plain
 * properties, so this client does not need the stack's code.
 */
final class ServerResolver {
    static final String SERVER_VARIABLE = "SNAPBUS_SERVER";
    static final String CONFIG_VARIABLE = "SNAPBUS_CONFIG";
    static final String HOME_VARIABLE = "SNAPBUS_HOME";
    static final String CONFIG_KEY = "server";
    /** The key under which the local stack records the job-service's readiness URL (same port as the API). */
    static final String ENDPOINT_KEY = "job-service.readiness.url";
    /** The data folders of the stacks {@code up} and {@code quickstart} start, under {@code SNAPBUS_HOME}. */
    static final List<String> STACK_FOLDERS = List.of("local", "quickstart");
    /** How to choose another job-service, for messages. */
    static final String HOW_TO_CHOOSE = "give one with --server URL, the " + SERVER_VARIABLE
            + " environment variable or 'server=URL' in the config file";

    private final ClientEnvironment environment;

    ServerResolver(ClientEnvironment environment) {
        this.environment = environment;
    }

    /** The job-service to use; {@code flag} is {@code --server} (null when not given). */
    Server resolve(String flag) {
        if (flag != null && !flag.isBlank()) {
            return Server.parse(flag, "--server");
        }
        String variable = environment.variable(SERVER_VARIABLE);
        if (variable != null) {
            return Server.parse(variable, "the " + SERVER_VARIABLE + " environment variable");
        }
        Path config = configFile();
        if (Files.isRegularFile(config)) {
            String server = read(config).getProperty(CONFIG_KEY);
            if (server != null && !server.isBlank()) {
                return Server.parse(server, "'" + CONFIG_KEY + "' in " + config);
            }
        } else if (environment.variable(CONFIG_VARIABLE) != null) {
            throw new ClientFailure(ExitCode.FAILED, "no config file " + config + " (named by " + CONFIG_VARIABLE
                    + ")");
        }
        List<Path> tried = new ArrayList<>();
        for (Path endpoints : endpointsFiles()) {
            tried.add(endpoints);
            if (Files.isRegularFile(endpoints)) {
                String readiness = read(endpoints).getProperty(ENDPOINT_KEY);
                if (readiness != null && !readiness.isBlank()) {
                    URI uri = URI.create(readiness.strip());
                    return Server.parse(uri.getScheme() + "://" + uri.getRawAuthority(), "the local stack's "
                            + endpoints);
                }
            }
        }
        throw new ClientFailure(ExitCode.FAILED, "no job-service given, and no local stack's job-service in "
                + tried + "; " + HOW_TO_CHOOSE + " (" + config + "), or start one: snapbus quickstart --keep");
    }

    /** {@code $SNAPBUS_CONFIG}, else {@code ~/.config/snapbus/config.properties}. */
    Path configFile() {
        String named = environment.variable(CONFIG_VARIABLE);
        return named != null ? environment.workingDirectory().resolve(named)
                : environment.home().resolve(".config").resolve("snapbus").resolve("config.properties");
    }

    /** The endpoints files of the local stacks, in the order they are tried. */
    List<Path> endpointsFiles() {
        String home = environment.variable(HOME_VARIABLE);
        Path base = home != null ? environment.workingDirectory().resolve(home)
                : environment.workingDirectory().resolve(".snapbus");
        return STACK_FOLDERS.stream()
                .map(folder -> base.resolve(folder).resolve("run").resolve("endpoints.properties").normalize())
                .toList();
    }

    private static Properties read(Path file) {
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(file)) {
            properties.load(in);
        } catch (IOException e) {
            throw new ClientFailure(ExitCode.FAILED, "cannot read " + file + ": " + e.getMessage());
        }
        return properties;
    }
}
