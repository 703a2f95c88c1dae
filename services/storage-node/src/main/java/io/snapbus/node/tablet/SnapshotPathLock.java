package io.snapbus.node.tablet;

/** A held lock on one snapshot tablet dir (Doris's LocalSnapshotLock); closing releases it. */
public interface SnapshotPathLock extends AutoCloseable {
    @Override
    void close();
}
