package io.snapbus.local;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A dynamic class-data-sharing archive for a component whose classpath does not change between runs (the
 * registry, the S3 server, snapbus's own services until their jars are rebuilt): the first run dumps the classes it loaded when it exits, later runs map them and
 * start about twice as fast (registry: ~3.7 s → ~1.9 s here). One archive per component, JDK and classpath, in
 * the cache folder; a stale or foreign archive is simply not used by the JVM.
 */
final class ClassDataArchive {

    private static final Logger log = LoggerFactory.getLogger(ClassDataArchive.class);

    /** Archives of one family kept in the cache: a component whose jars are rebuilt gets a new one each time. */
    private static final int KEPT_PER_COMPONENT = 2;
    /**
     * An archive no run has mapped for this long is removed, whatever its family: each checkout, worktree or test
     * module has classpaths of its own (a family each), and ~80 MB per family added up to gigabytes.
     */
    static final Duration UNUSED_FOR = Duration.ofDays(7);

    /** The archives that differ only by the content of the classpath: {@code <component>-<hash of its paths>-}. */
    private final String family;
    private final Path archive;
    private final Path pending;
    /** No archive to map when this run was set up: it dumps one when it exits. */
    private final boolean dumpsAtExit;

    private ClassDataArchive(String family, Path archive, Path pending) {
        this.family = family;
        this.archive = archive;
        this.pending = pending;
        this.dumpsAtExit = !Files.isRegularFile(archive);
    }

    static ClassDataArchive of(Path cacheDir, String component, JavaRuntime java, String classpath) {
        Path folder = cacheDir.resolve("cds");
        removeStale(folder, Instant.now());
        String family = component + "-" + Integer.toHexString(classpath.hashCode()) + "-";
        String key = key(component, java, classpath);
        Path archive = folder.resolve(family + key + ".jsa");
        return new ClassDataArchive(family, archive, folder.resolve(family + key + ".jsa." + UUID.randomUUID() + ".tmp"));
    }

    /** Whether this run has no archive to map, so it dumps one when it exits. */
    boolean dumpsAtExit() {
        return dumpsAtExit;
    }

    /** Use the archive if there is one, else dump one at exit. The JVM's CDS warnings stay out of the component log. */
    List<String> jvmOptions() {
        List<String> quiet = List.of("-Xlog:cds=off", "-Xlog:cds+dynamic=off");
        if (!dumpsAtExit) {
            markUsed(archive);
            return concat(List.of("-XX:SharedArchiveFile=" + archive), quiet);
        }
        try {
            Files.createDirectories(pending.getParent());
        } catch (IOException e) {
            return List.of();
        }
        return concat(List.of("-XX:ArchiveClassesAtExit=" + pending), quiet);
    }

    /** After a run that served: keep what it dumped for the next runs (several JVMs may race: any complete dump will do). */
    void publish() {
        try {
            if (Files.isRegularFile(pending) && Files.size(pending) > 0) {
                Files.move(pending, archive, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                log.debug("class data archive {} written", archive);
                removeOlderArchives();
            }
        } catch (IOException e) {
            log.debug("cannot keep class data archive {}: {}", archive, e.toString());
        } finally {
            discard();
        }
    }

    /** After a run that failed: its dump is not worth keeping. */
    void discard() {
        try {
            Files.deleteIfExists(pending);
        } catch (IOException ignored) {
            // a leftover temp file in the cache is harmless
        }
    }

    /**
     * Keeps the newest archives of the component on the same classpath paths: the others are of jars rebuilt since
     * (~80 MB each). A JVM that maps one keeps its mapping; one about to start on it starts without (the JVM's choice).
     */
    private void removeOlderArchives() throws IOException {
        try (Stream<Path> files = Files.list(archive.getParent())) {
            List<Path> older = files.filter(f -> f.getFileName().toString().startsWith(family)
                            && f.getFileName().toString().endsWith(".jsa") && !f.equals(archive))
                    .sorted(Comparator.comparing(ClassDataArchive::modified).reversed())
                    .skip(KEPT_PER_COMPONENT - 1).toList();
            for (Path file : older) {
                Files.deleteIfExists(file);
            }
        }
    }

    private static long modified(Path file) {
        try {
            return Files.getLastModifiedTime(file).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }

    /**
     * One listing of the cache per start: dumps of runs that nobody published (their owner was killed, ~60 MB each)
     * go after an hour, archives of any family no run has mapped for {@link #UNUSED_FOR} go too.
     */
    private static void removeStale(Path folder, Instant now) {
        if (!Files.isDirectory(folder)) {
            return;
        }
        Instant dumpCutoff = now.minus(Duration.ofHours(1));
        Instant archiveCutoff = now.minus(UNUSED_FOR);
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.toList()) {
                String name = file.getFileName().toString();
                Instant cutoff = name.endsWith(".tmp") ? dumpCutoff : name.endsWith(".jsa") ? archiveCutoff : null;
                if (cutoff != null && Instant.ofEpochMilli(modified(file)).isBefore(cutoff)) {
                    Files.deleteIfExists(file);
                }
            }
        } catch (IOException ignored) {
            // a leftover file in the cache costs disk, nothing else
        }
    }

    /** An archive's modification time says when a run last mapped it (the JVM only reads it). */
    private static void markUsed(Path archive) {
        try {
            Files.setLastModifiedTime(archive, FileTime.from(Instant.now()));
        } catch (IOException ignored) {
            // it may then be removed a week early, and dumped again by a later run
        }
    }

    private static String key(String component, JavaRuntime java, String classpath) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(component.getBytes(StandardCharsets.UTF_8));
            digest.update(describe(java.home()).getBytes(StandardCharsets.UTF_8));
            Path release = java.home().resolve("release");
            if (Files.isRegularFile(release)) {
                digest.update(Files.readAllBytes(release));
            }
            digest.update(describe(java.home().resolve("lib").resolve("modules")).getBytes(StandardCharsets.UTF_8));
            for (String entry : classpath.split(File.pathSeparator)) {
                digest.update(describe(Path.of(entry)).getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(digest.digest()).substring(0, 16);
        } catch (IOException | NoSuchAlgorithmException e) {
            return "unkeyed-" + Integer.toHexString(classpath.hashCode());
        }
    }

    private static String describe(Path path) {
        try {
            return path.toRealPath() + ":" + Files.size(path) + ":" + Files.getLastModifiedTime(path).toMillis() + ";";
        } catch (IOException e) {
            return path + ":missing;";
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        return Stream.concat(a.stream(), b.stream()).toList();
    }
}
