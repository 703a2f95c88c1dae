package io.snapbus.node.tablet;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Settings of a {@link TabletStore}.
 *
 * @param compactionMinRowsets          a tablet with at least this many rowsets is due for compaction (5)
 * @param compactionInterval            how often the background compaction looks for due tablets (60 s)
 * @param compactionEnabled             whether background compaction runs at all; {@link TabletStore#compact}
 *                                      works either way (true)
 * @param defaultSnapshotTimeoutSeconds lifetime of a snapshot whose request has no timeout; Doris's
 *                                      {@code snapshot_expire_time_sec} (172800 = 2 days)
 * @param sweepInterval                 how often expired snapshot roots are looked for (5 min)
 * @param debugPauseMoveAt              a debug point for tests: MOVE stops for good at this step (none)
 */
public record TabletStoreConfig(int compactionMinRowsets, Duration compactionInterval, boolean compactionEnabled,
                                long defaultSnapshotTimeoutSeconds, Duration sweepInterval,
                                Optional<MoveStep> debugPauseMoveAt) {

    public TabletStoreConfig {
        Objects.requireNonNull(compactionInterval, "compactionInterval");
        Objects.requireNonNull(sweepInterval, "sweepInterval");
        debugPauseMoveAt = debugPauseMoveAt == null ? Optional.empty() : debugPauseMoveAt;
        if (compactionMinRowsets < 2) {
            throw new IllegalArgumentException("compactionMinRowsets must be at least 2, got " + compactionMinRowsets);
        }
        if (compactionInterval.isNegative() || compactionInterval.isZero()) {
            throw new IllegalArgumentException("compactionInterval must be positive, got " + compactionInterval);
        }
        if (defaultSnapshotTimeoutSeconds <= 0) {
            throw new IllegalArgumentException("defaultSnapshotTimeoutSeconds must be positive, got "
                    + defaultSnapshotTimeoutSeconds);
        }
        if (sweepInterval.isNegative() || sweepInterval.isZero()) {
            throw new IllegalArgumentException("sweepInterval must be positive, got " + sweepInterval);
        }
    }

    public static TabletStoreConfig defaults() {
        return new TabletStoreConfig(5, Duration.ofSeconds(60), true, 172_800L, Duration.ofMinutes(5), Optional.empty());
    }

    public TabletStoreConfig withCompaction(boolean enabled, int minRowsets, Duration interval) {
        return new TabletStoreConfig(minRowsets, interval, enabled, defaultSnapshotTimeoutSeconds, sweepInterval,
                debugPauseMoveAt);
    }

    public TabletStoreConfig withCompactionEnabled(boolean enabled) {
        return withCompaction(enabled, compactionMinRowsets, compactionInterval);
    }

    public TabletStoreConfig withSnapshotExpiry(long defaultTimeoutSeconds, Duration sweepEvery) {
        return new TabletStoreConfig(compactionMinRowsets, compactionInterval, compactionEnabled, defaultTimeoutSeconds,
                sweepEvery, debugPauseMoveAt);
    }

    public TabletStoreConfig withDebugPauseMoveAt(Optional<MoveStep> step) {
        return new TabletStoreConfig(compactionMinRowsets, compactionInterval, compactionEnabled,
                defaultSnapshotTimeoutSeconds, sweepInterval, step);
    }
}
