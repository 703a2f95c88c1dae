package io.snapbus.jobs.backup;

import java.util.List;

/**
 * One tablet's way through a backup.
 *
 * @param snapshotPath the snapshot root on the node once MAKE_SNAPSHOT succeeded
 * @param files        the snapshot's file names; after upload the {@code <file>.<md5>} names
 */
public record TabletProgress(BackupPlan.PlannedTablet tablet, Phase phase, String snapshotPath, List<String> files) {
    /** Where a tablet is. */
    public enum Phase { SNAPSHOT_PENDING, SNAPSHOT_DONE, UPLOADED }

    public TabletProgress {
        files = files == null ? List.of() : List.copyOf(files);
    }

    static TabletProgress pending(BackupPlan.PlannedTablet tablet) {
        return new TabletProgress(tablet, Phase.SNAPSHOT_PENDING, null, List.of());
    }

    TabletProgress snapshotted(String path, List<String> snapshotFiles) {
        return new TabletProgress(tablet, Phase.SNAPSHOT_DONE, path, snapshotFiles);
    }

    TabletProgress uploaded(List<String> checksummedFiles) {
        return new TabletProgress(tablet, Phase.UPLOADED, snapshotPath, checksummedFiles);
    }

    long tabletId() {
        return tablet.ref().getTabletId();
    }
}
