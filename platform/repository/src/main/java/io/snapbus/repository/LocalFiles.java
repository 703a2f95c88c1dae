package io.snapbus.repository;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The local side of a download, the same for every storage: a new file to write into, and its removal on failure. */
final class LocalFiles {
    private static final Logger log = LoggerFactory.getLogger(LocalFiles.class);

    private LocalFiles() {}

    /**
     * Creates {@code local}, which must not exist (writing into an existing file could write through a hard link),
     * and its missing parent directories.
     */
    static FileChannel createNew(Path local) throws IOException {
        try {
            return FileChannel.open(local, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        } catch (NoSuchFileException e) {
            Files.createDirectories(local.getParent());
            return FileChannel.open(local, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        } catch (FileAlreadyExistsException e) {
            throw new IOException("the local file already exists", e);
        }
    }

    static void deleteQuietly(Path temp) {
        try {
            Files.deleteIfExists(temp);
        } catch (IOException e) {
            log.warn("cannot remove the temp file {}: {}", temp, e.toString());
        }
    }
}
