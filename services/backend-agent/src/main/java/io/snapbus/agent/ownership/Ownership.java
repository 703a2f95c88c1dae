package io.snapbus.agent.ownership;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Utils;

/**
 * Which backends this agent owns: those whose agent-tasks key (the decimal backend id) maps, by Kafka's default
 * partitioner, to a partition assigned to this agent; plus the epoch its heartbeats carry, which grows with every
 * rebalance so a node follows the newest owner.
 */
public final class Ownership {
    /** What this agent owns at one moment. */
    public record Snapshot(Set<Integer> partitions, int partitionCount, long epoch) {
        public boolean owns(long backendId) {
            return partitionCount > 0 && partitions.contains(partitionOf(backendId, partitionCount));
        }
    }

    private volatile Snapshot current = new Snapshot(Set.of(), 0, 0);

    /** The partition Kafka's default partitioner picks for a backend's records. */
    public static int partitionOf(long backendId, int partitionCount) {
        byte[] key = Long.toString(backendId).getBytes(StandardCharsets.UTF_8);
        return Utils.toPositive(Utils.murmur2(key)) % partitionCount;
    }

    public synchronized void assigned(Collection<TopicPartition> partitions, int partitionCount, long generation) {
        Set<Integer> owned = new HashSet<>(current.partitions());
        partitions.forEach(p -> owned.add(p.partition()));
        long epoch = generation > current.epoch() ? generation : current.epoch() + 1;
        current = new Snapshot(Set.copyOf(owned), partitionCount, epoch);
    }

    public synchronized void revoked(Collection<TopicPartition> partitions) {
        Set<Integer> owned = new HashSet<>(current.partitions());
        partitions.forEach(p -> owned.remove(p.partition()));
        current = new Snapshot(Set.copyOf(owned), current.partitionCount(), current.epoch());
    }

    public Snapshot current() {
        return current;
    }

    public boolean owns(long backendId) {
        return current.owns(backendId);
    }
}
