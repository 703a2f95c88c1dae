package io.snapbus.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * Finds the programs the stack runs that are not on our classpath: the Apicurio Registry distribution and the
 * s3proxy jar. The build resolves both into the local Maven repository and records where in
 * {@code snapbus-local.properties}; a config field or system property overrides either.
 */
final class LocalArtifacts {

    static final String REGISTRY_DISTRIBUTION_PROPERTY = "snapbus.local.registry.distribution";
    static final String S3PROXY_JAR_PROPERTY = "snapbus.local.s3proxy.jar";

    private static final Properties BUILD = load();

    private LocalArtifacts() {
    }

    static String apicurioVersion() {
        return BUILD.getProperty("apicurio.version", "3.0.9");
    }

    static String s3proxyVersion() {
        return BUILD.getProperty("s3proxy.version", "4.1.0");
    }

    /** The registry distribution (tar.gz, or a folder that is already unpacked), checked to exist. */
    static Path registryDistribution(LocalStackConfig config) {
        String v = apicurioVersion();
        Path path = chosen(config.registryDistribution(), REGISTRY_DISTRIBUTION_PROPERTY,
                localRepository().resolve("io/apicurio/apicurio-registry-app/" + v + "/apicurio-registry-app-" + v + "-all.tar.gz"));
        return requireExists(SchemaRegistry.NAME, path, "the Apicurio Registry " + v + " distribution",
                "io.apicurio:apicurio-registry-app:" + v + ":tar.gz:all", "registryDistribution", REGISTRY_DISTRIBUTION_PROPERTY);
    }

    static Path s3proxyJar(LocalStackConfig config) {
        String v = s3proxyVersion();
        Path path = chosen(config.s3proxyJar(), S3PROXY_JAR_PROPERTY,
                localRepository().resolve("org/gaul/s3proxy/" + v + "/s3proxy-" + v + "-jar-with-dependencies.jar"));
        return requireExists(S3Server.NAME, path, "the s3proxy " + v + " jar", "org.gaul:s3proxy:" + v + ":jar:jar-with-dependencies",
                "s3proxyJar", S3PROXY_JAR_PROPERTY);
    }

    private static Path chosen(Path configured, String systemProperty, Path fromBuild) {
        if (configured != null) {
            return configured;
        }
        String property = System.getProperty(systemProperty);
        return property != null && !property.isBlank() ? Path.of(property) : fromBuild;
    }

    private static Path requireExists(String component, Path path, String what, String coordinates, String setting, String property) {
        if (!Files.exists(path)) {
            throw new LocalComponentException(component, what + " is not at " + path + "; build platform/local once with network"
                    + " access (`mvn -pl platform/local install` resolves " + coordinates + " into the local Maven repository),"
                    + " or point LocalStackConfig." + setting + " (or -D" + property + ") at a copy");
        }
        return path;
    }

    private static Path localRepository() {
        String repo = BUILD.getProperty("local.repository", "");
        // Unfiltered (e.g. compiled by an IDE): fall back to Maven's default location.
        if (repo.isBlank() || repo.contains("@")) {
            return Path.of(System.getProperty("user.home"), ".m2", "repository");
        }
        return Path.of(repo);
    }

    private static Properties load() {
        Properties props = new Properties();
        try (InputStream in = LocalArtifacts.class.getResourceAsStream("/snapbus-local.properties")) {
            if (in != null) {
                props.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read snapbus-local.properties", e);
        }
        return props;
    }
}
