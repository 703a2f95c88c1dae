package io.snapbus.node.tablet;

import io.snapbus.tabletformat.RowsetFile;
import io.snapbus.tabletformat.RowsetMeta;
import io.snapbus.tabletformat.TabletHeader;
import io.snapbus.thrift.TStatusCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MOVE (restore commit), with Doris's checks and messages: the downloaded snapshot dir of a tablet replaces the
 * tablet's data. The new tablet dir is built beside the live one under fresh rowset ids (Doris's
 * {@code convert_rowset_ids}; files are hard links to the snapshot's) with a header naming the local tablet but the
 * backup's rowsets and version, fsynced; then a durable {@link MoveIntent} commits the move and {@link TabletSwap}
 * renames the dirs. A crash before the intent leaves the old tablet whole; after it, the next open finishes the move.
 */
final class SnapshotMover {
    private static final Logger log = LoggerFactory.getLogger(SnapshotMover.class);
    private static final long LOCK_WAIT_SECONDS = 5;

    private final Path root;
    private final Path snapshotArea;
    private final RowsetIds rowsetIds;
    private final SnapshotLocks locks;
    private final MoveHook pause;

    SnapshotMover(Path root, Path snapshotArea, RowsetIds rowsetIds, SnapshotLocks locks, MoveHook pause) {
        this.root = root;
        this.snapshotArea = snapshotArea;
        this.rowsetIds = rowsetIds;
        this.locks = locks;
        this.pause = pause;
    }

    TabletMeta move(Tablet tablet, String src, long jobId, boolean overwrite) throws InterruptedException {
        Path snapshot = checkPaths(tablet, src);
        try (SnapshotPathLock held = locks.lock(snapshot)) {
            finishInterruptedMove(tablet);
            if (Files.exists(snapshot.resolve(TabletSwap.LOADED_MARKER))) {
                log.info("tablet {}: snapshot path already moved: {}", tablet.id, snapshot);
                return TabletMeta.of(tablet.header());
            }
            if (!overwrite) {
                throw internal("only support overwrite now");
            }
            if (!tablet.compaction.tryLock(LOCK_WAIT_SECONDS, TimeUnit.SECONDS)) {
                throw new StoreException(TStatusCode.INTERNAL_ERROR, "OBTAIN_LOCK_FAILED",
                        "failed to get tablet locks, tablet: " + tablet.id);
            }
            try {
                return swapIn(tablet, snapshot, jobId);
            } finally {
                tablet.compaction.unlock();
            }
        }
    }

    /** Doris's order of checks; returns the snapshot dir's real path. */
    private Path checkPaths(Tablet tablet, String src) {
        Path requested;
        try {
            requested = Path.of(src).toAbsolutePath().normalize();
        } catch (InvalidPathException | NullPointerException e) {
            throw StoreException.invalid("not a path: " + src);
        }
        if (requested.getNameCount() < 2
                || !requested.getFileName().toString().equals(Integer.toString(tablet.header().schemaHash()))
                || !requested.getParent().getFileName().toString().equals(Long.toString(tablet.id))) {
            throw internal("path does not match. snapshot: " + src + ", tablet path: " + tablet.dir());
        }
        Path snapshotRoot = requested.getParent().getParent();
        if (snapshotRoot == null || !snapshotArea.equals(realParent(snapshotRoot))) {
            throw internal("failed to get store by path: " + src);
        }
        if (!Files.isDirectory(tablet.dir())) {
            throw internal("tablet path does not exist: " + tablet.dir());
        }
        if (!Files.isDirectory(requested)) {
            throw internal("snapshot path does not exist: " + src);
        }
        try {
            return requested.toRealPath();
        } catch (IOException e) {
            throw internal("snapshot path does not exist: " + src);
        }
    }

    /** A move of this tablet that failed after its intent (an I/O error in this process) completes first. */
    private void finishInterruptedMove(Tablet tablet) {
        tablet.lock.writeLock().lock();
        try {
            TabletSwap pending = TabletSwap.pending(root, tablet.id, tablet.header().schemaHash());
            if (pending != null) {
                pending.complete(pause);
                tablet.pending.clear();
                tablet.header(TabletFiles.readHeader(tablet.dir().resolve(TabletFiles.headerName(tablet.id))));
                log.warn("tablet {}: finished the interrupted MOVE of job {}", tablet.id, pending.intent().jobId());
            }
        } catch (IOException e) {
            throw StoreException.io("tablet " + tablet.id + ": move tablet failed", e);
        } finally {
            tablet.lock.writeLock().unlock();
        }
    }

