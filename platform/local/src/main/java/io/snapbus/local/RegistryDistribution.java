package io.snapbus.local;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Apicurio Registry distribution, unpacked once into a shared cache folder (temp folder + atomic rename, so
 * concurrent JVMs never see half an unpack) and reused by every stack afterwards.
 */
final class RegistryDistribution {

    private static final Logger log = LoggerFactory.getLogger(RegistryDistribution.class);

    private RegistryDistribution() {
    }

    /** The runner jar ({@code apicurio-registry-app-<v>-runner.jar}) of an unpacked distribution. */
    static Path runnerJar(Path distribution, Path cacheDir) {
        Path home = Files.isDirectory(distribution) ? distribution : unpacked(distribution, cacheDir);
        try (Stream<Path> files = Files.list(home)) {
            return files.filter(f -> f.getFileName().toString().endsWith("-runner.jar")).findFirst()
                    .orElseThrow(() -> new LocalComponentException(SchemaRegistry.NAME, "the registry distribution in " + home
                            + " has no *-runner.jar; remove that folder so it is unpacked again, or point"
                            + " LocalStackConfig.registryDistribution at a complete apicurio-registry-app-*-all.tar.gz"));
        } catch (IOException e) {
            throw new LocalComponentException(SchemaRegistry.NAME, "cannot read " + home + ": " + e, e);
        }
    }

    private static Path unpacked(Path tarGz, Path cacheDir) {
        String name = tarGz.getFileName().toString().replaceFirst("(-all)?\\.tar\\.gz$", "");
        Path target = cacheDir.resolve(name);
        if (Files.isDirectory(target)) {
            return target;
        }
        StackLayout.createDirectories(SchemaRegistry.NAME, cacheDir);
        Path temp = cacheDir.resolve("." + name + ".unpacking-" + UUID.randomUUID());
        long started = System.nanoTime();
        try {
            extract(tarGz, temp);
            publish(temp, target);
            log.info("registry: unpacked {} into {} in {} ms", tarGz.getFileName(), target, (System.nanoTime() - started) / 1_000_000);
            return target;
        } catch (IOException e) {
            throw new LocalComponentException(SchemaRegistry.NAME, "cannot unpack " + tarGz + " into " + cacheDir + " (" + e
                    + "); check free disk space and permissions, or set LocalStackConfig.cacheDir", e);
        } finally {
            deleteQuietly(temp);
        }
    }

    /**
     * Renames the unpacked folder to its final name; a target another JVM renamed into place first is kept (Linux
     * reports that as a plain FileSystemException, "Directory not empty", not as DirectoryNotEmptyException).
     */
    static void publish(Path unpacked, Path target) throws IOException {
        try {
            Files.move(unpacked, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileSystemException raced) {
            if (!Files.isDirectory(target)) {
                throw raced;
            }
        }
    }

    private static void extract(Path tarGz, Path into) throws IOException {
        Files.createDirectories(into);
        try (InputStream file = Files.newInputStream(tarGz);
             TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(new BufferedInputStream(file, 1 << 16), 1 << 16))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                Path out = into.resolve(entry.getName()).normalize();
                if (!out.startsWith(into)) {
                    throw new IOException("archive entry escapes the target folder: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(out);
                } else if (entry.isFile()) {
                    Files.createDirectories(out.getParent());
                    Files.copy(tar, out, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    static void deleteQuietly(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort: a leftover temp folder is harmless
                }
            });
        } catch (IOException ignored) {
            // best effort
        }
    }
}
