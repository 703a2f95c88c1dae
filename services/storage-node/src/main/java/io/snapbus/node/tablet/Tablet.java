package io.snapbus.node.tablet;

import io.snapbus.tabletformat.TabletHeader;
import io.snapbus.tabletformat.TabletSchema;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A loaded tablet: its directory, its current header and its pending transactions, with the locks that order
 * changes. Header changes (publish, compaction's swap, flags) take {@link #lock}'s write lock; snapshots take its
 * read lock while they link files, so compaction cannot delete a file a snapshot is about to link.
 * {@link #compaction} serialises compactions of the tablet without blocking loads while rows are merged.
 */
final class Tablet {
    private static final Map<TabletSchema, TabletSchema> SCHEMAS = new ConcurrentHashMap<>();

    final long id;
    /** The node's data directory, one instance for all tablets (a Path of its own per tablet was ~200 bytes). */
    private final Path data;
    final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    final ReentrantLock compaction = new ReentrantLock();
    final Map<Long, PendingRowset> pending = new ConcurrentHashMap<>();
    private volatile TabletHeader header;

    Tablet(Path data, TabletHeader header) {
        this.id = header.tabletId();
        this.data = data;
        this.header = sharingSchema(header);
    }

    /** The tablet's directory: {@code <data>/<tablet id>/<schema hash>}. */
    Path dir() {
        return data.resolve(Long.toString(id)).resolve(Integer.toString(header.schemaHash()));
    }

    TabletHeader header() {
        return header;
    }

    /** Replaces the in-memory header; call only after the new header is on disk, under the write lock. */
    void header(TabletHeader committed) {
        this.header = sharingSchema(committed);
    }

    /**
     * The header with the one copy of its schema that every tablet of the process with an equal schema holds: a
     * table's tablets have the same schema, and a copy per tablet, with its columns' names and types, was about a
     * third of a storage node's heap per tablet. Distinct schemas are few (one per table and index) and stay.
     */
    private static TabletHeader sharingSchema(TabletHeader header) {
        TabletSchema shared = SCHEMAS.computeIfAbsent(header.schema(), schema -> schema);
        return shared == header.schema() ? header : header.withSchema(shared);
    }

    Path pendingDir(long txnId) {
        return dir().resolve(TabletFiles.PENDING_DIR).resolve(Long.toString(txnId));
    }
}
