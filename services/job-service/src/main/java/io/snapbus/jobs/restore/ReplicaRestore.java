package io.snapbus.jobs.restore;

import io.snapbus.avro.TabletRef;
import io.snapbus.rows.ContentChecksum;

/**
 * One replica a restore creates and fills, the unit of its tasks: CREATE, MAKE_SNAPSHOT (version -1: a dir to download
 * into), DOWNLOAD of the backed-up tablet's files, MOVE into the replica, CHECK_CONSISTENCY.
 *
 * @param tablet       the new tablet (its table, partition and index as the restore plans them)
 * @param bucket       the tablet's position in its index (what pairs it with the backed-up tablet)
 * @param source       the backed-up tablet whose repository dir the replica downloads
 * @param version      the backup's visible version of the partition: the replica is created at it and ends at it
 * @param expected     the backed-up tablet's rows and content checksum at that version; null when not recorded
 * @param snapshotPath once SNAPSHOTTED, the restore snapshot root on the node
 * @param checksum     once CHECKED, the rows and content checksum the node read back
 * @param bytesDownloaded bytes the replica's download fetched (its share of the task's)
 */
public record ReplicaRestore(long replicaId, long backendId, TabletRef tablet, int bucket, TabletRef source,
        long version, ContentChecksum expected, Phase phase, String snapshotPath, ContentChecksum checksum,
        long bytesDownloaded) {

    /** How far the replica is; each phase is persisted, so a resumed job redoes nothing finished. */
    public enum Phase { CREATE_PENDING, CREATED, SNAPSHOTTED, DOWNLOADED, MOVED, CHECKED }

    /** A replica to create. */
    public static ReplicaRestore planned(long replicaId, long backendId, TabletRef tablet, int bucket,
            TabletRef source, long version, ContentChecksum expected) {
        return new ReplicaRestore(replicaId, backendId, tablet, bucket, source, version, expected,
                Phase.CREATE_PENDING, null, null, 0);
    }

    public long tabletId() {
        return tablet.getTabletId();
    }

    /** Whether the replica has reached {@code p} (or gone past it). */
    public boolean reached(Phase p) {
        return phase.compareTo(p) >= 0;
    }

    public ReplicaRestore created() {
        return at(Phase.CREATED);
    }

    public ReplicaRestore snapshotted(String path) {
        return new ReplicaRestore(replicaId, backendId, tablet, bucket, source, version, expected, Phase.SNAPSHOTTED,
                path, checksum, bytesDownloaded);
    }

    public ReplicaRestore downloaded(long bytes) {
        return new ReplicaRestore(replicaId, backendId, tablet, bucket, source, version, expected, Phase.DOWNLOADED,
                snapshotPath, checksum, bytes);
    }

    public ReplicaRestore moved() {
        return at(Phase.MOVED);
    }

    public ReplicaRestore checked(ContentChecksum read) {
        return new ReplicaRestore(replicaId, backendId, tablet, bucket, source, version, expected, Phase.CHECKED,
                snapshotPath, read, bytesDownloaded);
    }

    /** The local snapshot tablet dir a DOWNLOAD fills and a MOVE takes: {@code <root>/<tablet>/<schema hash>}. */
    public String snapshotTabletDir() {
        return snapshotPath + "/" + tablet.getTabletId() + "/" + tablet.getSchemaHash();
    }

    private ReplicaRestore at(Phase p) {
        return new ReplicaRestore(replicaId, backendId, tablet, bucket, source, version, expected, p, snapshotPath,
                checksum, bytesDownloaded);
    }
}
