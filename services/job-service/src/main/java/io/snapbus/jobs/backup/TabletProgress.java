package io.snapbus.jobs.backup;

import java.util.ArrayList;
import java.util.List;

/**
 * One tablet's way through a backup.
 *
 * @param tablet          the tablet with the replica it is (now) snapshotted on
 * @param snapshotPath    the snapshot root on the node once MAKE_SNAPSHOT succeeded
 * @param files           the snapshot's file names; after upload the {@code <file>.<md5>} names
 * @param triedBackendIds backends whose replica answered TABLET_MISSING; never chosen again for this tablet
 */
public record TabletProgress(BackupPlan.PlannedTablet tablet, Phase phase, String snapshotPath, List<String> files,
        List<Long> triedBackendIds) {
    /** Where a tablet is. */
    public enum Phase { SNAPSHOT_PENDING, SNAPSHOT_DONE, UPLOADED }

    public TabletProgress {
        files = files == null ? List.of() : List.copyOf(files);
        triedBackendIds = triedBackendIds == null ? List.of() : List.copyOf(triedBackendIds);
    }

    public TabletProgress(BackupPlan.PlannedTablet tablet, Phase phase, String snapshotPath, List<String> files) {
        this(tablet, phase, snapshotPath, files, List.of());
    }

    static TabletProgress pending(BackupPlan.PlannedTablet tablet) {
        return new TabletProgress(tablet, Phase.SNAPSHOT_PENDING, null, List.of(), List.of());
    }

    TabletProgress snapshotted(String path, List<String> snapshotFiles) {
        return new TabletProgress(tablet, Phase.SNAPSHOT_DONE, path, snapshotFiles, triedBackendIds);
    }

    TabletProgress uploaded(List<String> checksummedFiles) {
        return new TabletProgress(tablet, Phase.UPLOADED, snapshotPath, checksummedFiles, triedBackendIds);
    }

    /** The replica on {@code failedBackend} lost the tablet; it is snapshotted on {@code replica} instead. */
    TabletProgress movedTo(ReplicaInfo replica, long failedBackend) {
        List<Long> tried = new ArrayList<>(triedBackendIds);
        if (!tried.contains(failedBackend)) {
            tried.add(failedBackend);
        }
        BackupPlan.PlannedTablet moved = new BackupPlan.PlannedTablet(tablet.ref(), tablet.version(),
                replica.backendId(), replica.replicaId());
        return new TabletProgress(moved, Phase.SNAPSHOT_PENDING, null, List.of(), tried);
    }

    long tabletId() {
        return tablet.ref().getTabletId();
    }
}
