package io.snapbus.jobs.backup;

import io.snapbus.jobs.engine.PackedNames;
import io.snapbus.rows.ContentChecksum;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One tablet's way through a backup.
 *
 * @param tablet          the tablet with the replica it is (now) snapshotted on
 * @param snapshotPath    the snapshot root on the node once MAKE_SNAPSHOT succeeded
 * @param files           the snapshot's file names; after upload the {@code <file>.<md5>} names
 * @param triedBackendIds backends whose replica answered TABLET_MISSING; never chosen again for this tablet
 * @param bytes           once UPLOADED, the bytes its files take in the repository (0 before, and in jobs persisted
 *                        before it was recorded)
 * @param checksum        once snapshotted, the tablet's rows and content checksum at the backup's version as the node
 *                        reported them; {@code null} before, and from nodes or persisted jobs without them
 *
 * <p>A value with the accessors of a record, kept compact because a job holds one per tablet (a million of them):
 * the snapshot path's directory is shared with the node's other snapshots, the rest of the path and the file names
 * sit packed in one array ({@link PackedNames}), the checksum in two longs. About 190 bytes instead of ~530.
 */
public final class TabletProgress {
    /** Where a tablet is. */
    public enum Phase { SNAPSHOT_PENDING, SNAPSHOT_DONE, UPLOADED }

    private static final byte[] NO_NAMES = PackedNames.pack(java.util.Collections.singletonList(null));

    private final BackupPlan.PlannedTablet tablet;
    private final Phase phase;
    /** The snapshot path's directory (shared), or null. */
    private final String pathPrefix;
    /** The rest of the snapshot path (null when there is none), then the file names. */
    private final byte[] names;
    private final List<Long> triedBackendIds;
    private final long bytes;
    private final boolean hasChecksum;
    private final long rows;
    private final long checksum;

    public TabletProgress(BackupPlan.PlannedTablet tablet, Phase phase, String snapshotPath, List<String> files,
            List<Long> triedBackendIds, long bytes, ContentChecksum checksum) {
        this.tablet = tablet;
        this.phase = phase;
        this.pathPrefix = snapshotPath == null ? null : PackedNames.sharedPrefix(snapshotPath);
        String tail = snapshotPath == null ? null
                : snapshotPath.substring(pathPrefix == null ? 0 : pathPrefix.length());
        if (tail == null && (files == null || files.isEmpty())) {
            this.names = NO_NAMES;
        } else {
            List<String> all = new ArrayList<>(1 + (files == null ? 0 : files.size()));
            all.add(tail);
            if (files != null) {
                files.forEach(f -> all.add(Objects.requireNonNull(f, "a file name")));
            }
            this.names = PackedNames.pack(all);
        }
        this.triedBackendIds = triedBackendIds == null || triedBackendIds.isEmpty() ? List.of()
                : List.copyOf(triedBackendIds);
        this.bytes = bytes;
        this.hasChecksum = checksum != null;
        this.rows = checksum == null ? 0 : checksum.rows();
        this.checksum = checksum == null ? 0 : checksum.checksum();
    }

    public TabletProgress(BackupPlan.PlannedTablet tablet, Phase phase, String snapshotPath, List<String> files) {
        this(tablet, phase, snapshotPath, files, List.of(), 0, null);
    }

    public TabletProgress(BackupPlan.PlannedTablet tablet, Phase phase, String snapshotPath, List<String> files,
            List<Long> triedBackendIds, long bytes) {
        this(tablet, phase, snapshotPath, files, triedBackendIds, bytes, null);
    }

    public BackupPlan.PlannedTablet tablet() {
        return tablet;
    }

    public Phase phase() {
        return phase;
    }

    public String snapshotPath() {
        String tail = PackedNames.get(names, 0);
        return tail == null ? null : pathPrefix == null ? tail : pathPrefix + tail;
    }

    /** The file names (unpacked on each call). */
    public List<String> files() {
        return PackedNames.unpack(names, 1);
    }

    /** How many files {@link #files()} has, without unpacking them. */
    public int fileCount() {
        return PackedNames.count(names) - 1;
    }

    public List<Long> triedBackendIds() {
        return triedBackendIds;
    }

    public long bytes() {
        return bytes;
    }

    public ContentChecksum checksum() {
        return hasChecksum ? new ContentChecksum(rows, checksum) : null;
    }

    static TabletProgress pending(BackupPlan.PlannedTablet tablet) {
        return new TabletProgress(tablet, Phase.SNAPSHOT_PENDING, null, List.of(), List.of(), 0, null);
    }

    TabletProgress snapshotted(String path, List<String> snapshotFiles, ContentChecksum snapshotChecksum) {
        return new TabletProgress(tablet, Phase.SNAPSHOT_DONE, path, snapshotFiles, triedBackendIds, 0,
                snapshotChecksum);
    }

    TabletProgress uploaded(List<String> checksummedFiles, long repositoryBytes) {
        return new TabletProgress(tablet, Phase.UPLOADED, snapshotPath(), checksummedFiles, triedBackendIds,
                repositoryBytes, checksum());
    }

    /** The replica on {@code failedBackend} lost the tablet; it is snapshotted on {@code replica} instead. */
    TabletProgress movedTo(ReplicaInfo replica, long failedBackend) {
        List<Long> tried = new ArrayList<>(triedBackendIds);
        if (!tried.contains(failedBackend)) {
            tried.add(failedBackend);
        }
        BackupPlan.PlannedTablet moved = new BackupPlan.PlannedTablet(tablet.ref(), tablet.version(),
                replica.backendId(), replica.replicaId());
        return new TabletProgress(moved, Phase.SNAPSHOT_PENDING, null, List.of(), tried, 0, null);
    }

    public long tabletId() {
        return tablet.ref().getTabletId();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TabletProgress t && tablet.equals(t.tablet) && phase == t.phase
                && Objects.equals(pathPrefix, t.pathPrefix) && Arrays.equals(names, t.names)
                && triedBackendIds.equals(t.triedBackendIds) && bytes == t.bytes && hasChecksum == t.hasChecksum
                && rows == t.rows && checksum == t.checksum;
    }

    @Override
    public int hashCode() {
        return Objects.hash(tablet, phase, pathPrefix, Arrays.hashCode(names), triedBackendIds, bytes, hasChecksum,
                rows, checksum);
    }

    @Override
    public String toString() {
        return "TabletProgress[tablet=" + tablet + ", phase=" + phase + ", snapshotPath=" + snapshotPath()
                + ", files=" + files() + ", triedBackendIds=" + triedBackendIds + ", bytes=" + bytes + ", checksum="
                + checksum() + "]";
    }
}
