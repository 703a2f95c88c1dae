package io.snapbus.jobs.restore;

import io.snapbus.avro.TabletRef;
import io.snapbus.jobs.engine.PackedNames;
import io.snapbus.rows.ContentChecksum;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One replica a restore creates and fills, the unit of its tasks: CREATE, MAKE_SNAPSHOT (version -1: a dir to download
 * into), DOWNLOAD of the backed-up tablet's files, MOVE into the replica, CHECK_CONSISTENCY.
 *
 * <p>A value with the accessors of a record, kept compact because a job holds one per replica (a million of them): the
 * tablet's and the source tablet's database, table, partition, index and schema hash sit in a {@link Placement} shared
 * by the replicas of one index of one partition, the checksums in longs, the snapshot path's directory is shared and
 * its rest kept as bytes. Measured over a million replicas (heap after a full GC): 120 bytes a planned replica
 * and 294 a snapshotted one, against 184 and 423 as a record of two Avro tablet references, two checksums and a path.
 *
 * <ul>
 *   <li>{@code tablet}: the new tablet (its table, partition and index as the restore plans them);</li>
 *   <li>{@code bucket}: the tablet's position in its index (what pairs it with the backed-up tablet);</li>
 *   <li>{@code source}: the backed-up tablet whose repository dir the replica downloads;</li>
 *   <li>{@code version}: the backup's visible version of the partition: the replica is created at it and ends at it;</li>
 *   <li>{@code expected}: the backed-up tablet's rows and content checksum at that version; null when not recorded;</li>
 *   <li>{@code snapshotPath}: once SNAPSHOTTED, the restore snapshot root on the node;</li>
 *   <li>{@code checksum}: once CHECKED, the rows and content checksum the node read back;</li>
 *   <li>{@code bytesDownloaded}: bytes the replica's download fetched (its share of the task's).</li>
 * </ul>
 */
public final class ReplicaRestore {
    /** How far the replica is; each phase is persisted, so a resumed job redoes nothing finished. */
    public enum Phase { CREATE_PENDING, CREATED, SNAPSHOTTED, DOWNLOADED, MOVED, CHECKED }

    /** Where a tablet sits, all but its own id: the same for every tablet of one index of one partition. */
    public record Placement(long dbId, long tableId, long partitionId, long indexId, int schemaHash) {
        public static Placement of(TabletRef ref) {
            return new Placement(ref.getDbId(), ref.getTableId(), ref.getPartitionId(), ref.getIndexId(),
                    ref.getSchemaHash());
        }

        TabletRef tablet(long tabletId) {
            return new TabletRef(dbId, tableId, partitionId, indexId, tabletId, schemaHash);
        }
    }

    /** Equal placements as one instance, for building many replicas at once (a plan's, or a replayed job's). */
    public static final class Placements {
        private final Map<Placement, Placement> seen = new HashMap<>();

        public Placement of(Placement placement) {
            return seen.computeIfAbsent(placement, p -> p);
        }

        public Placement of(TabletRef ref) {
            return of(Placement.of(ref));
        }
    }

    private static final byte HAS_EXPECTED = 1;
    private static final byte HAS_CHECKSUM = 2;

    private final long replicaId;
    private final long backendId;
    private final Placement target;
    private final long tabletId;
    private final int bucket;
    private final Placement sourcePlacement;
    private final long sourceTabletId;
    private final long version;
    private final Phase phase;
    private final byte flags;
    private final long expectedRows;
    private final long expectedSum;
    private final long checkedRows;
    private final long checkedSum;
    /** The snapshot path's directory (shared), or null. */
    private final String pathPrefix;
    /** The rest of the snapshot path in UTF-8, or null when there is none. */
    private final byte[] pathTail;
    private final long bytesDownloaded;

    public ReplicaRestore(long replicaId, long backendId, Placement target, long tabletId, int bucket,
            Placement source, long sourceTabletId, long version, ContentChecksum expected, Phase phase,
            String snapshotPath, ContentChecksum checksum, long bytesDownloaded) {
        this(replicaId, backendId, target, tabletId, bucket, source, sourceTabletId, version, phase,
                (byte) ((expected != null ? HAS_EXPECTED : 0) | (checksum != null ? HAS_CHECKSUM : 0)),
                expected == null ? 0 : expected.rows(), expected == null ? 0 : expected.checksum(),
                checksum == null ? 0 : checksum.rows(), checksum == null ? 0 : checksum.checksum(),
                snapshotPath == null ? null : PackedNames.sharedPrefix(snapshotPath), tail(snapshotPath),
                bytesDownloaded);
    }

    /** Field by field: a new phase of a replica shares its path's bytes with the one before. */
    private ReplicaRestore(long replicaId, long backendId, Placement target, long tabletId, int bucket,
            Placement source, long sourceTabletId, long version, Phase phase, byte flags, long expectedRows,
            long expectedSum, long checkedRows, long checkedSum, String pathPrefix, byte[] pathTail,
            long bytesDownloaded) {
        this.replicaId = replicaId;
        this.backendId = backendId;
        this.target = Objects.requireNonNull(target, "target");
        this.tabletId = tabletId;
        this.bucket = bucket;
        this.sourcePlacement = Objects.requireNonNull(source, "source");
        this.sourceTabletId = sourceTabletId;
        this.version = version;
        this.phase = Objects.requireNonNull(phase, "phase");
        this.flags = flags;
        this.expectedRows = expectedRows;
        this.expectedSum = expectedSum;
        this.checkedRows = checkedRows;
        this.checkedSum = checkedSum;
        this.pathPrefix = pathPrefix;
        this.pathTail = pathTail;
        this.bytesDownloaded = bytesDownloaded;
    }

