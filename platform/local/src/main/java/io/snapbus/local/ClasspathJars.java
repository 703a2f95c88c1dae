package io.snapbus.local;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.zip.ZipFile;
import java.util.stream.Stream;

/**
 * A classpath whose class folders (a module's {@code target/classes}) are replaced by jars of their content in the
 * cache, so a class data archive can cover it: JDK 17 refuses to dump or map an archive for a classpath with a
 * non-empty directory on it. The jars keep the folders' directory entries, so package scans find the same classes.
 */
final class ClasspathJars {

    private ClasspathJars() {
    }

    /** The classpath with every non-empty folder as a jar; empty if a jar could not be written (then use it as is). */
    static Optional<String> of(Path cacheDir, String classpath) {
        List<String> entries = new ArrayList<>();
        try {
            for (String entry : classpath.split(File.pathSeparator)) {
                Path path = Path.of(entry);
                entries.add(isNonEmptyDirectory(path) ? jarOf(cacheDir.resolve("cds").resolve("jars"), path).toString()
                        : entry);
            }
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
        return Optional.of(String.join(File.pathSeparator, entries));
    }

    private static boolean isNonEmptyDirectory(Path path) throws IOException {
        if (!Files.isDirectory(path)) {
            return false;
        }
        try (Stream<Path> children = Files.list(path)) {
            return children.findAny().isPresent();
        }
    }

    /**
     * The folder as a jar of its current content, at a path of its own (so a rebuilt folder keeps its classpath, and
     * the archives of the older content can be told apart and removed); the jar's comment is the content's key.
     */
    private static Path jarOf(Path folder, Path classes) throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(classes)) {
            files = walk.sorted().toList();
        }
        String name = classes.toAbsolutePath().normalize().toString().replaceAll("[^A-Za-z0-9]+", "-")
                .replaceAll("^-", "");
        Path jar = folder.resolve(name + ".jar");
        String key = contentKey(classes, files);
        if (Files.isRegularFile(jar) && key.equals(commentOf(jar))) {
            return jar;
        }
        Files.createDirectories(folder);
        Path temp = folder.resolve(jar.getFileName() + "." + UUID.randomUUID() + ".tmp");
        try {
            try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(temp))) {
                out.setComment(key);
                for (Path file : files) {
                    if (file.equals(classes)) {
                        continue;
                    }
                    String entry = classes.relativize(file).toString().replace(File.separatorChar, '/');
                    boolean directory = Files.isDirectory(file);
                    out.putNextEntry(new JarEntry(directory ? entry + "/" : entry));
                    if (!directory) {
                        Files.copy(file, out);
                    }
                    out.closeEntry();
                }
            }
            // A JVM that has the older jar open keeps reading it; one that starts now reads this one.
            Files.move(temp, jar, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
        return jar;
    }

    private static String commentOf(Path jar) {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            return zip.getComment();
        } catch (IOException e) {
            return null;
        }
    }

    private static String contentKey(Path classes, List<Path> files) throws IOException {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (Path file : files) {
                BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
                digest.update((classes.relativize(file) + ":" + attributes.size() + ":"
                        + attributes.lastModifiedTime().toMillis() + ";").getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(digest.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
