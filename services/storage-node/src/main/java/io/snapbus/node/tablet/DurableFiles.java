package io.snapbus.node.tablet;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Crash-safe file operations: every file is written under a temporary name in its final directory, fsynced and
 * renamed over the target, so a reader (or a restart) sees the old or the new content, never a part.
 */
final class DurableFiles {
    /** Temporary files end with this; whatever a restart finds with it was never committed. */
    static final String TEMP_SUFFIX = ".tmp";
    private static final AtomicLong TEMP_COUNTER = new AtomicLong();

    private DurableFiles() {
    }

    /** A fresh temporary name next to {@code target}. */
    static Path tempFor(Path target) {
        return target.resolveSibling(target.getFileName() + "." + Long.toHexString(System.nanoTime()) + "-"
                + TEMP_COUNTER.incrementAndGet() + TEMP_SUFFIX);
    }

    static boolean isTemp(Path file) {
        return file.getFileName().toString().endsWith(TEMP_SUFFIX);
    }

    /** Writes {@code content} to {@code target} atomically and durably (the directory entry included). */
    static void write(Path target, byte[] content) throws IOException {
        Path temp = tempFor(target);
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            rename(temp, target);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** Atomic rename within one directory, then fsync of the directory. */
    static void rename(Path source, Path target) throws IOException {
        Files.move(source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        fsyncDirectory(target.getParent());
    }

    /** Makes a directory's entries (creations, renames, deletions) durable. */
    static void fsyncDirectory(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (UnsupportedOperationException e) {
            // Some platforms cannot open directories; the rename is still atomic there.
        }
    }

    /** Creates {@code dir} and missing parents, making each new entry durable. */
    static void createDirectories(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        createDirectories(dir.getParent());
        try {
            Files.createDirectory(dir);
        } catch (java.nio.file.FileAlreadyExistsException e) {
            if (!Files.isDirectory(dir)) {
                throw e;
            }
            return;
        }
        fsyncDirectory(dir.getParent());
    }

    /** Deletes a file or a directory tree without following symbolic links; absent is fine. */
    static void deleteTree(Path path) throws IOException {
        if (!Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(path, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                throw e;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (e != null && !(e instanceof NoSuchFileException)) {
                    throw e;
                }
                Files.deleteIfExists(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** {@link #deleteTree} for clean-up paths that must not hide the original failure. */
    static void deleteQuietly(Path path) {
        if (path == null) {
            return;
        }
        try {
            deleteTree(path);
        } catch (IOException | RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(DurableFiles.class).warn("could not delete {}: {}", path, e.toString());
        }
    }

    /** Deletes a directory if it is empty; returns whether it is gone. */
    static boolean deleteIfEmpty(Path dir) {
        try {
            Files.deleteIfExists(dir);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
