package io.snapbus.repository;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Linux's {@code syncfs(2)}: one call makes every written page and every metadata change of a filesystem durable
 * (file data, inodes, directory entries: the renames too), as {@code sync} does for all of them. A task that wrote
 * thousands of small files pays one journal commit instead of an fsync per file and per directory. It also flushes
 * what other writers left dirty on that filesystem, so it is the right tool where one task's files are most of
 * what is being written (a restore's DOWNLOAD). Elsewhere (not Linux, no libc through JNA) {@link #available()} is
 * false and callers fsync file by file.
 */
public final class FileSystemFlush {
    private static final Logger log = LoggerFactory.getLogger(FileSystemFlush.class);
    private static final int O_RDONLY = 0;
    private static final Optional<LibC> LIBC = load();

    private FileSystemFlush() {
    }

    /** The part of libc this needs. */
    interface LibC extends Library {
        int open(String path, int flags) throws LastErrorException;

        int syncfs(int fd) throws LastErrorException;

        int close(int fd) throws LastErrorException;
    }

    private static Optional<LibC> load() {
        if (!Platform.isLinux()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Native.load("c", LibC.class));
        } catch (LinkageError | RuntimeException e) {
            log.info("syncfs(2) is not reachable ({}); files are made durable one fsync at a time", e.toString());
            return Optional.empty();
        }
    }

    /** Whether {@link #flush} can be called here. */
    public static boolean available() {
        return LIBC.isPresent();
    }

    /**
     * Makes everything written on the filesystem that holds {@code path} (a file or a directory on it) durable.
     *
     * @throws IOException           when the path cannot be opened or the flush fails (an I/O error of the disk)
     * @throws IllegalStateException when {@link #available()} is false
     */
    public static void flush(Path path) throws IOException {
        LibC libc = LIBC.orElseThrow(() -> new IllegalStateException("syncfs(2) is not available here"));
        int fd;
        try {
            fd = libc.open(path.toString(), O_RDONLY);
        } catch (LastErrorException e) {
            throw new IOException("cannot open " + path + " to flush its filesystem: errno " + e.getErrorCode(), e);
        }
        try {
            libc.syncfs(fd);
        } catch (LastErrorException e) {
            throw new IOException("syncfs of the filesystem of " + path + " failed: errno " + e.getErrorCode(), e);
        } finally {
            try {
                libc.close(fd);
            } catch (LastErrorException e) {
                log.debug("close of fd {} ({}) failed: errno {}", fd, path, e.getErrorCode());
            }
        }
    }
}
