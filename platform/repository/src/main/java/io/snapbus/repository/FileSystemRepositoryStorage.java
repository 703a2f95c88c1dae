package io.snapbus.repository;

import static java.nio.file.StandardOpenOption.CREATE_NEW;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A repository in a local (or mounted) directory. Writes go to a hidden {@code .<name>.<random>.part} file in the target's
 * directory, are optionally fsynced, then renamed into place, so a reader sees the whole file or none of it.
 */
final class FileSystemRepositoryStorage implements RepositoryStorage {
    private static final int TEMP_RANDOM_CHARS = 12;
    private static final int MAX_CREATED_DIRS = 10_000;
    /** Files of an upload batch this large are fsynced as soon as written (see StagedUploads.stage). */
    static final long EARLY_FSYNC_BYTES = 1L << 20;

    private static final Logger log = LoggerFactory.getLogger(FileSystemRepositoryStorage.class);

    private final Path root;
    private final URI location;
    private final boolean fsync;
    private final ChecksummingCopy copier = new ChecksummingCopy();
    /**
     * Directories this storage created: no earlier writer can have left temp files in them, so writes there skip the
     * scan for leftovers, a listing of the whole directory per file (quadratic in a tablet's files; half the Java CPU
     * of writing a small file). Bounded: when full, later writes just scan.
     */
    private final Set<Path> createdDirs = ConcurrentHashMap.newKeySet();

    FileSystemRepositoryStorage(Path root, boolean fsync) {
        this.root = root.toAbsolutePath().normalize();
        this.location = URI.create("file://" + this.root.toUri().getRawPath().replaceAll("(.)/$", "$1"));
        this.fsync = fsync;
    }

    static FileSystemRepositoryStorage open(RepositorySpec spec) {
        URI uri = spec.location();
        Path root;
        try {
            root = Path.of(uri);
        } catch (IllegalArgumentException | FileSystemNotFoundException e) {
            throw new IllegalArgumentException("a filesystem repository location must look like file:///absolute/dir, got " + uri
                    + " (" + e.getMessage() + ")", e);
        }
        return new FileSystemRepositoryStorage(root, PropertyValues.parseBoolean(RepositorySpec.FS_FSYNC, spec.property(RepositorySpec.FS_FSYNC, "true")));
    }

    @Override
    public URI location() {
        return location;
    }

