package io.snapbus.node.tablet;

import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Doris's {@code LocalSnapshotLock}: one lock per snapshot tablet dir, so a DOWNLOAD into a dir and a MOVE out of it
 * (or two re-sent DOWNLOADs) never overlap. Locks are kept for the life of the store; there are few such dirs.
 */
final class SnapshotLocks {
    private final ConcurrentHashMap<Path, ReentrantLock> locks = new ConcurrentHashMap<>();

    /** Held until the returned handle is closed. */
    SnapshotPathLock lock(Path snapshotTabletDir) {
        ReentrantLock lock = locks.computeIfAbsent(snapshotTabletDir.toAbsolutePath().normalize(),
                p -> new ReentrantLock());
        lock.lock();
        return lock::unlock;
    }
}
