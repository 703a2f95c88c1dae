package io.snapbus.deploy;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.testcontainers.DockerClientFactory;

/**
 * What every container test shares: whether a Docker engine is there (see {@link RequiresDocker}; fail when
 * {@code SNAPBUS_REQUIRE_DOCKER=1} says the tests are required, as CI does), the images built once per run with
 * {@code docker compose build} from the build context {@code mvn package} filled, and free ports on 127.0.0.1
 * (every container uses the host's network).
 */
public final class ContainerTests {
    public static final String TAG = "it";
    private static final String PUBLIC_BASE = "eclipse-temurin:17-jre";
    private static final String LOCAL_BASE = "snapbus/jre:17";
    private static boolean built;

    private ContainerTests() {}

    static final String NO_DOCKER = "no Docker engine is reachable (start one with deploy/docker/engine.sh start,"
            + " as .ci/run does)";

    /** Fails the calling test class when no engine answers (classes are skipped before that by {@link RequiresDocker}). */
    public static void requireDocker() {
        if (!dockerAvailable()) {
            fail(NO_DOCKER + (dockerRequired() ? "; SNAPBUS_REQUIRE_DOCKER=1 requires the container tests" : ""));
        }
    }

    static boolean dockerRequired() {
        return "1".equals(System.getenv("SNAPBUS_REQUIRE_DOCKER"));
    }

    static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** The compose file at the repository's root. */
    public static File composeFile() {
        return new File(System.getProperty("snapbus.compose.file", "../../docker-compose.yml")).getAbsoluteFile();
    }

    /** Image {@code snapbus/<target>:it}, built (once per JVM, all targets) by {@link #buildImages()}. */
    public static String image(String target) {
        buildImages();
        return "snapbus/" + target + ":" + TAG;
    }

    /**
     * The base image the services' images build on: SNAPBUS_BASE_IMAGE when set, else the locally built JRE image
     * when the engine has it (no registry here), else the public default.
     */
    public static String baseImage() {
        String chosen = System.getenv("SNAPBUS_BASE_IMAGE");
        if (chosen != null && !chosen.isBlank()) {
            return chosen;
        }
        try {
            DockerClientFactory.instance().client().inspectImageCmd(LOCAL_BASE).exec();
            return LOCAL_BASE;
        } catch (RuntimeException absent) {
            return PUBLIC_BASE;
        }
    }

    /** The environment compose runs with: base image, image tag, and the given port variables. */
    public static Map<String, String> composeEnvironment(Map<String, String> ports) {
        Map<String, String> env = new HashMap<>(ports);
        env.put("SNAPBUS_BASE_IMAGE", baseImage());
        env.put("SNAPBUS_IMAGE_TAG", TAG);
        return env;
    }

    private static synchronized void buildImages() {
        if (built) {
            return;
        }
        Path context = Path.of(System.getProperty("snapbus.docker.context", "target/docker"));
        if (!Files.isDirectory(context.resolve("jars"))) {
            fail("the images' build context " + context.toAbsolutePath() + " is missing; run mvn package first");
        }
        run(List.of("docker", "compose", "-f", composeFile().toString(), "build", "--quiet"),
                composeEnvironment(Map.of()), 1200);
        built = true;
    }

    /** Runs a command to its end, failing with its output when it exits non-zero or outlives its bound. */
    public static String run(List<String> command, Map<String, String> env, long timeoutSeconds) {
        try {
            File output = File.createTempFile("snapbus-docker", ".log");
            output.deleteOnExit();
            ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true)
                    .redirectOutput(output);
            builder.environment().putAll(env);
            Process process = builder.start();
            boolean ended = process.waitFor(timeoutSeconds, TimeUnit.SECONDS);
            if (!ended) {
                process.destroyForcibly().waitFor();
            }
            String text = Files.readString(output.toPath(), StandardCharsets.UTF_8);
            if (!ended || process.exitValue() != 0) {
                fail(String.join(" ", command) + (ended ? " exited " + process.exitValue() : " ran over "
                        + timeoutSeconds + " s") + ":\n" + text);
            }
            return text;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + command, e);
        }
    }

    /** {@code count} distinct ports free on 127.0.0.1 now. */
    public static int[] freePorts(int count) {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                sockets.add(socket);
                ports[i] = socket.getLocalPort();
            }
            return ports;
        } catch (IOException e) {
            throw new IllegalStateException("no free port on 127.0.0.1: " + e, e);
        } finally {
            for (ServerSocket socket : sockets) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // a port we only probed
                }
            }
        }
    }
}
