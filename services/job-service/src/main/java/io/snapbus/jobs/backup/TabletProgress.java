package io.snapbus.jobs.backup;

import io.snapbus.rows.ContentChecksum;
import java.util.ArrayList;
import java.util.List;

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
 */
public record TabletProgress(BackupPlan.PlannedTablet tablet, Phase phase, String snapshotPath, List<String> files,
        List<Long> triedBackendIds, long bytes, ContentChecksum checksum) {
    /** Where a tablet is. */
    public enum Phase { SNAPSHOT_PENDING, SNAPSHOT_DONE, UPLOADED }

    public TabletProgress {
        files = files == null ? List.of() : List.copyOf(files);
        triedBackendIds = triedBackendIds == null ? List.of() : List.copyOf(triedBackendIds);
    }

    public TabletProgress(BackupPlan.PlannedTablet tablet, Phase phase, String snapshotPath, List<String> files) {
        this(tablet, phase, snapshotPath, files, List.of(), 0, null);
    }

    public TabletProgress(BackupPlan.PlannedTablet tablet, Phase phase, String snapshotPath, List<String> files,
            List<Long> triedBackendIds, long bytes) {
        this(tablet, phase, snapshotPath, files, triedBackendIds, bytes, null);
    }

    static TabletProgress pending(BackupPlan.PlannedTablet tablet) {
        return new TabletProgress(tablet, Phase.SNAPSHOT_PENDING, null, List.of(), List.of(), 0, null);
    }

    TabletProgress snapshotted(String path, List<String> snapshotFiles, ContentChecksum snapshotChecksum) {
        return new TabletProgress(tablet, Phase.SNAPSHOT_DONE, path, snapshotFiles, triedBackendIds, 0,
                snapshotChecksum);
    }

    TabletProgress uploaded(List<String> checksummedFiles, long repositoryBytes) {
        return new TabletProgress(tablet, Phase.UPLOADED, snapshotPath, checksummedFiles, triedBackendIds,
                repositoryBytes, checksum);
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

    long tabletId() {
        return tablet.ref().getTabletId();
    }
}
