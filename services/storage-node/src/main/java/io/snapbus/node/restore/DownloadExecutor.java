package io.snapbus.node.restore;

import io.snapbus.node.tablet.SnapshotPathLock;
import io.snapbus.node.tablet.StoreException;
import io.snapbus.node.tablet.TabletStore;
import io.snapbus.node.upload.BackgroundProgress;
import io.snapbus.node.upload.BandwidthLimiter;
import io.snapbus.node.upload.CredentialResolver;
import io.snapbus.node.upload.RepositoryPaths;
import io.snapbus.repository.FileSystemFlush;
import io.snapbus.repository.Md5;
import io.snapbus.repository.RepositorySpec;
import io.snapbus.repository.RepositoryStorage;
import io.snapbus.repository.RepositoryStorages;
import io.snapbus.thrift.TDownloadReq;
import io.snapbus.thrift.TStatusCode;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DOWNLOAD (restore), as Doris's {@code SnapshotLoader::download}: fills the restore snapshot dirs of local tablets
 * from repository tablet dirs, under each dir's snapshot path lock, the files of all the task's tablets
 * {@code fileParallelism} at a time. A file is fetched to a new temporary name (never an existing file), hashed while
 * it is copied ({@link RepositoryStorage#downloadWithChecksum}: one read of the repository file, no read-back), its
 * md5 checked against its repository name and only then renamed into place, so a file another tablet hard-links is
 * never written over and no file of the wrong content ever carries a final name; the header becomes
 * {@code <localTabletId>.hdr}; files the repository does not list are deleted. A file whose local copy already has
 * the repository's md5 is not fetched (the header always is). Before each file the disk's capacity is checked and
 * the bandwidth limit waited for; every {@code progressEvery} files progress is reported, and a report the agent
 * refuses cancels the download. The tablets of a task count as downloaded once all the files the task fetched and
 * their renames are durable: by one syncfs(2) of their filesystem (download_sync_file_system, Linux), else by an fsync
 * of each file and then each dir; together, after the renames, rather than one by one before each rename, so one
 * journal commit covers many files (the locks are held until then). A crash before that can leave a file that reads back
 * short under its final name; a repeated DOWNLOAD fetches it again (its local md5 differs), and MOVE only follows a
 * successful DOWNLOAD. Works on any repository the upload path reaches (filesystem, S3), with the same
 * credentials.
 */
public final class DownloadExecutor {
    private static final Logger log = LoggerFactory.getLogger(DownloadExecutor.class);
    /** Read size of the md5 check of a file already there: large enough to make reads cheap, reused by each worker. */
    private static final int HASH_BUFFER_BYTES = 1 << 20;
    private static final ThreadLocal<ByteBuffer> HASH_BUFFER = ThreadLocal.withInitial(
            () -> ByteBuffer.allocateDirect(HASH_BUFFER_BYTES));

    /** What a download did. */
    public record Outcome(long bytesDownloaded, int filesDownloaded, int filesSkipped, int staleDeleted, long millis) {}

    /** One (repository dir, snapshot dir) pair, checked and listed. */
    private record TabletDownload(String remoteUri, String remoteDir, Path localDir, long localTabletId,
                                  long remoteTabletId, List<DownloadDecisions.RemoteFile> files) {}

    private final TabletStore store;
    private final CredentialResolver credentials;
    private final DownloadProgress progress;
    private final BandwidthLimiter limiter;
    private final CapacityGuard capacity;
    private final int progressEvery;
    private final int fileParallelism;
    /** One syncfs(2) per filesystem makes a download durable, rather than an fsync per file and dir. */
    private final boolean flushFileSystem;

    public DownloadExecutor(TabletStore store, CredentialResolver credentials, DownloadProgress progress,
            BandwidthLimiter limiter, CapacityGuard capacity, int progressEvery, int fileParallelism,
            boolean syncFileSystem) {
        this.store = store;
        this.credentials = credentials;
        this.progress = progress;
        this.limiter = limiter;
        this.capacity = capacity;
        this.progressEvery = progressEvery;
        this.fileParallelism = fileParallelism;
        this.flushFileSystem = syncFileSystem && FileSystemFlush.available();
    }

    /**
     * Downloads every pair of {@code request.src_dest_map}; {@code downloadedTabletIds} receives each local tablet id
     * once its dir is complete and durable, so a failure leaves the tablets done so far in it.
     */
    public Outcome download(long signature, TDownloadReq request, List<Long> downloadedTabletIds)
            throws InterruptedException {
        long started = System.nanoTime();
        if (request.isSetRemote_tablet_snapshots() && !request.getRemote_tablet_snapshots().isEmpty()) {
            throw new StoreException(TStatusCode.NOT_IMPLEMENTED_ERROR,
                    "download from another node's snapshot (remote_tablet_snapshots) is not supported");
        }
        if (!request.isSetLocation() || request.getLocation().isBlank()) {
            throw new IllegalArgumentException("download_req.location (the repository location) is missing");
        }
        Map<String, String> pairs = new TreeMap<>(request.getSrc_dest_map());
        pairs.values().forEach(DownloadExecutor::requireDirectory);
        URI location = URI.create(request.getLocation());
        RepositorySpec spec = RepositorySpec.fromDorisProperties(request.getLocation(),
                credentials.resolve(request.getBroker_prop()));
        ExecutorService workers = Executors.newFixedThreadPool(fileParallelism, r -> {
            Thread t = new Thread(r, "download-" + signature);
            t.setDaemon(true);
            return t;
        });
        try (RepositoryStorage storage = RepositoryStorages.open(spec)) {
            List<TabletDownload> tablets = new ArrayList<>();
            for (Map.Entry<String, String> pair : pairs.entrySet()) {
                tablets.add(plan(storage, location, pair.getKey(), pair.getValue()));
            }
            int total = tablets.stream().mapToInt(t -> t.files().size()).sum();
            Counter counter = new Counter(request.getJob_id(), signature, total);
            try {
                counter.reportStart();
                downloadAll(storage, tablets, counter, workers, downloadedTabletIds);
            } finally {
                counter.close();
            }
            Outcome outcome = counter.outcome((System.nanoTime() - started) / 1_000_000);
            log.info("download {} of job {}: {} tablets, {} files fetched ({} bytes), {} already there, {} stale"
                    + " deleted, in {} ms", signature, request.getJob_id(), tablets.size(), outcome.filesDownloaded(),
                    outcome.bytesDownloaded(), outcome.filesSkipped(), outcome.staleDeleted(), outcome.millis());
            return outcome;
        } finally {
            workers.shutdownNow();
        }
    }

    private static void requireDirectory(String localDir) {
        if (localDir == null || localDir.isBlank() || !Files.isDirectory(Path.of(localDir))) {
            throw new StoreException(TStatusCode.INTERNAL_ERROR,
                    "snapshot path is not directory or does not exist: " + localDir);
        }
    }

    private TabletDownload plan(RepositoryStorage storage, URI location, String remoteUri, String localPath) {
        Path localDir = store.requireSnapshotTabletDir(localPath);
        long remoteTabletId = TabletFileNames.remoteTabletId(remoteUri);
        long localTabletId = Long.parseLong(localDir.getParent().getFileName().toString());
        if (store.get(localTabletId).isEmpty()) {
            throw new StoreException(TStatusCode.INTERNAL_ERROR, "failed to get local tablet: " + localTabletId);
        }
        String remoteDir = RepositoryPaths.inside(location, remoteUri, "download source");
        List<DownloadDecisions.RemoteFile> files = DownloadDecisions.remoteFiles(storage.list(remoteDir),
                localTabletId);
        if (files.isEmpty()) {
            throw new StoreException(TStatusCode.INTERNAL_ERROR, "get nothing from remote path: " + remoteUri);
        }
        return new TabletDownload(remoteUri, remoteDir, localDir, localTabletId, remoteTabletId, files);
    }

    /** A tablet whose files are in place, and the files this download wrote (not yet durable). */
    private record Fetched(TabletDownload tablet, List<Path> files) {}

    /**
     * Every tablet's snapshot path lock first (in the task's order), then the files of all the tablets fetched
     * {@code fileParallelism} at a time, with no wait between one tablet and the next (a task of many small tablets
     * keeps every worker busy); each tablet's stale files are deleted once its own files are in. A file that fails
     * stops the rest of its tablet only: the other tablets go on, and those that complete count as downloaded, so a
     * repeated task has less to do; a cancel (or an interrupt) stops them all. Then every file fetched and every dir
     * is made durable at once (on failure too, for the tablets completed), and only then the tablets count as
     * downloaded; the locks are held until then.
     */
    private void downloadAll(RepositoryStorage storage, List<TabletDownload> tablets, Counter counter,
            ExecutorService workers, List<Long> downloadedTabletIds) throws InterruptedException {
        List<SnapshotPathLock> locks = new ArrayList<>();
        List<Fetched> completed = new ArrayList<>();
        Throwable failure = null;
        AtomicBoolean cancelled = counter.cancelled;
        List<List<Future<Optional<Path>>>> submitted = new ArrayList<>();
        try {
            for (TabletDownload tablet : tablets) {
                locks.add(store.lockSnapshotPath(tablet.localDir()));
            }
            for (TabletDownload tablet : tablets) {
                submitted.add(submitFiles(storage, tablet, counter, workers, cancelled));
            }
        } catch (RuntimeException | Error e) {
            cancelled.set(true);
            failure = e;
        }
        for (int i = 0; i < submitted.size(); i++) {
            TabletDownload tablet = tablets.get(i);
            try {
                List<Path> fetched = awaitFetched(submitted.get(i));
                deleteStale(tablet, counter);
                completed.add(new Fetched(tablet, fetched));
            } catch (SkippedAfterFailure e) {
                // stopped by a cancel or a failure thrown elsewhere: not complete, and not the cause
            } catch (RuntimeException | InterruptedException | Error e) {
                if (failure == null) {
                    failure = e;
                } else if (failure != e) {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure == null && cancelled.get()) {
            failure = new DownloadCancelledException(); // refused by a progress report sent in the background
        }
        try {
            makeDurable(completed, workers);
            completed.forEach(done -> downloadedTabletIds.add(done.tablet().localTabletId()));
        } catch (RuntimeException | InterruptedException | Error e) {
            if (failure == null) {
                failure = e;
            } else {
                failure.addSuppressed(e);
            }
        } finally {
            locks.forEach(SnapshotPathLock::close);
        }
        if (failure instanceof InterruptedException interrupted) {
            throw interrupted;
        }
        rethrow(failure);
    }

    /**
     * Makes the tablets' files and renames durable: one syncfs(2) per filesystem they are on when
     * {@link #flushFileSystem}; else an fsync of each file, several at once, then of each dir (the renames), after the
     * renames, so the first fsync's journal commit carries the others' too.
     */
    private void makeDurable(List<Fetched> completed, ExecutorService workers) throws InterruptedException {
        if (completed.isEmpty()) {
            return;
        }
        if (flushFileSystem) {
            flushFileSystems(completed);
            return;
        }
        List<Future<Optional<Path>>> synced = new ArrayList<>();
        for (Fetched done : completed) {
            for (Path file : done.files()) {
                synced.add(workers.submit(() -> {
                    fsync(file);
                    return Optional.<Path>empty();
                }));
            }
        }
        awaitAll(synced);
        for (Fetched done : completed) {
            fsync(done.tablet().localDir());
        }
    }

    /** One syncfs(2) for each filesystem the tablets' dirs are on (a node's storage roots may be several disks). */
    private static void flushFileSystems(List<Fetched> completed) {
        Map<FileStore, Path> stores = new LinkedHashMap<>();
        try {
            for (Fetched done : completed) {
                Path dir = done.tablet().localDir();
                stores.putIfAbsent(Files.getFileStore(dir), dir);
            }
            for (Path dir : stores.values()) {
                FileSystemFlush.flush(dir);
            }
        } catch (IOException e) {
            throw new StoreException(TStatusCode.IO_ERROR, "cannot make the downloaded files durable: " + e, e);
        }
    }

    /**
     * Submits the fetch of each file of a tablet; after a failure of one of them the tablet's others do nothing, and
     * after a cancel (or an interrupt) every file of the task does nothing.
     */
    private List<Future<Optional<Path>>> submitFiles(RepositoryStorage storage, TabletDownload tablet,
            Counter counter, ExecutorService workers, AtomicBoolean cancelled) {
        AtomicBoolean tabletFailed = new AtomicBoolean();
        List<Future<Optional<Path>>> files = new ArrayList<>();
        for (DownloadDecisions.RemoteFile file : tablet.files()) {
            files.add(workers.submit(() -> {
                if (cancelled.get() || tabletFailed.get()) {
                    throw new SkippedAfterFailure();
                }
                try {
                    Optional<Path> fetched = fetchIfNeeded(storage, tablet, file, counter);
                    counter.fileDone();
                    return fetched;
                } catch (InterruptedException e) {
                    cancelled.set(true);
                    throw e;
                } catch (RuntimeException e) {
                    tabletFailed.set(true);
                    throw e;
                }
            }));
        }
        return files;
    }

    /**
     * A file not fetched because another file of its tablet failed first, or the task was cancelled: its tablet is
     * not complete, and the task's failure is that other one.
     */
    private static final class SkippedAfterFailure extends RuntimeException {
        SkippedAfterFailure() {
            super("not fetched: another file of the download failed", null, false, false);
        }
    }

    /** The files a tablet's fetches wrote, once every one of them has ended. */
    private static List<Path> awaitFetched(List<Future<Optional<Path>>> files) throws InterruptedException {
        List<Path> fetched = new ArrayList<>();
        for (Optional<Path> file : awaitAll(files)) {
            file.ifPresent(fetched::add);
        }
        return fetched;
    }

    /** Deletes the files of a tablet's snapshot dir that the repository does not list. */
    private static void deleteStale(TabletDownload tablet, Counter counter) {
        Set<String> remoteNames = new HashSet<>();
        tablet.files().forEach(file -> remoteNames.add(file.name()));
        for (String stale : DownloadDecisions.stale(localNames(tablet.localDir()), remoteNames,
                tablet.remoteTabletId())) {
            Path file = tablet.localDir().resolve(stale);
            if (!Files.isRegularFile(file)) {
                continue; // a dir of that name is not ours to delete
            }
            try {
                Files.deleteIfExists(file);
                counter.staleDeleted();
            } catch (IOException e) {
                log.warn("tablet {}: cannot delete the stale file {}: {}", tablet.localTabletId(), stale, e.toString());
            }
        }
    }

    /** Fetches the file unless the local copy's md5 already matches; the path fetched, if one was. */
    private Optional<Path> fetchIfNeeded(RepositoryStorage storage, TabletDownload tablet,
            DownloadDecisions.RemoteFile file, Counter counter) throws InterruptedException {
        if (!DownloadDecisions.mustFetch(file, name -> localMd5(tablet.localDir().resolve(name)))) {
            counter.skipped();
            return Optional.empty();
        }
        Path target = fetch(storage, tablet, file);
        counter.fetched(file.size());
        return Optional.of(target);
    }

    /**
     * Fetches one file to a temporary name (the repository hashes it while copying), checks that md5 against the one
     * in its repository name and only then renames it into place (fsynced later, with the rest of its tablet);
     * returns its local path.
     */
    private Path fetch(RepositoryStorage storage, TabletDownload tablet, DownloadDecisions.RemoteFile file)
            throws InterruptedException {
        Path target = tablet.localDir().resolve(file.localName());
        Path temp = tablet.localDir().resolve(file.localName() + "." + System.nanoTime()
                + DownloadDecisions.TEMP_SUFFIX);
        capacity.check(file.size());
        limiter.acquire(file.size());
        // From here on the temp file may exist: it is removed unless it was renamed into place.
        boolean renamed = false;
        try {
            String got = storage.downloadWithChecksum(tablet.remoteDir() + "/" + file.storedName(), temp);
            if (!got.equals(file.md5())) {
                throw new StoreException(TStatusCode.INTERNAL_ERROR, "invalid md5 of downloaded file: " + target
                        + ", expected: " + file.md5() + ", get: " + got);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            renamed = true;
            return target;
        } catch (IOException e) {
            throw new StoreException(TStatusCode.IO_ERROR, "cannot download " + file.storedName() + " to "
                    + target + ": " + e, e);
        } finally {
            if (!renamed) {
                deleteQuietly(temp);
            }
        }
    }

    private static void deleteQuietly(Path temp) {
        try {
            Files.deleteIfExists(temp);
        } catch (IOException e) {
            log.warn("cannot delete {}: {}", temp, e.toString());
        }
    }

    /**
     * The results of all {@code futures}, waiting for every one even after a failure (so no worker still writes in
     * the dir when the lock is released); the first failure is thrown as it was thrown (a file skipped because of
     * another's failure only when there is no other).
     */
    private static <T> List<T> awaitAll(List<Future<T>> futures) throws InterruptedException {
        List<T> results = new ArrayList<>();
        Throwable failure = null;
        for (Future<T> future : futures) {
            try {
                results.add(future.get());
            } catch (ExecutionException e) {
                if (failure == null || failure instanceof SkippedAfterFailure) {
                    failure = e.getCause();
                }
            }
        }
        if (failure instanceof InterruptedException interrupted) {
            throw interrupted;
        }
        rethrow(failure);
        return results;
    }

    /** Throws a failure as it was thrown (checked ones wrapped), so the task's status reflects it. */
    private static void rethrow(Throwable failure) {
        if (failure instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (failure instanceof Error error) {
            throw error;
        }
        if (failure != null) {
            throw new IllegalStateException(failure.getMessage(), failure);
        }
    }

    private static Optional<String> localMd5(Path file) {
        return Files.isRegularFile(file) ? Optional.of(md5(file)) : Optional.empty();
    }

    /**
     * The md5 of a local file, as {@link io.snapbus.repository.Md5#of(Path)} but reading into this thread's buffer:
     * allocating (and zeroing) a new 1 MiB buffer per file cost more than hashing a small file.
     */
    private static String md5(Path file) {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime must provide MD5", e);
        }
        ByteBuffer buffer = HASH_BUFFER.get();
        buffer.clear();
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            while (in.read(buffer) >= 0) {
                buffer.flip();
                digest.update(buffer);
                buffer.clear();
            }
        } catch (IOException e) {
            throw new StoreException(TStatusCode.IO_ERROR, "cannot compute the md5 of " + file + ": " + e, e);
        }
        return Md5.hex(digest.digest());
    }

    /**
     * The names in a snapshot dir, of files and dirs alike: checking each entry's type here cost a stat per file, and
     * only the few stale ones need it.
     */
    private static List<String> localNames(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new StoreException(TStatusCode.IO_ERROR, "cannot list snapshot dir " + dir + ": " + e);
        }
    }

    /** fsync of a file or a dir (a dir makes its renames durable). */
    private static void fsync(Path path) {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            throw new StoreException(TStatusCode.IO_ERROR, "cannot fsync " + path + ": " + e);
        }
    }

    /**
     * Files done and counted, shared by the workers of a download (so the counts are synchronized), and the progress
     * reports, sent in the background ({@link BackgroundProgress}); a report the agent refuses sets {@link #cancelled},
     * which stops the download's files.
     */
    private final class Counter implements AutoCloseable {
        private final BackgroundProgress reports;
        final AtomicBoolean cancelled;
        private int fetched;
        private int skipped;
        private int stale;
        private long bytes;

        Counter(long jobId, long signature, int total) {
            this.reports = new BackgroundProgress(progress::report, jobId, signature, total, progressEvery,
                    "download-progress");
            this.cancelled = reports.cancelled();
        }

        void reportStart() {
            if (!reports.start()) {
                throw new DownloadCancelledException();
            }
        }

        synchronized void fetched(long size) {
            fetched++;
            bytes += size;
        }

        synchronized void skipped() {
            skipped++;
        }

        synchronized void staleDeleted() {
            stale++;
        }

        void fileDone() {
            reports.fileDone();
        }

        synchronized Outcome outcome(long millis) {
            return new Outcome(bytes, fetched, skipped, stale, millis);
        }

        /** Waits for a report in flight, so none is sent after the task's finish report. */
        @Override
        public void close() throws InterruptedException {
            reports.close();
        }
    }
}