    private TabletMeta swapIn(Tablet tablet, Path snapshot, long jobId) {
        TabletHeader local = tablet.header();
        Path staged = TabletSwap.restoreDir(root).resolve("staged." + tablet.id + "." + local.schemaHash() + "."
                + System.nanoTime());
        TabletHeader restored;
        try {
            restored = stage(local, snapshot, staged);
        } catch (IOException | RuntimeException e) {
            DurableFiles.deleteQuietly(staged);
            throw internal("failed to convert rowsetids in snapshot: " + snapshot + ", tablet path: " + tablet.dir()
                    + ", err: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
        }
        pause.reached(MoveStep.STAGED, TabletSwap.restoreDir(root));
        Path retired = TabletSwap.restoreDir(root).resolve("retired." + tablet.id + "." + local.schemaHash() + "."
                + System.nanoTime());
        TabletSwap swap = new TabletSwap(root, new MoveIntent(tablet.id, local.schemaHash(), jobId,
                root.relativize(tablet.dir()).toString(), root.relativize(staged).toString(),
                root.relativize(retired).toString(),
                "snapshot/" + snapshotArea.relativize(snapshot)));
        tablet.lock.writeLock().lock();
        try {
            try {
                swap.writeIntent();
            } catch (IOException e) {
                swap.abandon();
                throw StoreException.io("tablet " + tablet.id + ": move tablet failed", e);
            }
            pause.reached(MoveStep.INTENT_WRITTEN, TabletSwap.restoreDir(root));
            try {
                swap.complete(pause);
            } catch (IOException e) {
                throw StoreException.io("tablet " + tablet.id + ": move tablet failed (the next MOVE or restart"
                        + " finishes it)", e);
            }
            tablet.pending.clear();
            tablet.header(restored);
        } finally {
            tablet.lock.writeLock().unlock();
        }
        log.info("tablet {}: moved in the snapshot {} of job {}: version {}, {} rowsets {}, {} rows", tablet.id,
                snapshot, jobId, restored.version(), restored.rowsets().size(), VersionPath.ranges(restored.rowsets()),
                TabletMeta.of(restored).rowCount());
        return TabletMeta.of(restored);
    }

    /**
     * Builds the new tablet dir: the snapshot's rowset files linked under fresh rowset ids, and a header describing the
     * local tablet with the backup's rowsets and version.
     */
    private TabletHeader stage(TabletHeader local, Path snapshot, Path staged) throws IOException {
        Path headerFile = snapshot.resolve(TabletFiles.headerName(local.tabletId()));
        if (!Files.exists(headerFile)) {
            throw new IOException("no header " + headerFile.getFileName() + " in the snapshot");
        }
        TabletHeader backup = TabletFiles.readHeader(headerFile);
        if (!backup.schema().equals(local.schema())) {
            throw new IOException("the backup's schema " + backup.schema() + " is not the tablet's " + local.schema());
        }
        DurableFiles.createDirectories(staged);
        List<RowsetMeta> converted = new ArrayList<>();
        for (RowsetMeta rowset : backup.rowsets()) {
            String newId = rowsetIds.next();
            List<RowsetFile> files = new ArrayList<>();
            for (RowsetFile file : rowset.files()) {
                if (!file.name().startsWith(rowset.rowsetId())) {
                    throw new IOException("file " + file.name() + " does not belong to rowset " + rowset.rowsetId());
                }
                Path source = snapshot.resolve(file.name());
                if (!TabletFiles.present(snapshot, file)) {
                    throw new IOException("file " + file.name() + " is missing or does not have the "
                            + file.size() + " bytes the header records");
                }
                String newName = newId + file.name().substring(rowset.rowsetId().length());
                Files.createLink(staged.resolve(newName), source);
                files.add(new RowsetFile(newName, file.size(), file.md5()));
            }
            converted.add(new RowsetMeta(newId, rowset.startVersion(), rowset.endVersion(), rowset.rowCount(),
                    rowset.dataSize(), files, rowset.contentChecksum())); // the rows are the backup's: so is their sum
        }
        TabletHeader restored = local.restoredFrom(backup.version(), converted);
        TabletFiles.writeHeader(staged, restored); // fsyncs the dir: the links are durable with it
        return restored;
    }

    private Path realParent(Path snapshotRoot) {
        try {
            Path parent = snapshotRoot.getParent();
            return parent == null ? null : parent.toRealPath();
        } catch (IOException e) {
            return null;
        }
    }

    private static StoreException internal(String message) {
        return new StoreException(TStatusCode.INTERNAL_ERROR, message);
    }
}