    /** The path after its shared directory, in UTF-8; null for none. */
    private static byte[] tail(String path) {
        if (path == null) {
            return null;
        }
        String prefix = PackedNames.sharedPrefix(path);
        return path.substring(prefix == null ? 0 : prefix.length()).getBytes(StandardCharsets.UTF_8);
    }

    /** A replica to create. */
    public static ReplicaRestore planned(long replicaId, long backendId, Placement target, long tabletId, int bucket,
            Placement source, long sourceTabletId, long version, ContentChecksum expected) {
        return new ReplicaRestore(replicaId, backendId, target, tabletId, bucket, source, sourceTabletId, version,
                expected, Phase.CREATE_PENDING, null, null, 0);
    }

    public long replicaId() {
        return replicaId;
    }

    public long backendId() {
        return backendId;
    }

    /** The new tablet (a new reference on each call). */
    public TabletRef tablet() {
        return target.tablet(tabletId);
    }

    public long tabletId() {
        return tabletId;
    }

    public Placement placement() {
        return target;
    }

    public int bucket() {
        return bucket;
    }

    /** The backed-up tablet (a new reference on each call). */
    public TabletRef source() {
        return sourcePlacement.tablet(sourceTabletId);
    }

    public long sourceTabletId() {
        return sourceTabletId;
    }

    public Placement sourcePlacement() {
        return sourcePlacement;
    }

    public long version() {
        return version;
    }

    public ContentChecksum expected() {
        return (flags & HAS_EXPECTED) != 0 ? new ContentChecksum(expectedRows, expectedSum) : null;
    }

    public Phase phase() {
        return phase;
    }

    public String snapshotPath() {
        if (pathTail == null) {
            return null;
        }
        String tail = new String(pathTail, StandardCharsets.UTF_8);
        return pathPrefix == null ? tail : pathPrefix + tail;
    }

    public ContentChecksum checksum() {
        return (flags & HAS_CHECKSUM) != 0 ? new ContentChecksum(checkedRows, checkedSum) : null;
    }

    public long bytesDownloaded() {
        return bytesDownloaded;
    }

    /** Whether the replica has reached {@code p} (or gone past it). */
    public boolean reached(Phase p) {
        return phase.compareTo(p) >= 0;
    }

    public ReplicaRestore created() {
        return at(Phase.CREATED);
    }

    public ReplicaRestore snapshotted(String path) {
        return new ReplicaRestore(replicaId, backendId, target, tabletId, bucket, sourcePlacement, sourceTabletId,
                version, expected(), Phase.SNAPSHOTTED, path, checksum(), bytesDownloaded);
    }

    public ReplicaRestore downloaded(long bytes) {
        return new ReplicaRestore(replicaId, backendId, target, tabletId, bucket, sourcePlacement, sourceTabletId,
                version, Phase.DOWNLOADED, flags, expectedRows, expectedSum, checkedRows, checkedSum, pathPrefix,
                pathTail, bytes);
    }

    public ReplicaRestore moved() {
        return at(Phase.MOVED);
    }

    public ReplicaRestore checked(ContentChecksum read) {
        return new ReplicaRestore(replicaId, backendId, target, tabletId, bucket, sourcePlacement, sourceTabletId,
                version, Phase.CHECKED, (byte) (read == null ? flags & ~HAS_CHECKSUM : flags | HAS_CHECKSUM),
                expectedRows, expectedSum, read == null ? 0 : read.rows(), read == null ? 0 : read.checksum(),
                pathPrefix, pathTail, bytesDownloaded);
    }

    /** The local snapshot tablet dir a DOWNLOAD fills and a MOVE takes: {@code <root>/<tablet>/<schema hash>}. */
    public String snapshotTabletDir() {
        return snapshotPath() + "/" + tabletId + "/" + target.schemaHash();
    }

    private ReplicaRestore at(Phase p) {
        return new ReplicaRestore(replicaId, backendId, target, tabletId, bucket, sourcePlacement, sourceTabletId,
                version, p, flags, expectedRows, expectedSum, checkedRows, checkedSum, pathPrefix, pathTail,
                bytesDownloaded);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ReplicaRestore r && replicaId == r.replicaId && backendId == r.backendId
                && tabletId == r.tabletId && bucket == r.bucket && sourceTabletId == r.sourceTabletId
                && version == r.version && phase == r.phase && flags == r.flags && expectedRows == r.expectedRows
                && expectedSum == r.expectedSum && checkedRows == r.checkedRows && checkedSum == r.checkedSum
                && bytesDownloaded == r.bytesDownloaded && target.equals(r.target)
                && sourcePlacement.equals(r.sourcePlacement) && Objects.equals(snapshotPath(), r.snapshotPath());
    }

    @Override
    public int hashCode() {
        return Objects.hash(replicaId, tabletId, phase, bytesDownloaded, checkedSum) * 31 + Arrays.hashCode(pathTail);
    }

    @Override
    public String toString() {
        return "ReplicaRestore[replica " + replicaId + " of tablet " + tabletId + " on backend " + backendId + ", "
                + phase + ", source " + sourceTabletId + ", version " + version + "]";
    }
}
