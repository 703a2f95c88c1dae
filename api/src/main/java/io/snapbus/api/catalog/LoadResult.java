package io.snapbus.api.catalog;

import java.util.List;

/**
 * What a load did: rows, the version each touched partition got, replicas that missed it, and timings. Both API
 * versions answer it.
 */
public record LoadResult(long loadId, String database, String table, long rows, List<PartitionLoad> partitions,
        long parseMs, long writeMs, long publishMs, long totalMs) {

    /** One touched partition: its new visible version, its rows, and the replicas that failed (lastFailedVersion). */
    public record PartitionLoad(String name, long partitionId, long txnId, long version, long rows,
            List<Long> failedReplicaIds) {}
}
