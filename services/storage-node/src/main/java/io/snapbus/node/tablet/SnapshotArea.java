package io.snapbus.node.tablet;

import io.snapbus.thrift.TStatusCode;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The snapshot area {@code <store>/snapshot}: creates snapshot roots named {@code <yyyyMMddHHmmss>.<seq>.<timeout>}
 * (local time, as Doris), validates the paths RELEASE_SNAPSHOT and UPLOAD are given, and deletes roots. Nothing
 * outside the area is ever deleted: a path must resolve, symbolic links included, to a direct child of it.
 * A root is deleted by renaming it into the trash first, so it disappears from the area at once.
 */
final class SnapshotArea {
    private static final Logger log = LoggerFactory.getLogger(SnapshotArea.class);
    /** Doris's per-process snapshot sequence. */
    private static final AtomicLong SEQUENCE = new AtomicLong();
    private static final DateTimeFormatter NAME_TIME = DateTimeFormatter.ofPattern("uuuuMMddHHmmss")
            .withResolverStyle(ResolverStyle.STRICT);
    static final String RELEASED_PREFIX = "released-snapshot.";

    private final Path root;
    private final Path trash;
    private final ZoneId zone = ZoneId.systemDefault();

    /** @param root the real path of the snapshot area */
    SnapshotArea(Path root, Path trash) {
        this.root = root;
        this.trash = trash;
    }

    Path root() {
        return root;
    }

    /** A new, empty snapshot root. */
    Path createRoot(Instant now, long timeoutSeconds) throws IOException {
        String time = NAME_TIME.format(LocalDateTime.ofInstant(now, zone));
        while (true) {
            Path dir = root.resolve(time + "." + SEQUENCE.getAndIncrement() + "." + timeoutSeconds);
            try {
                Files.createDirectory(dir);
                return dir;
            } catch (FileAlreadyExistsException e) {
                // A root of an earlier process with the same second and sequence: take the next number.
            }
        }
    }

    /** When the root named {@code name} expires, or empty when the name is not a snapshot root's. */
    Optional<Instant> expiresAt(String name) {
        String[] parts = name.split("\\.", -1);
        if (parts.length != 3) {
            return Optional.empty();
        }
        try {
            LocalDateTime created = LocalDateTime.parse(parts[0], NAME_TIME);
            Long.parseLong(parts[1]);
            long timeout = Long.parseLong(parts[2]);
            return timeout < 0 ? Optional.empty()
                    : Optional.of(created.atZone(zone).toInstant().plusSeconds(timeout));
        } catch (DateTimeParseException | NumberFormatException | ArithmeticException e) {
            return Optional.empty();
        }
    }

    void release(String path) {
        Path requested = absolute(path);
        Path real;
        try {
            real = requested.toRealPath();
        } catch (NoSuchFileException e) {
            Path parent = requested.normalize().getParent();
            if (parent != null && isArea(parent)) {
                return; // already released
            }
            throw StoreException.invalid("refusing to release " + path + ": not a snapshot under " + root);
        } catch (IOException e) {
            throw StoreException.io("cannot resolve snapshot path " + path, e);
        }
        if (!root.equals(real.getParent())) {
            throw StoreException.invalid("refusing to release " + path + ": it resolves to " + real
                    + ", which is not a snapshot directly under " + root);
        }
        delete(real);
        log.info("released snapshot {}", real);
    }

    Path requireTabletDir(String path) {
        Path requested = absolute(path);
        Path real;
        try {
            real = requested.toRealPath();
        } catch (NoSuchFileException e) {
            Path area = ancestor(requested.normalize(), 3);
            if (area != null && isArea(area)) {
                throw new StoreException(TStatusCode.NOT_FOUND, "snapshot dir " + path + " does not exist");
            }
            throw StoreException.invalid(path + " is not a snapshot tablet dir <snapshot root>/<tabletId>/<schemaHash>"
                    + " under " + root);
        } catch (IOException e) {
            throw StoreException.io("cannot resolve snapshot dir " + path, e);
        }
        if (!root.equals(ancestor(real, 3)) || !isNumber(real.getParent().getFileName().toString(), true)
                || !isNumber(real.getFileName().toString(), false) || !Files.isDirectory(real)) {
            throw StoreException.invalid(path + " (" + real + ") is not a snapshot tablet dir"
                    + " <snapshot root>/<tabletId>/<schemaHash> under " + root);
        }
        return real;
    }

    /** Deletes the roots whose time plus timeout has passed; returns how many. */
    int sweep(Instant now) {
        int deleted = 0;
        for (Path snapshot : roots()) {
            Optional<Instant> expiry = expiresAt(snapshot.getFileName().toString());
            if (expiry.isPresent() && !now.isBefore(expiry.get())) {
                try {
                    delete(snapshot);
                    deleted++;
                    log.info("deleted expired snapshot {} (expired at {})", snapshot, expiry.get());
                } catch (StoreException e) {
                    log.warn("could not delete expired snapshot {}: {}", snapshot, e.getMessage());
                }
            }
        }
        return deleted;
    }

    /** The snapshot roots (directories directly under the area). */
    List<Path> roots() {
        List<Path> roots = new ArrayList<>();
        try (DirectoryStream<Path> children = Files.newDirectoryStream(root)) {
            for (Path child : children) {
                if (Files.isDirectory(child, LinkOption.NOFOLLOW_LINKS)) {
                    roots.add(child);
                }
            }
        } catch (IOException e) {
            throw StoreException.io("cannot list " + root, e);
        }
        roots.sort(null);
        return roots;
    }

    /** Deletes a snapshot root: renamed into the trash (atomic), then deleted there. */
    void delete(Path snapshotRoot) {
        Path doomed = trash.resolve(RELEASED_PREFIX + snapshotRoot.getFileName() + "." + System.nanoTime());
        try {
            Files.move(snapshotRoot, doomed, StandardCopyOption.ATOMIC_MOVE);
        } catch (NoSuchFileException e) {
            return;
        } catch (IOException e) {
            doomed = snapshotRoot;
        }
        try {
            DurableFiles.deleteTree(doomed);
        } catch (IOException e) {
            throw StoreException.io("cannot delete snapshot " + snapshotRoot, e);
        }
    }

    /** Finishes deletions a crash interrupted. */
    void emptyTrash() {
        try (Stream<Path> leftovers = Files.list(trash)) {
            leftovers.filter(p -> p.getFileName().toString().startsWith(RELEASED_PREFIX))
                    .forEach(DurableFiles::deleteQuietly);
        } catch (IOException e) {
            log.warn("cannot list {}: {}", trash, e.toString());
        }
    }

    private boolean isArea(Path dir) {
        try {
            return root.equals(dir.toRealPath());
        } catch (IOException e) {
            return false;
        }
    }

    private static Path absolute(String path) {
        if (path == null || path.isBlank()) {
            throw StoreException.invalid("no snapshot path given");
        }
        Path requested;
        try {
            requested = Path.of(path);
        } catch (InvalidPathException e) {
            throw StoreException.invalid("not a path: " + path);
        }
        if (!requested.isAbsolute()) {
            throw StoreException.invalid("snapshot path must be absolute: " + path);
        }
        return requested;
    }

    private static Path ancestor(Path path, int levels) {
        Path result = path;
        for (int i = 0; i < levels && result != null; i++) {
            result = result.getParent();
        }
        return result;
    }

    private static boolean isNumber(String text, boolean asLong) {
        try {
            if (asLong) {
                Long.parseLong(text);
            } else {
                Integer.parseInt(text);
            }
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
