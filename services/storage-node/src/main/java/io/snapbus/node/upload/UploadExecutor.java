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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * UPLOAD: copies snapshot tablet dirs into a repository as {@code <file>.<md5>}, several files at once. A file the
 * repository already holds with the same md5 is skipped, so a re-sent task resumes instead of starting over. Reports
 * progress every few files and stops when the answer says the job was cancelled.
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
    private record FileCopy(long tabletId, Path local, String remoteDir, RowsetFile recorded, String remoteMd5) {}

    private final TabletStore store;
    private final CredentialResolver credentials;
    private final UploadProgress progress;
    private final BandwidthLimiter limiter;
    private final int fileParallelism;
    private final int progressEvery;
    private final boolean verifyChecksums;

    /**
     * @param verifyChecksums hash every file while uploading (as Doris does) instead of trusting the md5 recorded
     *                        when the rowset was written; costs a CPU-bound pass over the data (~650 MB/s per core)
     */
    public UploadExecutor(TabletStore store, CredentialResolver credentials, UploadProgress progress,
            BandwidthLimiter limiter, int fileParallelism, int progressEvery, boolean verifyChecksums) {
        this.store = store;
        this.credentials = credentials;
        this.progress = progress;
        this.limiter = limiter;
        this.fileParallelism = fileParallelism;
        this.progressEvery = progressEvery;
        this.verifyChecksums = verifyChecksums;
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
            try {
                Map<Long, List<String>> tabletFiles = new ConcurrentHashMap<>();
                List<FileCopy> copies = planAll(storage, plan, tabletFiles, workers);
                Outcome outcome = copyAll(request.getJob_id(), signature, storage, copies, tabletFiles, started,
                        workers);
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
            tabletFiles.put(tabletId, java.util.Collections.synchronizedList(new ArrayList<>()));
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
        for (Path local : localFiles(localDir)) {
            String name = local.getFileName().toString();
            copies.add(new FileCopy(tabletId, local, remoteDir, recorded.get(name), remote.get(name)));
        }
        return copies;
    }

    private Outcome copyAll(long jobId, long signature, RepositoryStorage storage, List<FileCopy> copies,
            Map<Long, List<String>> tabletFiles, long started, ExecutorService workers) throws InterruptedException {
        int total = copies.size();
        AtomicBoolean cancelled = new AtomicBoolean(!progress.report(jobId, signature, 0, total));
        AtomicInteger done = new AtomicInteger();
        AtomicInteger uploaded = new AtomicInteger();
        AtomicLong bytes = new AtomicLong();
        Map<Long, AtomicLong> tabletBytes = new ConcurrentHashMap<>();
        List<Future<?>> futures = new ArrayList<>();
        for (FileCopy copy : copies) {
            futures.add(workers.submit(() -> {
                if (cancelled.get()) {
                    return null;
                }
                String stored = copyOne(storage, copy, uploaded, bytes);
                tabletFiles.get(copy.tabletId()).add(stored);
                tabletBytes.computeIfAbsent(copy.tabletId(), t -> new AtomicLong())
                        .addAndGet(Files.size(copy.local()));
                int finished = done.incrementAndGet();
                if (finished % progressEvery == 0 && finished < total
                        && !progress.report(jobId, signature, finished, total)) {
                    cancelled.set(true);
                }
                return null;
            }));
        }
        awaitAll(futures, cancelled);
        if (cancelled.get()) {
            throw new UploadCancelledException(jobId, signature);
        }
        progress.report(jobId, signature, total, total);
        Map<Long, List<String>> sorted = new HashMap<>();
        tabletFiles.forEach((tablet, files) -> sorted.put(tablet, files.stream().sorted().toList()));
        Map<Long, Long> sizes = new HashMap<>();
        tabletFiles.keySet().forEach(tablet -> sizes.put(tablet,
                Optional.ofNullable(tabletBytes.get(tablet)).map(AtomicLong::get).orElse(0L)));
        return new Outcome(sorted, sizes, bytes.get(), uploaded.get(), total - uploaded.get(),
                (System.nanoTime() - started) / 1_000_000);
    }

    /** Copies a file unless the repository holds it with the same md5; returns its stored name. */
    private String copyOne(RepositoryStorage storage, FileCopy copy, AtomicInteger uploaded, AtomicLong bytes)
            throws IOException, InterruptedException {
        String name = copy.local().getFileName().toString();
        long size = Files.size(copy.local());
        // A recorded md5 is trusted only for the file it was recorded for (same size): rowset files never change.
        String known = copy.recorded() != null && copy.recorded().size() == size ? copy.recorded().md5() : null;
        if (copy.remoteMd5() != null
                && copy.remoteMd5().equals(known != null ? known : Md5.of(copy.local()))) {
            return RepositoryLayout.withChecksum(name, copy.remoteMd5());
        }
        limiter.acquire(size);
        String remotePath = copy.remoteDir() + "/" + name;
        String md5 = known != null ? storage.uploadWithKnownChecksum(copy.local(), remotePath, known)
                : storage.uploadWithChecksum(copy.local(), remotePath);
        if (copy.remoteMd5() != null && !copy.remoteMd5().equals(md5)) {
            // A stale copy under the old checksum would make the tablet dir list the file twice.
            storage.delete(copy.remoteDir() + "/" + RepositoryLayout.withChecksum(name, copy.remoteMd5()));
        }
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

    private static List<Path> localFiles(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new StoreException(TStatusCode.IO_ERROR, "cannot list snapshot dir " + dir + ": " + e.getMessage());
        }
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
