package io.snapbus.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A Java home that can run a component: it has {@code bin/java} and is at least Java 17. */
record JavaRuntime(Path home, int featureVersion) {

    static final int MINIMUM = 17;
    private static final Pattern VERSION = Pattern.compile("version \"([^\"]+)\"");

    Path executable() {
        return home.resolve("bin").resolve("java");
    }

    /** Checks {@code home} before anything is launched, failing with one message that says which setting to change. */
    static JavaRuntime require(String component, Path home, String setting) {
        Path java = home.resolve("bin").resolve("java");
        String remedy = "; set LocalStackConfig." + setting + " to the home of a JDK " + MINIMUM + " or newer"
                + " (for example " + System.getProperty("java.home") + ")";
        if (!Files.isRegularFile(java) || !Files.isExecutable(java)) {
            throw new LocalComponentException(component, "no Java runtime at " + java + " (the configured java home " + home
                    + " has no executable bin/java)" + remedy);
        }
        int version = featureVersion(component, home, java, remedy);
        if (version < MINIMUM) {
            throw new LocalComponentException(component, "the Java runtime at " + home + " is Java " + version + ", but "
                    + component + " needs Java " + MINIMUM + " or newer" + remedy);
        }
        return new JavaRuntime(home, version);
    }

    private static int featureVersion(String component, Path home, Path java, String remedy) {
        if (home.toAbsolutePath().normalize().equals(Path.of(System.getProperty("java.home")).toAbsolutePath().normalize())) {
            return Runtime.version().feature();
        }
        Path release = home.resolve("release");
        if (Files.isRegularFile(release)) {
            Properties props = new Properties();
            try (var in = Files.newBufferedReader(release, StandardCharsets.UTF_8)) {
                props.load(in);
                String v = props.getProperty("JAVA_VERSION");
                if (v != null) {
                    return parseFeature(v.replace("\"", "").trim());
                }
            } catch (IOException | IllegalArgumentException ignored) {
                // fall through: ask the executable itself
            }
        }
        return askExecutable(component, java, remedy);
    }

    private static int askExecutable(String component, Path java, String remedy) {
        try {
            Process p = new ProcessBuilder(java.toString(), "-version").redirectErrorStream(true).start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
            Matcher m = VERSION.matcher(new String(out, StandardCharsets.UTF_8));
            if (m.find()) {
                return parseFeature(m.group(1));
            }
        } catch (IOException | IllegalArgumentException e) {
            // reported below
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        throw new LocalComponentException(component, "cannot tell the version of " + java + " (`java -version` gave no version)" + remedy);
    }

    /** "17.0.15" → 17, "1.8.0_392" → 8, "21" → 21, "25-ea" → 25. */
    static int parseFeature(String version) {
        String v = version.startsWith("1.") ? version.substring(2) : version;
        Matcher m = Pattern.compile("^(\\d+)").matcher(v);
        if (!m.find()) {
            throw new IllegalArgumentException("not a Java version: " + version);
        }
        return Integer.parseInt(m.group(1));
    }
}
