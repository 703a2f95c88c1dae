package io.snapbus.node.tablet;

import io.snapbus.tabletformat.RowsetFile;
import io.snapbus.tabletformat.RowsetMeta;
import io.snapbus.tabletformat.RowsetReader;
import io.snapbus.tabletformat.TabletSchema;
import io.snapbus.tabletformat.TabletHeader;
import io.snapbus.rows.ContentChecksum;
import io.snapbus.rows.LoadFormat;
import io.snapbus.thrift.TStatusCode;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tablets of one storage node on local disk: creation, loads (write, publish, abort), compaction and
 * snapshots, with Doris's semantics and status codes ({@link StoreException#code()}).
 *
 * <p>Layout under {@code root}: {@code data/<tabletId>/<schemaHash>/} (header {@code <tabletId>.hdr}, rowset files
 * {@code <rowsetId>_0.dat}, {@code pending/<txnId>/}), {@code snapshot/<yyyyMMddHHmmss>.<seq>.<timeout>/},
 * {@code restore/} (MOVE's staged dirs and intents) and {@code trash/}. A header rewrite is the commit point of every tablet change, so after a crash a tablet is in its
 * old or its new state; {@link #open} removes what interrupted writes left. A lock file keeps a second process
 * (or a second open in this one) out of the same root.
 */
public final class TabletStore implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TabletStore.class);
    private static final String LOCK_FILE = "store.lock";
    private static final String TRASH_DIR = "trash";
    /** Prefix of a dropped tablet's directory in the trash, deleted at the latest on the next open. */
    private static final String DROPPED_PREFIX = "dropped-tablet-";

    private final Path root;
    private final Path data;
    private final TabletStoreConfig config;
    private final SnapshotArea snapshots;
    private final RowsetIds rowsetIds;
    private final SnapshotLocks snapshotLocks = new SnapshotLocks();
    private final SnapshotMover mover;
    private final Map<Long, Tablet> tablets = new ConcurrentHashMap<>();
    /**
     * CREATE and DROP of one tablet id exclude each other; different tablets' run at once, so their fsyncs share the
     * journal's commits (one lock for all made every CREATE wait for the previous one's four fsyncs).
     */
    private final Object[] createLocks = newLocks(64);
    private final FileChannel lockChannel;
    private final FileLock fileLock;
    private final ScheduledExecutorService maintenance;
    private volatile boolean closed;

    private TabletStore(Path root, TabletStoreConfig config, SnapshotArea snapshots, TabletLoader.Loaded loaded,
                        FileChannel lockChannel, FileLock fileLock, MoveHook moveHook) {
        this.root = root;
        this.data = root.resolve("data");
        this.config = config;
        this.snapshots = snapshots;
        this.rowsetIds = new RowsetIds(loaded.highestRowsetCounter());
        this.mover = new SnapshotMover(root, snapshots.root(), rowsetIds, snapshotLocks, moveHook);
        loaded.tablets().forEach(tablet -> tablets.put(tablet.id, tablet));
        this.lockChannel = lockChannel;
        this.fileLock = fileLock;
        this.maintenance = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "tablet-store-maintenance");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Opens (creating if needed) the store at {@code root}: loads every tablet header, deletes what interrupted
     * writes left, keeps pending transactions, and starts background compaction (when enabled) and the expired
     * snapshot sweeper.
     *
     * @throws StoreException ILLEGAL_STATE when the store is already open; IO_ERROR when it cannot be read
     */
    public static TabletStore open(Path root, TabletStoreConfig config) {
        Objects.requireNonNull(config, "config");
        return open(root, config, new MovePause(config.debugPauseMoveAt()));
    }

    /** {@link #open(Path, TabletStoreConfig)} with a hook MOVE calls between its steps (tests simulate crashes). */
    static TabletStore open(Path root, TabletStoreConfig config, MoveHook moveHook) {
        Path absolute = root.toAbsolutePath().normalize();
        FileChannel lockChannel = null;
        try {
            for (String dir : List.of("data", "snapshot", "trash")) {
                DurableFiles.createDirectories(absolute.resolve(dir));
            }
            lockChannel = FileChannel.open(absolute.resolve(LOCK_FILE), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
            FileLock fileLock = tryLock(lockChannel, absolute);
            Path trash = absolute.resolve("trash");
            SnapshotArea snapshots = new SnapshotArea(absolute.resolve("snapshot").toRealPath(), trash);
            snapshots.emptyTrash();
            emptyDroppedTablets(trash);
            TabletSwap.replay(absolute);
            TabletLoader.Loaded loaded = TabletLoader.load(absolute.resolve("data"), trash);
            TabletStore store = new TabletStore(absolute, config, snapshots, loaded, lockChannel, fileLock, moveHook);
            store.startMaintenance();
            log.info("opened tablet store {}: {} tablets, {} pending transactions, {} snapshots", absolute,
                    loaded.tablets().size(), loaded.tablets().stream().mapToInt(t -> t.pending.size()).sum(),
                    snapshots.roots().size());
            return store;
        } catch (IOException | RuntimeException e) {
            closeQuietly(lockChannel);
            if (e instanceof StoreException store) {
                throw store;
            }
            throw StoreException.io("cannot open tablet store " + absolute, e);
        }
    }

    private static FileLock tryLock(FileChannel channel, Path root) throws IOException {
        try {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                throw new StoreException(TStatusCode.ILLEGAL_STATE, "tablet store " + root
                        + " is in use by another process");
            }
            return lock;
        } catch (OverlappingFileLockException e) {
            throw new StoreException(TStatusCode.ILLEGAL_STATE, "tablet store " + root + " is already open");
        }
    }

    private void startMaintenance() {
        if (config.compactionEnabled()) {
            long every = config.compactionInterval().toMillis();
            maintenance.scheduleWithFixedDelay(this::compactDueInBackground, every, every, TimeUnit.MILLISECONDS);
        }
        long sweepEvery = config.sweepInterval().toMillis();
        maintenance.scheduleWithFixedDelay(this::sweepInBackground, sweepEvery, sweepEvery, TimeUnit.MILLISECONDS);
    }

    public Path root() {
        return root;
    }

    /** The real path of {@code root/snapshot}; snapshot roots are its direct children. */
    public Path snapshotRoot() {
        return snapshots.root();
    }

    public TabletStoreConfig config() {
        return config;
    }

    // ---------------------------------------------------------------------------------------------- tablets

    private static Object[] newLocks(int count) {
        Object[] locks = new Object[count];
        for (int i = 0; i < count; i++) {
            locks[i] = new Object();
        }
        return locks;
    }

    private Object createLock(long tabletId) {
        return createLocks[(int) Math.floorMod(tabletId, (long) createLocks.length)];
    }

    /**
     * Creates a tablet with the empty rowset {@code [0-version]}, as Doris's initial rowset. Creating it again
     * with an identical spec returns its current meta.
     *
     * @throws StoreException ALREADY_EXIST when the tablet exists with a different spec
     */
    public TabletMeta create(CreateTabletSpec spec) {
        ensureOpen();
        Objects.requireNonNull(spec, "spec");
        synchronized (createLock(spec.tabletId())) {
            Tablet existing = tablets.get(spec.tabletId());
            if (existing != null) {
                if (spec.created(existing.header())) {
                    return TabletMeta.of(existing.header());
                }
                throw new StoreException(TStatusCode.ALREADY_EXIST, "tablet " + spec.tabletId()
                        + " already exists with a different spec (schema hash " + existing.header().schemaHash()
                        + ", table " + existing.header().tableId() + ", partition " + existing.header().partitionId()
                        + ", index " + existing.header().indexId() + ", replica " + existing.header().replicaId()
                        + ", version " + existing.header().createVersion() + ")");
            }
            Path dir = data.resolve(Long.toString(spec.tabletId())).resolve(Integer.toString(spec.schemaHash()));
            TabletHeader header = spec.initialHeader(rowsetIds.next());
            try {
                DurableFiles.deleteTree(dir);
                DurableFiles.createDirectories(dir);
                TabletFiles.writeHeader(dir, header);
            } catch (IOException e) {
                DurableFiles.deleteQuietly(dir);
                throw StoreException.io("cannot create tablet " + spec.tabletId(), e);
            }
            tablets.put(spec.tabletId(), new Tablet(data, header));
            log.info("created tablet {} (schema hash {}, partition {}, index {}) at version {}", spec.tabletId(),
                    spec.schemaHash(), spec.partitionId(), spec.indexId(), spec.version());
            return TabletMeta.of(header);
        }
    }

    /**
     * DROP: deletes the tablet from the data dir. Under the tablet's write lock it leaves the store's map (later
     * operations answer TABLET_MISSING) and its directory is renamed into the trash, the durable commit point (a
     * crash after it never brings the tablet back); then the trash copy is deleted. Snapshot dirs already made of the
     * tablet keep their hard links and stay readable until released. A tablet the store does not have (already
     * dropped, never created) is not an error, nor one whose schema hash or replica id is another's (a newer
     * incarnation is kept).
     *
     * @param schemaHash the tablet's schema hash, or {@code <= 0} for any
     * @param replicaId  the replica to drop, or {@code <= 0} for any
     * @return whether a tablet was dropped
     */
    public boolean drop(long tabletId, int schemaHash, long replicaId) {
        ensureOpen();
        synchronized (createLock(tabletId)) {
            Tablet tablet = tablets.get(tabletId);
            if (tablet == null) {
                log.info("drop of tablet {}: not on this node, nothing to drop", tabletId);
                return false;
            }
            TabletHeader header = tablet.header();
            if ((schemaHash > 0 && header.schemaHash() != schemaHash)
                    || (replicaId > 0 && header.replicaId() > 0 && header.replicaId() != replicaId)) {
                log.warn("drop of tablet {} (schema hash {}, replica {}) skipped: this node has schema hash {}, replica {}",
                        tabletId, schemaHash, replicaId, header.schemaHash(), header.replicaId());
                return false;
            }
            Path doomed = root.resolve(TRASH_DIR).resolve(DROPPED_PREFIX + tabletId + "." + header.schemaHash() + "."
                    + System.nanoTime());
            underWriteLock(tablet, () -> {
                try {
                    Files.move(tablet.dir(), doomed, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                    DurableFiles.fsyncDirectory(tablet.dir().getParent());
                    DurableFiles.fsyncDirectory(doomed.getParent());
                } catch (IOException e) {
                    throw StoreException.io("cannot drop tablet " + tabletId, e);
                }
                tablets.remove(tabletId);
                return null;
            });
            DurableFiles.deleteIfEmpty(tablet.dir().getParent());
            DurableFiles.deleteQuietly(doomed);
            log.info("dropped tablet {} (schema hash {}, partition {}) at version {}", tabletId, header.schemaHash(),
                    header.partitionId(), header.version());
            return true;
        }
    }

    /** The tablet's meta; TABLET_MISSING when it is absent. */
    public TabletMeta meta(long tabletId) {
        return TabletMeta.of(require(tabletId).header());
    }

    public Optional<TabletMeta> get(long tabletId) {
        return Optional.ofNullable(tablets.get(tabletId)).map(tablet -> TabletMeta.of(tablet.header()));
    }

    /** Every tablet, by id. */
    public List<TabletMeta> all() {
        return tablets.values().stream().map(tablet -> TabletMeta.of(tablet.header()))
                .sorted(Comparator.comparingLong(TabletMeta::tabletId)).toList();
    }

    /**
     * Records that this replica failed to take {@code version}: {@code lastFailedVersion} becomes the lowest such
     * version, and is cleared by the publish that reaches it.
     *
     * @throws StoreException INVALID_ARGUMENT when the tablet already has that version
     */
    public TabletMeta markFailedVersion(long tabletId, long version) {
        ensureOpen();
        Tablet tablet = require(tabletId);
        return underWriteLock(tablet, () -> {
            TabletHeader header = tablet.header();
            if (version <= header.version()) {
                throw StoreException.invalid("tablet " + tabletId + " already has version " + version
                        + " (its version is " + header.version() + ")");
            }
            long failed = header.lastFailedVersion() < 0 ? version : Math.min(header.lastFailedVersion(), version);
            if (failed != header.lastFailedVersion()) {
                commit(tablet, header.withLastFailedVersion(failed));
                log.info("tablet {}: last failed version {}", tabletId, failed);
            }
            return TabletMeta.of(tablet.header());
        });
    }

    /** Marks a tablet as having (or not) data cooled down to remote storage; such a tablet cannot be snapshot. */
    public void setCooledDown(long tabletId, boolean cooledDown) {
        ensureOpen();
        Tablet tablet = require(tabletId);
        underWriteLock(tablet, () -> {
            if (tablet.header().cooledDown() != cooledDown) {
                commit(tablet, tablet.header().withCooledDown(cooledDown));
                log.info("tablet {}: cooled down = {}", tabletId, cooledDown);
            }
            return null;
        });
    }

    // ------------------------------------------------------------------------------------------------ loads

    /**
     * Parses {@code rows} against the tablet's schema and writes them as the pending rowset of {@code txnId},
     * replacing an earlier write of the same transaction. Nothing is written when a row is bad.
     *
     * @throws StoreException TABLET_MISSING; INVALID_ARGUMENT naming the line of the first bad row;
     *                        ALREADY_EXIST when the transaction was already published
     */
    public PendingWrite writeRows(long tabletId, long txnId, LoadFormat format, byte[] rows) {
        ensureOpen();
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(rows, "rows");
        Tablet tablet = require(tabletId);
        rejectPublished(tablet.header(), txnId);
        TabletSchema schema = tablet.header().schema();
        Schema avro = schema.toAvroSchema();
        Path txnDir = tablet.pendingDir(txnId);
        String rowsetId = rowsetIds.next();
        PendingRowset written;
        try {
            DurableFiles.createDirectories(txnDir);
            try (RowsetWriter writer = RowsetWriter.create(txnDir, rowsetId, schema)) {
                RowParser.parse(schema, avro, format, rows, writer::append);
                Optional<RowsetFile> file = writer.commit();
                written = new PendingRowset(txnId, rowsetId, writer.rowCount(), file.map(RowsetFile::size).orElse(0L),
                        file.stream().toList(), writer.checksum().checksum());
            }
        } catch (IOException | RuntimeException e) {
            if (!tablet.pending.containsKey(txnId)) {
                DurableFiles.deleteIfEmpty(txnDir);
            }
            if (e instanceof StoreException store) {
                throw store;
            }
            throw StoreException.io("tablet " + tabletId + ": cannot write rows of txn " + txnId, e);
        }
        underWriteLock(tablet, () -> {
            try {
                rejectPublished(tablet.header(), txnId);
                TabletFiles.writeManifest(txnDir, written);
            } catch (IOException | RuntimeException e) {
                deleteFiles(txnDir, written.files());
                if (e instanceof StoreException store) {
                    throw store;
                }
                throw StoreException.io("tablet " + tabletId + ": cannot record txn " + txnId, e);
            }
            PendingRowset replaced = tablet.pending.put(txnId, written);
            if (replaced != null) {
                deleteFiles(txnDir, replaced.files());
            }
            return null;
        });
        log.debug("tablet {}: txn {} wrote {} rows ({} bytes)", tabletId, txnId, written.rowCount(),
                written.dataSize());
        return written.toWrite(tabletId);
    }

    /** The tablet's written, unpublished transactions, by transaction id. */
    public List<PendingWrite> pending(long tabletId) {
        Tablet tablet = require(tabletId);
        return tablet.pending.values().stream().map(p -> p.toWrite(tabletId))
                .sorted(Comparator.comparingLong(PendingWrite::txnId)).toList();
    }

    /**
     * Publishes the pending rowset of {@code txnId} as version {@code version}, which must be the tablet's
     * version + 1. Publishing a published transaction again at the same version returns the meta.
     *
     * @throws StoreException TABLET_MISSING; NOT_FOUND when the transaction wrote nothing here; ALREADY_EXIST when
     *                        the tablet already has that version; INVALID_ARGUMENT for a gap, or for a transaction
     *                        already published at another version
     */
    public TabletMeta publish(long tabletId, long txnId, long version) {
        ensureOpen();
        Tablet tablet = require(tabletId);
        return underWriteLock(tablet, () -> {
            TabletHeader header = tablet.header();
            OptionalLong published = header.publishedVersionOf(txnId);
            if (published.isPresent()) {
                if (published.getAsLong() == version) {
                    return TabletMeta.of(header);
                }
                throw StoreException.invalid("tablet " + tabletId + ": txn " + txnId + " was already published as"
                        + " version " + published.getAsLong() + ", not " + version);
            }
            PendingRowset pending = tablet.pending.get(txnId);
            if (pending == null) {
                throw new StoreException(TStatusCode.NOT_FOUND, "tablet " + tabletId + ": txn " + txnId
                        + " has no written rows to publish");
            }
            if (version <= header.version()) {
                throw new StoreException(TStatusCode.ALREADY_EXIST, "tablet " + tabletId + " already has version "
                        + version + " (its version is " + header.version() + ")");
            }
            if (version > header.version() + 1) {
                throw StoreException.invalid("tablet " + tabletId + ": version " + version
                        + " would leave a gap after " + header.version());
            }
            Path txnDir = tablet.pendingDir(txnId);
            List<Path> linked = new ArrayList<>();
            try {
                for (RowsetFile file : pending.files()) {
                    Path target = tablet.dir().resolve(file.name());
                    Files.deleteIfExists(target); // an orphan of an interrupted publish; no header lists it
                    Files.createLink(target, txnDir.resolve(file.name()));
                    linked.add(target);
                }
                if (!linked.isEmpty()) {
                    DurableFiles.fsyncDirectory(tablet.dir());
                }
                commit(tablet, header.withPublished(pending.publishedAs(version), txnId));
            } catch (IOException | RuntimeException e) {
                linked.forEach(DurableFiles::deleteQuietly);
                if (e instanceof StoreException store) {
                    throw store;
                }
                throw StoreException.io("tablet " + tabletId + ": cannot publish txn " + txnId, e);
            }
            tablet.pending.remove(txnId);
            deletePendingDir(txnDir);
            log.info("tablet {}: published txn {} as version {} ({} rows)", tabletId, txnId, version,
                    pending.rowCount());
            return TabletMeta.of(tablet.header());
        });
    }

    /**
     * Drops the pending rowset of {@code txnId}; nothing to drop is fine.
     *
     * @throws StoreException TABLET_MISSING; ILLEGAL_STATE when the transaction was already published
     */
    public void abort(long tabletId, long txnId) {
        ensureOpen();
        Tablet tablet = require(tabletId);
        underWriteLock(tablet, () -> {
            OptionalLong published = tablet.header().publishedVersionOf(txnId);
            if (published.isPresent()) {
                throw new StoreException(TStatusCode.ILLEGAL_STATE, "tablet " + tabletId + ": txn " + txnId
                        + " was already published as version " + published.getAsLong() + "; it cannot be aborted");
            }
            PendingRowset dropped = tablet.pending.remove(txnId);
            deletePendingDir(tablet.pendingDir(txnId));
            if (dropped != null) {
                log.info("tablet {}: aborted txn {} ({} rows dropped)", tabletId, txnId, dropped.rowCount());
            }
            return null;
        });
    }

    // ------------------------------------------------------------------------------------------- compaction

    /**
     * Merges adjacent rowsets as {@link CompactionPolicy} picks them: the rows are read back and written as one
     * rowset {@code [a-b]}, the header swaps atomically, and the old files are deleted (snapshots hold hard links,
     * so theirs survive).
     *
     * @return the new rowset, or empty when there is nothing to merge
     */
    public Optional<RowsetMeta> compact(long tabletId) {
        ensureOpen();
        Tablet tablet = require(tabletId);
        tablet.compaction.lock();
        try {
            List<RowsetMeta> inputs = underReadLock(tablet, () -> CompactionPolicy.pick(tablet.header().rowsets()));
            if (inputs.isEmpty()) {
                return Optional.empty();
            }
            RowsetMeta merged;
            try {
                merged = RowsetMerger.merge(tablet.dir(), rowsetIds.next(), tablet.header().schema(), inputs);
            } catch (IOException e) {
                throw StoreException.io("tablet " + tabletId + ": cannot merge rowsets " + VersionPath.ranges(inputs), e);
            }
            underWriteLock(tablet, () -> {
                try {
                    TabletHeader header = tablet.header();
                    if (!header.rowsets().containsAll(inputs)) {
                        throw new StoreException(TStatusCode.ILLEGAL_STATE, "tablet " + tabletId + ": rowsets "
                                + VersionPath.ranges(inputs) + " changed while they were merged");
                    }
                    commit(tablet, header.withCompacted(inputs, merged));
                } catch (RuntimeException e) {
                    deleteFiles(tablet.dir(), merged.files());
                    throw e;
                }
                return null;
            });
            inputs.forEach(input -> deleteFiles(tablet.dir(), input.files()));
            log.info("tablet {}: compacted {} into {} ({} rows, {} bytes)", tabletId, VersionPath.ranges(inputs),
                    merged.versionRange(), merged.rowCount(), merged.dataSize());
            return Optional.of(merged);
        } finally {
            tablet.compaction.unlock();
        }
    }

    /**
     * Compacts every tablet with at least {@code compactionMinRowsets} rowsets (what the background compaction
     * runs every {@code compactionInterval}); returns how many compactions happened.
     */
    public int compactDue() {
        int compacted = 0;
        for (Tablet tablet : List.copyOf(tablets.values())) {
            if (closed) {
                break;
            }
            if (tablet.header().rowsets().size() < config.compactionMinRowsets()) {
                continue;
            }
            try {
                if (compact(tablet.id).isPresent()) {
                    compacted++;
                }
            } catch (StoreException e) {
                log.warn("tablet {}: compaction failed: {}", tablet.id, e.getMessage());
            }
        }
        return compacted;
    }

    // -------------------------------------------------------------------------------------------- snapshots

    /**
     * MAKE_SNAPSHOT: hard-links the rowset files covering exactly {@code [0-version]} (the shortest chain of
     * rowsets) into {@code <snapshot root>/<tabletId>/<schemaHash>/}, with a header {@code <tabletId>.hdr} listing
     * only those rowsets and {@code version}. On any failure the snapshot root is removed.
     *
     * @param timeoutSeconds lifetime of the snapshot; {@code <= 0} means the configured default
     * @throws StoreException TABLET_MISSING when the tablet is absent or has another schema hash;
     *                        NOT_IMPLEMENTED_ERROR when it is cooled down; INVALID_ARGUMENT when {@code version}
     *                        is negative or above the tablet's version; OLAP_ERR_VERSION_ALREADY_MERGED when
     *                        compaction merged across {@code version}
     */
    public Snapshot makeSnapshot(long tabletId, int schemaHash, long version, long timeoutSeconds) {
        ensureOpen();
        long timeout = timeoutSeconds > 0 ? timeoutSeconds : config.defaultSnapshotTimeoutSeconds();
        Tablet tablet = require(tabletId);
        return underReadLock(tablet, () -> {
            TabletHeader header = tablet.header();
            if (header.schemaHash() != schemaHash) {
                throw new StoreException(TStatusCode.TABLET_MISSING, "tablet " + tabletId + " has schema hash "
                        + header.schemaHash() + ", not " + schemaHash);
            }
            if (header.cooledDown()) {
                throw new StoreException(TStatusCode.NOT_IMPLEMENTED_ERROR,
                        "currently not support backup tablet with cooldowned remote data");
            }
            if (version < 0) {
                throw StoreException.invalid("tablet " + tabletId + ": snapshot version " + version + " is negative");
            }
            if (version > header.version()) {
                throw StoreException.invalid("tablet " + tabletId + ": snapshot version " + version
                        + " is above the tablet's version " + header.version());
            }
            List<RowsetMeta> captured = VersionPath.capture(tabletId, header.rowsets(), version);
            Path snapshotRoot = null;
            try {
                snapshotRoot = snapshots.createRoot(Instant.now(), timeout);
                Path tabletDir = snapshotRoot.resolve(Long.toString(tabletId)).resolve(Integer.toString(schemaHash));
                Files.createDirectories(tabletDir);
                for (RowsetMeta rowset : captured) {
                    for (RowsetFile file : rowset.files()) {
                        Files.createLink(tabletDir.resolve(file.name()), tablet.dir().resolve(file.name()));
                    }
                }
                ContentChecksum checksum = RowsetRows.recorded(tabletId, tablet.dir(), header.schema(), captured);
                TabletFiles.writeHeader(tabletDir, header.forSnapshot(version, captured));
                List<String> files;
                try (Stream<Path> listing = Files.list(tabletDir)) {
                    files = listing.map(p -> p.getFileName().toString()).sorted().toList();
                }
                log.info("tablet {}: snapshot of version {} ({} rowsets {}, {}) at {}", tabletId, version,
                        captured.size(), VersionPath.ranges(captured), checksum, snapshotRoot);
                return new Snapshot(snapshotRoot, tabletDir, files, checksum);
            } catch (IOException | RuntimeException e) {
                DurableFiles.deleteQuietly(snapshotRoot);
                if (e instanceof StoreException store) {
                    throw store;
                }
                throw StoreException.io("tablet " + tabletId + ": cannot make a snapshot of version " + version, e);
            }
        });
    }

    /**
     * RELEASE_SNAPSHOT: deletes a snapshot root. The path must resolve, after normalisation and symbolic-link
     * resolution, to a direct child of {@link #snapshotRoot()}; an absent one is already released.
     *
     * @throws StoreException INVALID_ARGUMENT (and nothing is deleted) for any other path
     */
    public void releaseSnapshot(String snapshotPath) {
        ensureOpen();
        snapshots.release(snapshotPath);
    }

    /**
     * For UPLOAD: checks that {@code path} is {@code <snapshot root>/<id>/<tabletId>/<schemaHash>} and exists.
     *
     * @return its real path
     * @throws StoreException INVALID_ARGUMENT when it is anything else; NOT_FOUND when it does not exist
     */
    public Path requireSnapshotTabletDir(String path) {
        return snapshots.requireTabletDir(path);
    }

    /**
     * For UPLOAD: the md5 and size recorded for each rowset file of a snapshot tablet dir when the file was written,
     * read from the snapshot's header, so an upload need not hash the files again. Files the header does not list
     * (the header itself) are absent from the map.
     *
     * @param snapshotTabletDir a dir returned by {@link #requireSnapshotTabletDir}
     */
    public Map<String, RowsetFile> recordedFiles(Path snapshotTabletDir) {
        Path headerFile;
        try (Stream<Path> listing = Files.list(snapshotTabletDir)) {
            headerFile = listing.filter(p -> p.getFileName().toString().endsWith(".hdr")).findFirst().orElse(null);
        } catch (IOException e) {
            throw StoreException.io("cannot list snapshot dir " + snapshotTabletDir, e);
        }
        if (headerFile == null) {
            return Map.of();
        }
        try {
            Map<String, RowsetFile> files = new HashMap<>();
            for (RowsetMeta rowset : TabletFiles.readHeader(headerFile).rowsets()) {
                rowset.files().forEach(f -> files.put(f.name(), f));
            }
            return files;
        } catch (IOException e) {
            throw StoreException.io("cannot read the snapshot header " + headerFile, e);
        }
    }

    /**
     * Doris's LocalSnapshotLock: holds the lock of one snapshot tablet dir (DOWNLOAD into it and MOVE out of it never
     * overlap) until the handle is closed.
     */
    public SnapshotPathLock lockSnapshotPath(Path snapshotTabletDir) {
        return snapshotLocks.lock(snapshotTabletDir);
    }

    /**
     * MOVE (restore commit): replaces the tablet's data by the downloaded snapshot dir {@code src}
     * ({@code <snapshot root>/<tabletId>/<schemaHash>}), under fresh rowset ids; the tablet then holds the backup's
     * rows at the backup's version (next version = version + 1) and keeps its own identity. Atomic and crash-safe per
     * tablet (see {@link SnapshotMover}); a snapshot already moved ({@code LOADED}) answers at once.
     *
     * @throws StoreException INVALID_ARGUMENT "Could not find tablet"; INTERNAL_ERROR with Doris's messages for bad
     *                        paths, {@code overwrite=false}, an unreadable snapshot, a tablet busy compacting
     */
    public TabletMeta move(long tabletId, int schemaHash, String src, long jobId, boolean overwrite)
            throws InterruptedException {
        ensureOpen();
        Tablet tablet = tablets.get(tabletId);
        if (tablet == null || tablet.header().schemaHash() != schemaHash) {
            throw StoreException.invalid("Could not find tablet");
        }
        return mover.move(tablet, src, jobId, overwrite);
    }

    // ------------------------------------------------------------------------------------ checksums and rows

    /**
     * The tablet's rows and content checksum at {@code version}: the sum over the rowsets on its version path of what
     * each recorded when it was written (a rowset from before checksums has its rows read, see
     * {@link RowsetRows#recorded}).
     *
     * @throws StoreException TABLET_MISSING; INVALID_ARGUMENT when {@code version} is above the tablet's;
     *                        OLAP_ERR_VERSION_ALREADY_MERGED when compaction merged across it
     */
    public ContentChecksum checksum(long tabletId, long version) {
        ensureOpen();
        Tablet tablet = require(tabletId);
        return underReadLock(tablet, () -> {
            List<RowsetMeta> path = versionPath(tablet, version);
            return RowsetRows.recorded(tabletId, tablet.dir(), tablet.header().schema(), path);
        });
    }

    /**
     * CHECK_CONSISTENCY: reads every row of the tablet at {@code version} back from its files and computes their
     * checksum, trusting nothing recorded; the recorded one comes along, so a difference is reported (and logged), not
     * repaired.
     *
     * @throws StoreException TABLET_MISSING (also for another schema hash); INVALID_ARGUMENT when {@code version} is
     *                        above the tablet's; OLAP_ERR_VERSION_ALREADY_MERGED; IO_ERROR when a file cannot be read
     */
    public ConsistencyCheck checkConsistency(long tabletId, int schemaHash, long version) {
        ensureOpen();
        Tablet tablet = require(tabletId);
        ConsistencyCheck check = underReadLock(tablet, () -> {
            TabletHeader header = tablet.header();
            if (schemaHash > 0 && header.schemaHash() != schemaHash) {
                throw new StoreException(TStatusCode.TABLET_MISSING, "tablet " + tabletId + " has schema hash "
                        + header.schemaHash() + ", not " + schemaHash);
            }
            List<RowsetMeta> path = versionPath(tablet, version);
            ContentChecksum recomputed = RowsetRows.recompute(tabletId, tablet.dir(), header.schema(), path);
            boolean allRecorded = path.stream().allMatch(r -> r.contentChecksum() != null);
            Optional<ContentChecksum> recorded = allRecorded
                    ? Optional.of(RowsetRows.recorded(tabletId, tablet.dir(), header.schema(), path)) : Optional.empty();
            return new ConsistencyCheck(version, recomputed, recorded);
        });
        if (!check.matchesRecorded()) {
            log.error("tablet {}: the rows at version {} read back as {}, but its rowsets recorded {}", tabletId,
                    version, check.recomputed(), check.recorded().orElseThrow());
        }
        return check;
    }

    /**
     * A page of the tablet's rows at {@code version}, in version order: {@code limit} rows after the first
     * {@code offset}. Pages of one version taken one after another list every row once, compaction in between or not
     * (merging keeps the rows' order), unless compaction merged across {@code version}.
     *
     * @throws StoreException TABLET_MISSING; INVALID_ARGUMENT for a negative offset or limit, or a version above the
     *                        tablet's; OLAP_ERR_VERSION_ALREADY_MERGED
     */
    public RowPage readRows(long tabletId, long version, long offset, int limit) {
        ensureOpen();
        if (offset < 0 || limit < 0) {
            throw StoreException.invalid("offset " + offset + " and limit " + limit + " must not be negative");
        }
        Tablet tablet = require(tabletId);
        return underReadLock(tablet, () -> {
            TabletSchema schema = tablet.header().schema();
            List<RowsetMeta> path = versionPath(tablet, version);
            long total = path.stream().mapToLong(RowsetMeta::rowCount).sum();
            List<Object[]> rows = RowsetRows.page(tabletId, tablet.dir(), schema, path, offset, limit);
            long next = offset + rows.size();
            return new RowPage(schema.rowSchema(), rows, next, next >= total);
        });
    }

    private static List<RowsetMeta> versionPath(Tablet tablet, long version) {
        TabletHeader header = tablet.header();
        if (version < 0 || version > header.version()) {
            throw StoreException.invalid("tablet " + tablet.id + ": version " + version + " is not in 0.."
                    + header.version());
        }
        return VersionPath.capture(tablet.id, header.rowsets(), version);
    }

    /**
     * The rows of the tablet's published rowsets in version order: for checks and tests, not a query path.
     *
     * @throws StoreException TABLET_MISSING; IO_ERROR when a rowset file cannot be read
     */
    public List<org.apache.avro.generic.GenericRecord> readRows(long tabletId) {
        ensureOpen();
        Tablet tablet = require(tabletId);
        return underReadLock(tablet, () -> {
            var datumReader = RowsetReader.datumReader(tablet.header().schema().toAvroSchema());
            List<org.apache.avro.generic.GenericRecord> rows = new ArrayList<>();
            for (RowsetMeta rowset : tablet.header().rowsets()) {
                for (RowsetFile file : rowset.files()) {
                    try (var reader = new org.apache.avro.file.DataFileReader<org.apache.avro.generic.GenericRecord>(
                            tablet.dir().resolve(file.name()).toFile(), datumReader)) {
                        reader.forEach(rows::add);
                    } catch (IOException e) {
                        throw StoreException.io("tablet " + tabletId + ": cannot read " + file.name(), e);
                    }
                }
            }
            return rows;
        });
    }

    /**
     * Deletes the snapshot roots whose name's time plus timeout is not after {@code now}; names that are not
     * {@code <yyyyMMddHHmmss>.<seq>.<timeout>} are left alone. Also runs every {@code sweepInterval}.
     *
     * @return how many roots were deleted
     */
    public int sweepExpiredSnapshots(Instant now) {
        ensureOpen();
        return snapshots.sweep(now);
    }

    /** The existing snapshot roots. */
    public List<Path> snapshots() {
        return snapshots.roots();
    }

    /** Stops the background compaction and sweeper and releases the store's lock. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        maintenance.shutdown();
        try {
            if (!maintenance.awaitTermination(30, TimeUnit.SECONDS)) {
                maintenance.shutdownNow();
            }
        } catch (InterruptedException e) {
            maintenance.shutdownNow();
            Thread.currentThread().interrupt();
        }
        try {
            fileLock.release();
        } catch (IOException e) {
            log.warn("cannot release the lock of {}: {}", root, e.toString());
        }
        closeQuietly(lockChannel);
        log.info("closed tablet store {}", root);
    }

    // -------------------------------------------------------------------------------------------- internals

    private void compactDueInBackground() {
        try {
            int compacted = compactDue();
            if (compacted > 0) {
                log.debug("background compaction merged rowsets of {} tablets", compacted);
            }
        } catch (RuntimeException e) {
            log.warn("background compaction failed: {}", e.toString());
        }
    }

    private void sweepInBackground() {
        try {
            snapshots.sweep(Instant.now());
        } catch (RuntimeException e) {
            log.warn("snapshot sweep failed: {}", e.toString());
        }
    }

    /** Finishes the deletion of dropped tablets a crash interrupted. */
    private static void emptyDroppedTablets(Path trash) throws IOException {
        try (Stream<Path> leftovers = Files.list(trash)) {
            leftovers.filter(p -> p.getFileName().toString().startsWith(DROPPED_PREFIX))
                    .forEach(DurableFiles::deleteQuietly);
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new StoreException(TStatusCode.ILLEGAL_STATE, "tablet store " + root + " is closed");
        }
    }

    private Tablet require(long tabletId) {
        Tablet tablet = tablets.get(tabletId);
        if (tablet == null) {
            throw new StoreException(TStatusCode.TABLET_MISSING, "tablet " + tabletId + " not found");
        }
        return tablet;
    }

    private static void rejectPublished(TabletHeader header, long txnId) {
        OptionalLong published = header.publishedVersionOf(txnId);
        if (published.isPresent()) {
            throw new StoreException(TStatusCode.ALREADY_EXIST, "tablet " + header.tabletId() + ": txn " + txnId
                    + " was already published as version " + published.getAsLong());
        }
    }

    /** Writes the header (the commit point), then makes it the tablet's current state. Under the write lock. */
    private static void commit(Tablet tablet, TabletHeader next) {
        try {
            TabletFiles.writeHeader(tablet.dir(), next);
        } catch (IOException e) {
            throw StoreException.io("tablet " + tablet.id + ": cannot write its header", e);
        }
        tablet.header(next);
    }

    private static void deleteFiles(Path dir, List<RowsetFile> files) {
        files.forEach(file -> DurableFiles.deleteQuietly(dir.resolve(file.name())));
    }

    /** The manifest goes first: without it, whatever is left is an incomplete write that the next open removes. */
    private static void deletePendingDir(Path txnDir) {
        try {
            Files.deleteIfExists(txnDir.resolve(PendingRowset.MANIFEST));
        } catch (IOException e) {
            log.warn("cannot delete {}: {}", txnDir.resolve(PendingRowset.MANIFEST), e.toString());
        }
        DurableFiles.deleteQuietly(txnDir);
    }

    private interface Action<T> {
        T run();
    }

    private static <T> T underWriteLock(Tablet tablet, Action<T> action) {
        return locked(tablet.lock.writeLock(), action);
    }

    private static <T> T underReadLock(Tablet tablet, Action<T> action) {
        return locked(tablet.lock.readLock(), action);
    }

    private static <T> T locked(Lock lock, Action<T> action) {
        lock.lock();
        try {
            return action.run();
        } finally {
            lock.unlock();
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // nothing more to do
            }
        }
    }
}