    @Override
    public Map<String, Long> list(String dir) {
        Path resolved = resolveDir(dir);
        Map<String, Long> files = new TreeMap<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(resolved)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (RepositoryLayout.isPartial(name)) {
                    continue;
                }
                attributes(entry).filter(BasicFileAttributes::isRegularFile).ifPresent(a -> files.put(name, a.size()));
            }
        } catch (NoSuchFileException | NotDirectoryException e) {
            return Map.of();
        } catch (IOException e) {
            throw failure("list", dir, e);
        }
        return Collections.unmodifiableMap(files);
    }

    @Override
    public List<String> listDirs(String dir) {
        Path resolved = resolveDir(dir);
        List<String> dirs = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(resolved)) {
            for (Path entry : entries) {
                if (attributes(entry).filter(BasicFileAttributes::isDirectory).isPresent()) {
                    dirs.add(entry.getFileName().toString());
                }
            }
        } catch (NoSuchFileException | NotDirectoryException e) {
            return List.of();
        } catch (IOException e) {
            throw failure("list", dir, e);
        }
        Collections.sort(dirs);
        return List.copyOf(dirs);
    }

    @Override
    public boolean exists(String path) {
        return Files.isRegularFile(resolve(path));
    }

    @Override
    public void upload(Path localFile, String path) {
        Path target = resolveTarget(path);
        try (FileChannel in = openLocal(localFile, path)) {
            long size = in.size();
            writeAtomically(path, target, out -> {
                ChecksummingCopy.transfer(in, out, size);
                return null;
            });
        } catch (IOException e) {
            throw failure("upload " + localFile + " to", path, e);
        }
    }

    @Override
    public String uploadWithChecksum(Path localFile, String pathWithoutChecksum) {
        // The final name ends in the md5, so the base name may be anything safe (even end in .part).
        Path target = resolve(pathWithoutChecksum);
        try (FileChannel in = openLocal(localFile, pathWithoutChecksum)) {
            long size = in.size();
            return writeAtomically(pathWithoutChecksum, target, out -> Md5.hex(copier.copy(in, out, size)));
        } catch (IOException e) {
            throw failure("upload " + localFile + " to", pathWithoutChecksum, e);
        }
    }

    @Override
    public String uploadWithKnownChecksum(Path localFile, String pathWithoutChecksum, String md5) {
        upload(localFile, RepositoryLayout.withChecksum(pathWithoutChecksum, md5));
        return md5;
    }

    @Override
    public void write(String path, byte[] content) {
        Path target = resolveTarget(path);
        writeAtomically(path, target, out -> {
            ByteBuffer data = ByteBuffer.wrap(content);
            while (data.hasRemaining()) {
                out.write(data);
            }
            return null;
        });
    }

    @Override
    public byte[] read(String path) {
        try (InputStream in = open(path)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw failure("read", path, e);
        }
    }

    @Override
    public InputStream open(String path) {
        Path file = resolve(path);
        try {
            if (Files.isDirectory(file)) {
                throw RepositoryException.notFound(location, path + " (it is a directory)");
            }
            return Files.newInputStream(file);
        } catch (IOException e) {
            throw failure("read", path, e);
        }
    }

    @Override
    public void download(String path, Path localFile) {
        Path source = resolve(path);
        Path local = localFile.toAbsolutePath().normalize();
        try (FileChannel in = FileChannel.open(source, READ)) {
            long size = in.size();
            Path parent = local.getParent();
            Files.createDirectories(parent);
            Path temp = tempFor(local);
            try {
                try (FileChannel out = FileChannel.open(temp, CREATE_NEW, WRITE)) {
                    ChecksummingCopy.transfer(in, out, size);
                }
                Files.move(temp, local, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException | RuntimeException e) {
                LocalFiles.deleteQuietly(temp);
                throw e;
            }
        } catch (IOException e) {
            throw downloadFailure(path, source, local, e);
        }
    }

    @Override
    public String downloadWithChecksum(String path, Path localFile) {
        Path source = resolve(path);
        Path local = localFile.toAbsolutePath().normalize();
        try (FileChannel in = FileChannel.open(source, READ)) {
            long size = in.size();
            FileChannel out = LocalFiles.createNew(local);
            try (out) {
                return Md5.hex(copier.copyOnThisThread(in, out, size));
            } catch (IOException | RuntimeException | Error e) {
                LocalFiles.deleteQuietly(local);
                throw e;
            }
        } catch (IOException e) {
            throw downloadFailure(path, source, local, e);
        }
    }

    /** NOT_FOUND when the repository has no file at {@code path} (absent, or a directory), IO otherwise. */
    private RepositoryException downloadFailure(String path, Path source, Path local, IOException e) {
        if (!Files.exists(source)) {
            return RepositoryException.notFound(location, path);
        }
        if (Files.isDirectory(source)) {
            return RepositoryException.notFound(location, path + " (it is a directory)");
        }
        return new RepositoryException(RepositoryException.Kind.IO, "cannot download " + path + " from repository " + location
                + " to " + local + ": " + reason(e), e);
    }

    @Override
    public boolean copyWithin(String from, String to) {
        Path source = resolve(from);
        Path target = resolveTarget(to);
        if (!Files.isRegularFile(source, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        Path dir = target.getParent();
        Path temp = tempFor(target);
        try {
            Files.createDirectories(dir);
            try {
                Files.createLink(temp, source);
            } catch (NoSuchFileException gone) {
                return false;
            } catch (FileSystemException | UnsupportedOperationException cannotLink) {
                // Another device, or a filesystem without hard links: the bytes are copied instead.
                Files.copy(source, temp);
                if (fsync) {
                    try (FileChannel copied = FileChannel.open(temp, WRITE)) {
                        copied.force(true);
                    }
                }
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            if (fsync) {
                fsyncDirectory(dir);
            }
            return true;
        } catch (NoSuchFileException gone) {
            return false; // the source went between the check and the copy
        } catch (IOException e) {
            throw failure("write", to, e);
        } finally {
            LocalFiles.deleteQuietly(temp);
        }
    }

    @Override
    public void delete(String path) {
        Path file = resolve(path);
        if (Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS)) {
            return; // no file there, as on S3 where a "directory" is only a key prefix
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw failure("delete", path, e);
        }
    }

    @Override
    public void deleteRecursively(String dir) {
        Path resolved = resolve(dir);
        if (!Files.exists(resolved, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try {
            // walkFileTree does not follow symbolic links: a link is removed, never what it points to.
            Files.walkFileTree(resolved, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                    if (e != null) {
                        throw e;
                    }
                    Files.deleteIfExists(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (NoSuchFileException e) {
            // removed concurrently: the goal is reached
        } catch (IOException e) {
            throw failure("delete", dir, e);
        }
    }

    @Override
    public void close() {
        copier.close();
    }

    @Override
    public String toString() {
        return "FileSystemRepositoryStorage[" + location + (fsync ? "" : ", no fsync") + "]";
    }

    /** Writes into a temp file next to {@code target}, then renames it to {@code target} (plus ".<suffix>" if the body returns one). */
    private String writeAtomically(String path, Path target, TempWriter body) {
        Staged staged = writeTemp(path, target, body, fsync);
        publish(staged);
        if (fsync) {
            fsyncDirectory(staged.target().getParent());
        }
        return staged.suffix();
    }

    /** A file written to its temp name (fsynced already or not), and the name it gets when published. */
    private record Staged(String path, Path target, Path temp, Path finalName, String suffix, boolean synced) {}

    /** Writes the content into a new temp file next to {@code target} (fsynced if asked); nothing has its final name. */
    private Staged writeTemp(String path, Path target, TempWriter body, boolean fsyncFile) {
        ensureDirectory(target.getParent());
        return writeTempIn(path, target, body, fsyncFile);
    }

    /** Creates {@code dir} (and its parents) unless it exists, remembering it as created by this storage. */
    private void ensureDirectory(Path dir) {
        if (!Files.isDirectory(dir)) {
            try {
                Files.createDirectories(dir);
            } catch (IOException e) {
                throw RepositoryException.notWritable(location, firstUncreatable(dir), reason(e), e);
            }
            if (createdDirs.size() < MAX_CREATED_DIRS) {
                createdDirs.add(dir);
            }
        }
    }

    /** As {@link #writeTemp}, in a directory known to exist. */
    private Staged writeTempIn(String path, Path target, TempWriter body, boolean fsyncFile) {
        Path dir = target.getParent();
        Path temp = tempFor(target);
        FileChannel out;
        try {
            out = FileChannel.open(temp, CREATE_NEW, WRITE);
        } catch (IOException e) {
            throw RepositoryException.notWritable(location, dir, reason(e), e);
        }
        try {
            String suffix;
            try (out) {
                suffix = body.writeTo(out);
                if (fsyncFile) {
                    out.force(true);
                }
            }
            Path finalName = suffix == null ? target : target.resolveSibling(target.getFileName() + "." + suffix);
            return new Staged(path, target, temp, finalName, suffix, fsyncFile);
        } catch (IOException e) {
            LocalFiles.deleteQuietly(temp);
            throw failure("write", path, e);
        } catch (RuntimeException | Error e) {
            LocalFiles.deleteQuietly(temp);
            throw e;
        }
    }

    /** Renames a staged file into place (the directory's fsync is the caller's) and clears a killed writer's temps. */
    private void publish(Staged staged) {
        rename(staged);
        if (!createdDirs.contains(staged.target().getParent())) {
            removeLeftoverTemps(staged.target());
        }
    }

    private void rename(Staged staged) {
        try {
            Files.move(staged.temp(), staged.finalName(), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            LocalFiles.deleteQuietly(staged.temp());
            throw failure("write", staged.path(), e);
        }
    }

    @Override
    public UploadBatch uploadBatch(boolean flushFileSystem) {
        return new StagedUploads(fsync && flushFileSystem && FileSystemFlush.available());
    }

    /**
     * Uploads written to temp names without an fsync each; a commit makes them durable together (one syncfs(2), or an
     * fsync of each), renames them, then makes the renames durable (one more syncfs, or an fsync of each directory
     * once). A final name thus only ever names bytes already on the disk, as with {@link #writeAtomically}, for two
     * flushes per commit instead of two fsyncs per file.
     */
    private final class StagedUploads implements UploadBatch {
        private final boolean flushFileSystem;
        private final List<Staged> staged = new ArrayList<>();
        /** Directories this batch saw exist: each is looked at once, not once per file. */
        private final Set<Path> knownDirs = ConcurrentHashMap.newKeySet();
        private boolean closed;

        StagedUploads(boolean flushFileSystem) {
            this.flushFileSystem = flushFileSystem;
        }

        @Override
        public String uploadWithChecksum(Path localFile, String pathWithoutChecksum) {
            Path target = resolve(pathWithoutChecksum);
            try (FileChannel in = openExistingLocal(localFile, pathWithoutChecksum)) {
                long size = in.size();
                return add(stage(pathWithoutChecksum, target, size, out -> Md5.hex(copier.copy(in, out, size))))
                        .suffix();
            } catch (IOException e) {
                throw failure("upload " + localFile + " to", pathWithoutChecksum, e);
            }
        }

        @Override
        public String uploadWithKnownChecksum(Path localFile, String pathWithoutChecksum, String md5) {
            String path = RepositoryLayout.withChecksum(pathWithoutChecksum, md5);
            Path target = resolveTarget(path);
            try (FileChannel in = openExistingLocal(localFile, path)) {
                long size = in.size();
                add(stage(path, target, size, out -> {
                    ChecksummingCopy.transfer(in, out, size);
                    return null;
                }));
                return md5;
            } catch (IOException e) {
                throw failure("upload " + localFile + " to", path, e);
            }
        }

        /**
         * A file of 1 MiB or more ({@code EARLY_FSYNC_BYTES}) is fsynced right after it is written, on its writer's
         * thread: its write-back then overlaps the other files' copies instead of all waiting for the commit's flush
         * (measured: large files with a flush at the commit only took 15-25 % longer than an fsync each).
         */
        private Staged stage(String path, Path target, long size, TempWriter body) {
            Path dir = target.getParent();
            if (!knownDirs.contains(dir)) {
                ensureDirectory(dir);
                knownDirs.add(dir);
            }
            return writeTempIn(path, target, body, fsync && size >= EARLY_FSYNC_BYTES);
        }

        private synchronized Staged add(Staged file) {
            if (closed) {
                LocalFiles.deleteQuietly(file.temp());
                throw new IllegalStateException("the upload batch is closed");
            }
            staged.add(file);
            return file;
        }

        private synchronized List<Staged> takeStaged() {
            List<Staged> group = List.copyOf(staged);
            staged.clear();
            return group;
        }

        @Override
        public void commit() {
            List<Staged> group = takeStaged();
            if (group.isEmpty()) {
                return;
            }
            try {
                List<Path> unsynced = group.stream().filter(f -> !f.synced()).map(Staged::temp).toList();
                if (fsync && !unsynced.isEmpty()) {
                    makeDurable(unsynced);
                }
                group.forEach(FileSystemRepositoryStorage.this::rename);
            } catch (RuntimeException e) {
                group.forEach(f -> LocalFiles.deleteQuietly(f.temp())); // a published file's temp name is gone
                throw e;
            }
            if (fsync) {
                makeDurable(group.stream().map(f -> f.target().getParent()).distinct().toList());
            }
            removeLeftovers(group);
        }

        /** A killed writer's temp files of the group's targets, one listing per directory this storage did not create. */
        private void removeLeftovers(List<Staged> group) {
            Map<Path, Set<String>> targetsByDir = new TreeMap<>();
            for (Staged file : group) {
                Path dir = file.target().getParent();
                if (!createdDirs.contains(dir)) {
                    targetsByDir.computeIfAbsent(dir, d -> new java.util.HashSet<>())
                            .add(file.target().getFileName().toString());
                }
            }
            targetsByDir.forEach(FileSystemRepositoryStorage::removeLeftoverTemps);
        }

        /** The files' (or directories') data and metadata on the disk: one syncfs, or an fsync of each. */
        private void makeDurable(List<Path> paths) {
            try {
                if (flushFileSystem) {
                    FileSystemFlush.flush(root);
                    return;
                }
                for (Path path : paths) {
                    try (FileChannel channel = FileChannel.open(path, READ)) {
                        channel.force(true);
                    }
                }
            } catch (IOException e) {
                throw new RepositoryException(RepositoryException.Kind.IO, "cannot make uploaded files durable in"
                        + " repository " + location + ": " + reason(e), e);
            }
        }

        @Override
        public void close() {
            List<Staged> left;
            synchronized (this) {
                closed = true;
                left = takeStaged();
            }
            left.forEach(f -> LocalFiles.deleteQuietly(f.temp()));
        }
    }

    @FunctionalInterface
    private interface TempWriter {
        /** Writes the content; returns the checksum suffix of the final name, or null to keep the name. */
        String writeTo(FileChannel out) throws IOException;
    }

    /**
     * The local file opened for reading without looking at it first (a look would walk its whole path once more);
     * the same failures as {@link #openLocal}.
     */
    private FileChannel openExistingLocal(Path localFile, String path) {
        try {
            return FileChannel.open(localFile, READ);
        } catch (IOException e) {
            return openLocal(localFile, path); // says why: missing, not a regular file, or not readable
        }
    }

    private FileChannel openLocal(Path localFile, String path) {
        if (!Files.isRegularFile(localFile)) {
            throw new RepositoryException(RepositoryException.Kind.IO, "cannot upload " + localFile + " to " + path + " in repository "
                    + location + ": " + (Files.exists(localFile) ? "it is not a regular file" : "the local file does not exist"));
        }
        try {
            return FileChannel.open(localFile, READ);
        } catch (IOException e) {
            throw new RepositoryException(RepositoryException.Kind.IO, "cannot upload " + localFile + " to " + path + " in repository "
                    + location + ": cannot read the local file (" + reason(e) + ")", e);
        }
    }

    /** Rename durability: the directory entry must reach the disk too, or a crash may forget the new name. */
    private static void fsyncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, READ)) {
            channel.force(true);
        } catch (IOException e) {
            log.debug("cannot fsync directory {} (some filesystems do not support it): {}", dir, e.toString());
        }
    }

    /**
     * Temp files an earlier writer of the same target left when it was killed mid-copy: once the target is written
     * they can only be garbage. Only names of our own temp pattern are touched.
     */
    private static void removeLeftoverTemps(Path target) {
        removeLeftoverTemps(target.getParent(), Set.of(target.getFileName().toString()));
    }

    /** The temp files in {@code dir} of any of {@code targets} (names in that dir), with one listing of it. */
    private static void removeLeftoverTemps(Path dir, Set<String> targets) {
        try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(dir,
                entry -> targetOfTemp(entry.getFileName().toString()).filter(targets::contains).isPresent())) {
            for (Path leftover : leftovers) {
                LocalFiles.deleteQuietly(leftover);
            }
        } catch (IOException e) {
            log.debug("cannot look for leftover temp files in {}: {}", dir, e.toString());
        }
    }

    /** The target name of a temp file named {@code .<target>.<12 hex digits>.part}; empty for any other name. */
    private static Optional<String> targetOfTemp(String name) {
        int randomStart = name.length() - RepositoryLayout.SUFFIX_PARTIAL.length() - TEMP_RANDOM_CHARS;
        if (!name.startsWith(".") || !name.endsWith(RepositoryLayout.SUFFIX_PARTIAL) || randomStart < 3
                || name.charAt(randomStart - 1) != '.') {
            return Optional.empty();
        }
        String random = name.substring(randomStart, randomStart + TEMP_RANDOM_CHARS);
        if (!random.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            return Optional.empty();
        }
        return Optional.of(name.substring(1, randomStart - 1));
    }

    private static Path tempFor(Path target) {
        String random = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong())
                .substring(0, TEMP_RANDOM_CHARS);
        return target.resolveSibling("." + target.getFileName() + "." + random + RepositoryLayout.SUFFIX_PARTIAL);
    }

    private static Optional<BasicFileAttributes> attributes(Path entry) throws IOException {
        try {
            return Optional.of(Files.readAttributes(entry, BasicFileAttributes.class));
        } catch (NoSuchFileException e) {
            return Optional.empty(); // removed while we listed, or a dangling link
        }
    }

    /** The top-most directory that does not exist yet (or the file in its way), to point the operator at the culprit. */
    private static Path firstUncreatable(Path dir) {
        Path candidate = dir;
        for (Path p = dir; p != null && !Files.isDirectory(p); p = p.getParent()) {
            candidate = p;
        }
        return candidate;
    }

    private Path resolveDir(String dir) {
        return "".equals(dir) ? root : resolve(dir);
    }

    /** Resolves a checked relative path and double-checks that it stays under the root. */
    private Path resolve(String path) {
        try {
            RepositoryLayout.requireSafeRelativePath(path);
        } catch (IllegalArgumentException e) {
            throw RepositoryException.invalidPath(location, path, e);
        }
        Path resolved = root.resolve(path).normalize();
        if (!resolved.startsWith(root) || resolved.equals(root)) {
            throw RepositoryException.invalidPath(location, path, new IllegalArgumentException("it resolves to " + resolved
                    + ", which is not under " + root));
        }
        return resolved;
    }

    private Path resolveTarget(String path) {
        Path resolved = resolve(path);
        if (RepositoryLayout.isPartial(resolved.getFileName().toString())) {
            throw RepositoryException.invalidPath(location, path, new IllegalArgumentException("names ending in "
                    + RepositoryLayout.SUFFIX_PARTIAL + " are reserved for partial files"));
        }
        return resolved;
    }

    private RepositoryException failure(String action, String path, IOException e) {
        boolean reading = action.equals("read") || action.equals("list");
        if (reading && e instanceof NoSuchFileException) {
            return RepositoryException.notFound(location, path);
        }
        if (e instanceof AccessDeniedException || isReadOnly(e)) {
            return reading
                    ? new RepositoryException(RepositoryException.Kind.ACCESS_DENIED, "repository " + location + " denies reading "
                            + path + " (" + reason(e) + "); fix the permissions of the repository directory", e)
                    : RepositoryException.notWritable(location, root.resolve(path), reason(e), e);
        }
        return new RepositoryException(RepositoryException.Kind.IO, "cannot " + action + " " + path + " in repository " + location
                + ": " + reason(e), e);
    }

    private static boolean isReadOnly(IOException e) {
        return e instanceof FileSystemException f && f.getReason() != null && f.getReason().contains("Read-only file system");
    }

    static String reason(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "Permission denied";
        }
        if (e instanceof FileAlreadyExistsException f) {
            return "a file is in the way where a directory is needed: " + f.getFile();
        }
        if (e instanceof NoSuchFileException f) {
            return "no such file or directory: " + f.getFile();
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason() + (f.getFile() == null ? "" : ": " + f.getFile());
        }
        return e.getMessage() != null ? e.getMessage() : e.toString();
    }
}
