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
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DOWNLOAD (restore), as Doris's {@code SnapshotLoader::download}: fills the restore snapshot dirs of local tablets
 * from repository tablet dirs, tablet after tablet under each dir's snapshot path lock. A file is fetched to a
 * temporary name, its md5 checked against its repository name, fsynced and renamed into place, so a file another
 * tablet hard-links is never written over; the header becomes {@code <localTabletId>.hdr}; files the repository does
 * not list are deleted. Works on any repository the upload path reaches (filesystem, S3), with the same credentials.
 */
public final class DownloadExecutor {
    private static final Logger log = LoggerFactory.getLogger(DownloadExecutor.class);

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

    public DownloadExecutor(TabletStore store, CredentialResolver credentials, DownloadProgress progress,
            BandwidthLimiter limiter, CapacityGuard capacity, int progressEvery) {
        this.store = store;
        this.credentials = credentials;
        this.progress = progress;
        this.limiter = limiter;
        this.capacity = capacity;
        this.progressEvery = progressEvery;
    }

    /**
     * Downloads every pair of {@code request.src_dest_map}; {@code downloadedTabletIds} receives each local tablet id
     * once its dir is complete, so a failure leaves the tablets done so far in it.
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
        try (RepositoryStorage storage = RepositoryStorages.open(spec)) {
            List<TabletDownload> tablets = new ArrayList<>();
            for (Map.Entry<String, String> pair : pairs.entrySet()) {
                tablets.add(plan(storage, location, pair.getKey(), pair.getValue()));
            }
            int total = tablets.stream().mapToInt(t -> t.files().size()).sum();
            Counter counter = new Counter(request.getJob_id(), signature, total);
            counter.reportStart();
            for (TabletDownload tablet : tablets) {
                try (SnapshotPathLock held = store.lockSnapshotPath(tablet.localDir())) {
                    downloadTablet(storage, tablet, counter);
                }
                downloadedTabletIds.add(tablet.localTabletId());
            }
            Outcome outcome = new Outcome(counter.bytes, counter.fetched, counter.skipped, counter.stale,
                    (System.nanoTime() - started) / 1_000_000);
            log.info("download {} of job {}: {} tablets, {} files fetched ({} bytes), {} already there, {} stale"
                    + " deleted, in {} ms", signature, request.getJob_id(), tablets.size(), outcome.filesDownloaded(),
                    outcome.bytesDownloaded(), outcome.filesSkipped(), outcome.staleDeleted(), outcome.millis());
            return outcome;
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

    private void downloadTablet(RepositoryStorage storage, TabletDownload tablet, Counter counter)
            throws InterruptedException {
        Set<String> remoteNames = new HashSet<>();
        for (DownloadDecisions.RemoteFile file : tablet.files()) {
            remoteNames.add(file.name());
            if (DownloadDecisions.mustFetch(file, name -> localMd5(tablet.localDir().resolve(name)))) {
                counter.bytes += fetch(storage, tablet, file);
                counter.fetched++;
            } else {
                counter.skipped++;
            }
            counter.fileDone();
        }
        for (String stale : DownloadDecisions.stale(localNames(tablet.localDir()), remoteNames,
                tablet.remoteTabletId())) {
            try {
                Files.deleteIfExists(tablet.localDir().resolve(stale));
                counter.stale++;
            } catch (IOException e) {
                log.warn("tablet {}: cannot delete the stale file {}: {}", tablet.localTabletId(), stale, e.toString());
            }
        }
        fsyncDirectory(tablet.localDir());
    }

    /** Fetches one file to a temporary name, checks its md5, makes it durable and renames it into place. */
    private long fetch(RepositoryStorage storage, TabletDownload tablet, DownloadDecisions.RemoteFile file)
            throws InterruptedException {
        Path target = tablet.localDir().resolve(file.localName());
        Path temp = tablet.localDir().resolve(file.localName() + "." + System.nanoTime()
                + DownloadDecisions.TEMP_SUFFIX);
        try {
            capacity.check(file.size());
            limiter.acquire(file.size());
            storage.download(tablet.remoteDir() + "/" + file.storedName(), temp);
            String got = Md5.of(temp);
            if (!got.equals(file.md5())) {
                throw new StoreException(TStatusCode.INTERNAL_ERROR, "invalid md5 of downloaded file: " + target
                        + ", expected: " + file.md5() + ", get: " + got);
            }
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.READ)) {
                channel.force(true);
            }
            long bytes = Files.size(temp);
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return bytes;
        } catch (IOException e) {
            throw new StoreException(TStatusCode.IO_ERROR, "cannot download " + file.storedName() + " to "
                    + target + ": " + e, e);
        } finally {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException e) {
                log.warn("cannot delete {}: {}", temp, e.toString());
            }
        }
    }

    private static Optional<String> localMd5(Path file) {
        return Files.isRegularFile(file) ? Optional.of(Md5.of(file)) : Optional.empty();
    }

    private static List<String> localNames(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new StoreException(TStatusCode.IO_ERROR, "cannot list snapshot dir " + dir + ": " + e);
        }
    }

    private static void fsyncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            throw new StoreException(TStatusCode.IO_ERROR, "cannot fsync " + dir + ": " + e);
        }
    }

    /** Files done and the progress reports due: at the start and every {@code progressEvery} files. */
    private final class Counter {
        private final long jobId;
        private final long signature;
        private final int total;
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

        void fileDone() {
            done++;
            if (done % progressEvery == 0) {
                report();
            }
        }

        private void report() {
            if (!progress.report(jobId, signature, done, total)) {
                throw new DownloadCancelledException();
            }
        }
    }
}
