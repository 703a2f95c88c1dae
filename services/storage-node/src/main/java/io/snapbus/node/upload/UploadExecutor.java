package io.snapbus.node.upload;

import io.snapbus.tabletformat.RowsetFile;
import io.snapbus.node.tablet.StoreException;
import io.snapbus.node.tablet.TabletStore;
import io.snapbus.repository.ChecksummedName;
import io.snapbus.repository.Md5;
import io.snapbus.repository.RepositoryLayout;
import io.snapbus.repository.RepositorySpec;
import io.snapbus.repository.RepositoryStorage;
import io.snapbus.repository.RepositoryStorages;
import io.snapbus.thrift.TStatusCode;
import io.snapbus.thrift.TUploadReq;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * UPLOAD: copies snapshot tablet dirs into a repository as {@code <file>.<md5>}, several files at once. A file the
 * repository already holds with the same md5 is skipped, so a re-sent task resumes instead of starting over. Reports
 * progress every few files and stops when the answer says the job was cancelled.
 *
 * <p>Durability is owed at the finish report, not per file: the files go through one
 * {@link RepositoryStorage.UploadBatch} per task, written to temp names without an fsync each, and made durable and
 * renamed into place together when the task's files are all written (and every second and every
 * {@value #COMMIT_BYTES} bytes before that, so a long task killed half-way keeps what it committed). On a filesystem repository that is one
 * syncfs(2) before the renames and one after ({@code upload_sync_file_system}), where each file used to cost an fsync
 * of its own and one of its directory. A final name never names bytes not yet on the disk; a crash before the commit
 * leaves temp names only, and the re-sent task uploads those files again.
 */
public final class UploadExecutor {
    private static final Logger log = LoggerFactory.getLogger(UploadExecutor.class);

    /** What an upload did. */
    public record Outcome(Map<Long, List<String>> tabletFiles, Map<Long, Long> tabletBytes, long bytesUploaded,
            int filesUploaded, int filesSkipped, long millis) {}

    /**
     * One local file bound for one remote dir. {@code recorded} is what the snapshot header says of the file (null
     * when it does not list it); {@code remoteMd5} is the md5 of a same-named file already in the repository, if any.
     */
    private record FileCopy(long tabletId, Path local, long size, String remoteDir, RowsetFile recorded,
                            String remoteMd5) {}

    private final TabletStore store;
    private final CredentialResolver credentials;
    private final UploadProgress progress;
    private final BandwidthLimiter limiter;
    private final int fileParallelism;
    private final int progressEvery;
    private final boolean verifyChecksums;
    private final boolean syncFileSystem;
    /** Bytes staged between two commits of a task, at most (about): a bound on what a killed task uploads again. */
    static final long COMMIT_BYTES = 256L << 20;
    /**
     * Time between two commits of a task, at most (about, checked after each file): a task killed after running for
     * minutes (a slow link, a bandwidth cap) uploads again only its last second's files. A commit costs two flushes.
     */
    static final Duration COMMIT_INTERVAL = Duration.ofSeconds(1);

    /**
     * @param verifyChecksums hash every file while uploading (as Doris does) instead of trusting the md5 recorded
     *                        when the rowset was written; costs a CPU-bound pass over the data (~650 MB/s per core)
     * @param syncFileSystem  make a filesystem repository's files durable with syncfs(2) of its filesystem (Linux)
     *                        rather than an fsync of each file and directory
     */
    public UploadExecutor(TabletStore store, CredentialResolver credentials, UploadProgress progress,
            BandwidthLimiter limiter, int fileParallelism, int progressEvery, boolean verifyChecksums,
            boolean syncFileSystem) {
        this.store = store;
        this.credentials = credentials;
        this.progress = progress;
        this.limiter = limiter;
        this.fileParallelism = fileParallelism;
        this.progressEvery = progressEvery;
        this.verifyChecksums = verifyChecksums;
        this.syncFileSystem = syncFileSystem;
    }

    public Outcome upload(long signature, TUploadReq request) throws InterruptedException {
        long started = System.nanoTime();
        if (!request.isSetLocation() || request.getLocation().isBlank()) {
            throw new IllegalArgumentException("upload_req.location (the repository location) is missing");
        }
        URI location = URI.create(request.getLocation());
        RepositorySpec spec = RepositorySpec.fromDorisProperties(request.getLocation(),
                credentials.resolve(request.getBroker_prop()));
        Map<Path, String> plan = new TreeMap<>();
        for (Map.Entry<String, String> entry : request.getSrc_dest_map().entrySet()) {
            plan.put(store.requireSnapshotTabletDir(entry.getKey()), relativeTo(location, entry.getValue()));
        }
        try (RepositoryStorage storage = RepositoryStorages.open(spec)) {
            ExecutorService workers = Executors.newFixedThreadPool(Math.max(1, fileParallelism), r -> {
                Thread t = new Thread(r, "upload-" + signature);
                t.setDaemon(true);
                return t;
            });
            try (RepositoryStorage.UploadBatch batch = storage.uploadBatch(syncFileSystem)) {
                Map<Long, List<String>> tabletFiles = new ConcurrentHashMap<>();
                List<FileCopy> copies = planAll(storage, plan, tabletFiles, workers);
                Outcome outcome = copyAll(request.getJob_id(), signature, new Destination(storage, batch), copies,
                        tabletFiles, started, workers);
                log.info("upload {} of job {}: {} files uploaded ({} MB), {} already there, in {} ms", signature,
                        request.getJob_id(), outcome.filesUploaded(), outcome.bytesUploaded() / 1_000_000,
                        outcome.filesSkipped(), outcome.millis());
                return outcome;
            } finally {
                workers.shutdownNow();
            }
        }
    }

    /**
     * The files to copy, tablet by tablet. The tablets' remote listings (one LIST round trip each on S3) and
     * snapshot headers are read on the workers, several at once: with small files, listing them one after the other
     * while the workers waited was a large part of a task's time.
     */
    private List<FileCopy> planAll(RepositoryStorage storage, Map<Path, String> plan,
            Map<Long, List<String>> tabletFiles, ExecutorService workers) throws InterruptedException {
        List<Future<List<FileCopy>>> planned = new ArrayList<>();
        for (Map.Entry<Path, String> entry : plan.entrySet()) {
            long tabletId = tabletIdOf(entry.getKey());
            tabletFiles.put(tabletId, Collections.synchronizedList(new ArrayList<>()));
            planned.add(workers.submit(() -> planTablet(storage, tabletId, entry.getKey(), entry.getValue())));
        }
        List<FileCopy> copies = new ArrayList<>();
        Throwable failure = null;
        for (Future<List<FileCopy>> tablet : planned) {
            try {
                copies.addAll(tablet.get());
            } catch (ExecutionException e) {
                if (failure == null) {
                    failure = e.getCause();
                }
            }
        }
        rethrow(failure);
        return copies;
    }

    private List<FileCopy> planTablet(RepositoryStorage storage, long tabletId, Path localDir, String remoteDir) {
        Map<String, String> remote = remoteChecksums(storage.list(remoteDir).keySet());
        Map<String, RowsetFile> recorded = verifyChecksums ? Map.of() : store.recordedFiles(localDir);
        List<FileCopy> copies = new ArrayList<>();
        for (Map.Entry<Path, Long> local : localFiles(localDir).entrySet()) {
            String name = local.getKey().getFileName().toString();
            copies.add(new FileCopy(tabletId, local.getKey(), local.getValue(), remoteDir, recorded.get(name),
                    remote.get(name)));
        }
        return copies;
    }

    /**
     * Where a task's files go: the batch they are written through, its commits along the way, and the stale
     * copies under an older md5 to delete once the new ones are committed.
     */
    private record Destination(RepositoryStorage storage, RepositoryStorage.UploadBatch batch, AtomicLong sinceCommit,
                               AtomicLong lastCommit, AtomicBoolean committing, List<String> staleCopies) {
        Destination(RepositoryStorage storage, RepositoryStorage.UploadBatch batch) {
            this(storage, batch, new AtomicLong(), new AtomicLong(System.nanoTime()), new AtomicBoolean(),
                    Collections.synchronizedList(new ArrayList<>()));
        }

        /** After each file: a commit once {@link #COMMIT_BYTES} are staged or {@link #COMMIT_INTERVAL} has passed. */
        void written(long size) {
            long staged = sinceCommit.addAndGet(size);
            long now = System.nanoTime();
            boolean due = staged >= COMMIT_BYTES || now - lastCommit.get() >= COMMIT_INTERVAL.toNanos();
            if (due && committing.compareAndSet(false, true)) {
                try {
                    sinceCommit.set(0);
                    lastCommit.set(now);
                    batch.commit();
                } finally {
                    committing.set(false);
                }
            }
        }

        void commitAll() {
            batch.commit();
            List<String> stale;
            synchronized (staleCopies) {
                stale = List.copyOf(staleCopies);
            }
            stale.forEach(storage::delete);
        }
    }

    private Outcome copyAll(long jobId, long signature, Destination destination, List<FileCopy> copies,
            Map<Long, List<String>> tabletFiles, long started, ExecutorService workers) throws InterruptedException {
        int total = copies.size();
        AtomicInteger uploaded = new AtomicInteger();
        AtomicLong bytes = new AtomicLong();
        Map<Long, AtomicLong> tabletBytes = new ConcurrentHashMap<>();
        BackgroundProgress reports = new BackgroundProgress(progress::report, jobId, signature, total, progressEvery,
                "upload-progress");
        AtomicBoolean cancelled = reports.cancelled();
        try {
            reports.start();
            List<Future<?>> futures = new ArrayList<>();
            for (FileCopy copy : copies) {
                futures.add(workers.submit(() -> {
                    if (cancelled.get()) {
                        return null;
                    }
                    String stored = copyOne(destination, copy, uploaded, bytes);
                    tabletFiles.get(copy.tabletId()).add(stored);
                    tabletBytes.computeIfAbsent(copy.tabletId(), t -> new AtomicLong()).addAndGet(copy.size());
                    reports.fileDone();
                    return null;
                }));
            }
            awaitAll(futures, cancelled);
            if (cancelled.get()) {
                throw new UploadCancelledException(jobId, signature);
            }
            destination.commitAll();
            reports.finish();
        } finally {
            reports.close();
        }
        Map<Long, List<String>> sorted = new HashMap<>();
        tabletFiles.forEach((tablet, files) -> sorted.put(tablet, files.stream().sorted().toList()));
        Map<Long, Long> sizes = new HashMap<>();
        tabletFiles.keySet().forEach(tablet -> sizes.put(tablet,
                Optional.ofNullable(tabletBytes.get(tablet)).map(AtomicLong::get).orElse(0L)));
        return new Outcome(sorted, sizes, bytes.get(), uploaded.get(), total - uploaded.get(),
                (System.nanoTime() - started) / 1_000_000);
    }

    /** Copies a file unless the repository holds it with the same md5; returns its stored name. */
    private String copyOne(Destination destination, FileCopy copy, AtomicInteger uploaded, AtomicLong bytes)
            throws IOException, InterruptedException {
        String name = copy.local().getFileName().toString();
        long size = copy.size();
        // A recorded md5 is trusted only for the file it was recorded for (same size): rowset files never change.
        String known = copy.recorded() != null && copy.recorded().size() == size ? copy.recorded().md5() : null;
        if (copy.remoteMd5() != null
                && copy.remoteMd5().equals(known != null ? known : Md5.of(copy.local()))) {
            return RepositoryLayout.withChecksum(name, copy.remoteMd5());
        }
        limiter.acquire(size);
        String remotePath = copy.remoteDir() + "/" + name;
        RepositoryStorage.UploadBatch batch = destination.batch();
        String md5 = known != null ? batch.uploadWithKnownChecksum(copy.local(), remotePath, known)
                : batch.uploadWithChecksum(copy.local(), remotePath);
        if (copy.remoteMd5() != null && !copy.remoteMd5().equals(md5)) {
            // A stale copy under the old checksum would make the tablet dir list the file twice.
            destination.staleCopies().add(copy.remoteDir() + "/" + RepositoryLayout.withChecksum(name, copy.remoteMd5()));
        }
        destination.written(size);
        uploaded.incrementAndGet();
        bytes.addAndGet(size);
        return RepositoryLayout.withChecksum(name, md5);
    }

    private static void awaitAll(List<Future<?>> futures, AtomicBoolean cancelled) throws InterruptedException {
        Throwable failure = null;
        for (Future<?> future : futures) {
            try {
                future.get();
            } catch (ExecutionException e) {
                if (failure == null) {
                    failure = e.getCause();
                    cancelled.set(true); // stop starting new files; the first failure decides the status
                }
            }
        }
        rethrow(failure);
    }

    /** Throws a worker's failure as it was thrown (checked ones wrapped), so the task's status reflects it. */
    private static void rethrow(Throwable failure) {
        if (failure instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (failure instanceof IOException io) {
            throw new UncheckedIOException(io.getMessage(), io);
        }
        if (failure != null) {
            throw new IllegalStateException(failure.getMessage(), failure);
        }
    }

    /** Base name to md5 of the remote files that carry a valid checksum suffix. */
    private static Map<String, String> remoteChecksums(Iterable<String> names) {
        Map<String, String> checksums = new HashMap<>();
        for (String name : names) {
            RepositoryLayout.parseChecksummed(name).ifPresent((ChecksummedName c) -> checksums.put(c.name(), c.md5()));
        }
        return checksums;
    }

    /**
     * The regular files of a snapshot dir and their sizes, from one stat each: the copy needs no other look at the
     * local file before opening it (each path-based call walks the whole path again).
     */
    private static Map<Path, Long> localFiles(Path dir) {
        Map<Path, Long> files = new TreeMap<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                BasicFileAttributes attributes = Files.readAttributes(entry, BasicFileAttributes.class);
                if (attributes.isRegularFile()) {
                    files.put(entry, attributes.size());
                }
            }
        } catch (IOException e) {
            throw new StoreException(TStatusCode.IO_ERROR, "cannot list snapshot dir " + dir + ": " + e.getMessage());
        }
        return files;
    }

    /** {@code <snapshot root>/<tabletId>/<schemaHash>}: the tablet id is the parent dir's name. */
    private static long tabletIdOf(Path snapshotTabletDir) {
        String name = snapshotTabletDir.getParent().getFileName().toString();
        try {
            return Long.parseLong(name);
        } catch (NumberFormatException e) {
            throw new StoreException(TStatusCode.INVALID_ARGUMENT, "snapshot dir " + snapshotTabletDir
                    + " does not end in <tablet id>/<schema hash>");
        }
    }

    /** The destination as a path inside the repository location, refusing anything outside it. */
    static String relativeTo(URI location, String destination) {
        return RepositoryPaths.inside(location, destination, "upload destination");
    }
}
