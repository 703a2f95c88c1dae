package io.snapbus.node.restore;

import io.snapbus.node.tablet.SnapshotPathLock;
import io.snapbus.node.tablet.StoreException;
import io.snapbus.node.tablet.TabletStore;
import io.snapbus.node.upload.BandwidthLimiter;
import io.snapbus.node.upload.CredentialResolver;
import io.snapbus.node.upload.RepositoryPaths;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
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
 * from repository tablet dirs, tablet after tablet under each dir's snapshot path lock, the files of a tablet
 * {@code fileParallelism} at a time. A file is fetched to a new temporary name (never an existing file), hashed while
 * it is copied ({@link RepositoryStorage#downloadWithChecksum}: one read of the repository file, no read-back), its
 * md5 checked against its repository name and only then renamed into place, so a file another tablet hard-links is
 * never written over and no file of the wrong content ever carries a final name; the header becomes
 * {@code <localTabletId>.hdr}; files the repository does not list are deleted. A file whose local copy already has
 * the repository's md5 is not fetched (the header always is). Before each file the disk's capacity is checked and
 * the bandwidth limit waited for; every {@code progressEvery} files progress is reported, and a report the agent
 * refuses cancels the download. The tablets of a task count as downloaded once all the files the task fetched and then
 * their dirs are fsynced: together, after the renames, rather than one by one before each rename, so one journal
 * commit covers many files (the locks are held until then). A crash before that can leave a file that reads back
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

    public DownloadExecutor(TabletStore store, CredentialResolver credentials, DownloadProgress progress,
            BandwidthLimiter limiter, CapacityGuard capacity, int progressEvery, int fileParallelism) {
        this.store = store;
        this.credentials = credentials;
        this.progress = progress;
        this.limiter = limiter;
        this.capacity = capacity;
        this.progressEvery = progressEvery;
        this.fileParallelism = fileParallelism;
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
            counter.reportStart();
            downloadAll(storage, tablets, counter, workers, downloadedTabletIds);
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
     * The tablets one after the other, each under its snapshot path lock, held until the end; then every file
     * fetched and every dir fsynced at once (on failure too, for the tablets completed before it), and only then the
     * tablets count as downloaded.
     */
    private void downloadAll(RepositoryStorage storage, List<TabletDownload> tablets, Counter counter,
            ExecutorService workers, List<Long> downloadedTabletIds) throws InterruptedException {
        List<SnapshotPathLock> locks = new ArrayList<>();
        List<Fetched> completed = new ArrayList<>();
        Throwable failure = null;
        try {
            for (TabletDownload tablet : tablets) {
                locks.add(store.lockSnapshotPath(tablet.localDir()));
                completed.add(new Fetched(tablet, downloadTablet(storage, tablet, counter, workers)));
            }
        } catch (RuntimeException | InterruptedException | Error e) {
            failure = e;
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
     * fsync of the files, several at once, then of their dirs (the renames): after the renames, so the first fsync's
     * journal commit carries the others' too.
     */
    private static void makeDurable(List<Fetched> completed, ExecutorService workers) throws InterruptedException {
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

    /** Fetches the files of one tablet that are not there yet and deletes its stale ones; the files it wrote. */
    private List<Path> downloadTablet(RepositoryStorage storage, TabletDownload tablet, Counter counter,
            ExecutorService workers) throws InterruptedException {
        AtomicBoolean failed = new AtomicBoolean();
        List<Future<Optional<Path>>> files = new ArrayList<>();
        for (DownloadDecisions.RemoteFile file : tablet.files()) {
            files.add(workers.submit(() -> {
                if (failed.get()) {
                    return Optional.<Path>empty();
                }
                try {
                    Optional<Path> fetched = fetchIfNeeded(storage, tablet, file, counter);
                    counter.fileDone();
                    return fetched;
                } catch (RuntimeException | InterruptedException e) {
                    failed.set(true);
                    throw e;
                }
            }));
        }
        List<Path> fetched = new ArrayList<>();
        for (Optional<Path> file : awaitAll(files)) {
            file.ifPresent(fetched::add);
        }
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
        return fetched;
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
     * the dir when the lock is released); the first failure is thrown as it was thrown.
     */
    private static <T> List<T> awaitAll(List<Future<T>> futures) throws InterruptedException {
        List<T> results = new ArrayList<>();
        Throwable failure = null;
        for (Future<T> future : futures) {
            try {
                results.add(future.get());
            } catch (ExecutionException e) {
                if (failure == null) {
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
     * Files done and the progress reports due: at the start and every {@code progressEvery} files. Shared by the
     * workers of a download, so the counts are synchronized; a report (a call to the agent) is made outside that
     * lock, so the other workers go on counting meanwhile, and under a lock of its own, so reports never overtake
     * each other and each says how many files were done when it was sent.
     */
    private final class Counter {
        private final long jobId;
        private final long signature;
        private final int total;
        private final Object reporting = new Object();
        private int done;
        private int fetched;
        private int skipped;
        private int stale;
        private long bytes;

        Counter(long jobId, long signature, int total) {
            this.jobId = jobId;
            this.signature = signature;
            this.total = total;
        }

        void reportStart() {
            report();
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
            synchronized (this) {
                done++;
                if (done % progressEvery != 0) {
                    return;
                }
            }
            report();
        }

        synchronized Outcome outcome(long millis) {
            return new Outcome(bytes, fetched, skipped, stale, millis);
        }

        private synchronized int done() {
            return done;
        }

        private void report() {
            synchronized (reporting) {
                if (!progress.report(jobId, signature, done(), total)) {
                    throw new DownloadCancelledException();
                }
            }
        }
    }
}
