package io.snapbus.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where each thing lives under the stack's one data folder.
 *
 * <pre>
 * &lt;data&gt;/kafka/            broker storage (log.dirs, meta.properties)
 * &lt;data&gt;/registry/         the registry's H2 database (db.mv.db)
 * &lt;data&gt;/s3/               S3 buckets (one directory per bucket)
 * &lt;data&gt;/conf/             generated configuration of each component
 * &lt;data&gt;/logs/&lt;c&gt;.log      everything a component printed
 * &lt;data&gt;/run/&lt;c&gt;.pid       who runs a component (read by {@link LocalStack#stopFromPidFiles})
 * &lt;data&gt;/run/&lt;c&gt;.launch    how to start a component again (read by {@link StackServices}; removed with the stack)
 * &lt;data&gt;/run/endpoints.properties  where the running stack listens
 * &lt;data&gt;/tmp/&lt;c&gt;/         a component's java.io.tmpdir
 * </pre>
 */
record StackLayout(Path dataDir) {

    static final String MARKER_PROPERTY = "snapbus.local.data";

    StackLayout {
        dataDir = dataDir.toAbsolutePath().normalize();
    }

    Path kafka() { return dataDir.resolve("kafka"); }
    Path registry() { return dataDir.resolve("registry"); }
    Path s3() { return dataDir.resolve("s3"); }
    Path conf() { return dataDir.resolve("conf"); }
    Path logs() { return dataDir.resolve("logs"); }
    Path run() { return dataDir.resolve("run"); }
    Path logFile(String component) { return logs().resolve(component + ".log"); }
    Path pidFile(String component) { return run().resolve(component + ".pid"); }
    Path launchFile(String component) { return run().resolve(component + ".launch"); }
    Path endpointsFile() { return run().resolve("endpoints.properties"); }
    Path tmp(String component) { return dataDir.resolve("tmp").resolve(component); }

    /**
     * The JVM option that marks a component's command line as belonging to this data folder: a process is only
     * ever stopped through a pid file if its command line still carries this exact argument.
     */
    String marker() {
        return "-D" + MARKER_PROPERTY + "=" + dataDir;
    }

    static Path createDirectories(String component, Path dir) {
        try {
            if (Files.exists(dir) && !Files.isDirectory(dir)) {
                throw new LocalComponentException(component, "data folder " + dir + " looks corrupt (it is a file, not a folder):"
                        + " remove it to start fresh");
            }
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new LocalComponentException(component, "cannot create folder " + dir + " (" + e + "); check the permissions"
                    + " of the data folder or choose another one", e);
        }
    }

    static void write(String component, Path file, String content) {
        createDirectories(component, file.getParent());
        try {
            Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
