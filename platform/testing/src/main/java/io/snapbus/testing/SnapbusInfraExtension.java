package io.snapbus.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import io.snapbus.local.LocalStack;
import io.snapbus.local.LocalStackConfig;
import io.snapbus.local.S3Endpoint;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The JUnit 5 side of {@link SnapbusInfra}: starts one {@link LocalStack} per test JVM on first use (free ports,
 * a fresh data folder), keeps it in the root context's store so JUnit stops it after the last test of the JVM
 * (also when tests fail), starts S3 the first time an {@code s3 = true} class runs, and injects the stack.
 *
 * <p>System properties: {@code snapbus.testing.dataDir} (parent folder of the stack's data folder; default
 * {@code target/snapbus-infra} when run from a module folder, else the temp folder) and
 * {@code snapbus.testing.keepData=true} (keep everything after the run; by default only {@code logs/} is kept).
 */
public final class SnapbusInfraExtension implements BeforeAllCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SnapbusInfraExtension.class);
    /** Distinguishes this JVM's names from those of earlier runs against a kept data folder. */
    private static final String RUN = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(0, 6);
    private static final AtomicLong SEQUENCE = new AtomicLong();
    private static volatile LocalStack current;

    /**
     * A name no other test of this JVM gets: {@code <prefix>-<run>-<n>}, e.g. {@code tasks-3fa9c1-7}. Made of
     * lower-case letters, digits and hyphens after the prefix, so it is a valid topic, subject and (with a
     * lower-case prefix of at least 3 characters) S3 bucket name.
     */
    public static String uniqueName(String prefix) {
        return prefix + "-" + RUN + "-" + SEQUENCE.incrementAndGet();
    }

    /** The stack of this test JVM, started on first call. */
    public static LocalStack stack(ExtensionContext context) {
        LocalStack stack = context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(SharedStack.class, key -> SharedStack.start(), SharedStack.class)
                .stack();
        current = stack;
        return stack;
    }

    /**
     * The stack already started for this test JVM, for code that gets no parameters, such as a Spring
     * {@code @DynamicPropertySource} method of a class annotated {@code @SnapbusInfra} (our {@code beforeAll}
     * runs before Spring builds its context):
     * <pre>{@code
     * @DynamicPropertySource
     * static void kafka(DynamicPropertyRegistry registry) {
     *     registry.add("spring.kafka.bootstrap-servers", () -> SnapbusInfraExtension.current().bootstrapServers());
     * }
     * }</pre>
     *
     * @throws IllegalStateException if no class annotated {@code @SnapbusInfra} has started yet
     */
    public static LocalStack current() {
        LocalStack stack = current;
        if (stack == null) {
            throw new IllegalStateException("no local stack has been started in this JVM yet: annotate the test class with"
                    + " @SnapbusInfra (it starts the stack before the class's tests and before Spring's test context)");
        }
        return stack;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        requireIntegrationTestName(context);
        LocalStack stack = stack(context);
        if (wantsS3(context)) {
            stack.startS3();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == LocalStack.class || type == S3Endpoint.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        requireIntegrationTestName(context);
        LocalStack stack = stack(context);
        Class<?> type = parameter.getParameter().getType();
        if (type == S3Endpoint.class) {
            return stack.startS3();
        }
        if (wantsS3(context)) {
            // A constructor of a PER_CLASS test runs before beforeAll: honour s3 = true here too.
            stack.startS3();
        }
        if (type == LocalStack.class) {
            return stack;
        }
        throw new ParameterResolutionException("@SnapbusInfra cannot provide a " + type.getName());
    }

    /**
     * Tests that start processes run in failsafe (`mvn verify`), which picks classes named {@code *IntegrationTest};
     * surefire (`mvn test`, unit tests only) leaves those out. A class using the stack under another name would
     * slow the unit tests down, so it is refused with the remedy.
     */
    private static void requireIntegrationTestName(ExtensionContext context) {
        Class<?> top = context.getRequiredTestClass();
        while (top.getEnclosingClass() != null) {
            top = top.getEnclosingClass();
        }
        if (!top.getSimpleName().endsWith("IntegrationTest")) {
            throw new ExtensionConfigurationException(top.getName() + " uses @SnapbusInfra (it starts processes), so it must"
                    + " be named *IntegrationTest: failsafe runs those in `mvn verify`, surefire's unit tests leave them out");
        }
    }

    /** Whether this class, or a class it is nested in, is annotated {@code @SnapbusInfra(s3 = true)}. */
    private static boolean wantsS3(ExtensionContext context) {
        for (Optional<ExtensionContext> c = Optional.of(context); c.isPresent(); c = c.get().getParent()) {
            boolean s3 = c.get().getTestClass()
                    .flatMap(type -> AnnotationSupport.findAnnotation(type, SnapbusInfra.class))
                    .map(SnapbusInfra::s3)
                    .orElse(false);
            if (s3) {
                return true;
            }
        }
        return false;
    }

    /** The JVM's one stack, closed by JUnit when the root context closes. */
    record SharedStack(LocalStack stack, boolean keepData) implements ExtensionContext.Store.CloseableResource {

        static SharedStack start() {
            Path dataDir = createDataDir();
            LocalStack stack = LocalStack.start(LocalStackConfig.builder().dataDir(dataDir).build());
            return new SharedStack(stack, Boolean.getBoolean("snapbus.testing.keepData"));
        }

        @Override
        public void close() {
            stack.close();
            if (!keepData) {
                deleteAllButLogs(stack.dataDir());
            }
        }

        private static Path createDataDir() {
            String configured = System.getProperty("snapbus.testing.dataDir");
            Path parent;
            if (configured != null && !configured.isBlank()) {
                parent = Path.of(configured);
            } else if (Files.isDirectory(Path.of("target"))) {
                parent = Path.of("target", "snapbus-infra");
            } else {
                parent = Path.of(System.getProperty("java.io.tmpdir"), "snapbus-infra");
            }
            try {
                Files.createDirectories(parent);
                return Files.createTempDirectory(parent.toAbsolutePath(), "stack-");
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create a data folder for the test stack under " + parent, e);
            }
        }

        /** Logs stay for reading after a failed run; the data (GBs, possibly) goes. */
        private static void deleteAllButLogs(Path dataDir) {
            try (Stream<Path> top = Files.list(dataDir)) {
                for (Path entry : top.filter(p -> !p.getFileName().toString().equals("logs")).toList()) {
                    try (Stream<Path> walk = Files.walk(entry)) {
                        for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                            Files.deleteIfExists(p);
                        }
                    }
                }
            } catch (IOException e) {
                // leftovers under target/ are removed by the next `mvn clean`
            }
        }
    }
}
