package io.snapbus.agent.ownership;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class OwnershipTest {

    @Test
    void aBackendMapsToThePartitionKafkasDefaultPartitionerPicksForItsKey() {
        for (long backendId = 10_000; backendId < 10_500; backendId++) {
            byte[] key = Long.toString(backendId).getBytes(StandardCharsets.UTF_8);
            assertThat(Ownership.partitionOf(backendId, 12))
                    .isEqualTo(BuiltInPartitioner.partitionForKey(key, 12));
        }
    }

    @Test
    void theEpochGrowsWithEveryAssignmentAndRevokedPartitionsAreNoLongerOwned() {
        Ownership ownership = new Ownership();
        long backend = 10_001;
        int partition = Ownership.partitionOf(backend, 12);
        assertThat(ownership.owns(backend)).isFalse();

        ownership.assigned(List.of(new TopicPartition("t", partition)), 12, 3);
        assertThat(ownership.owns(backend)).isTrue();
        assertThat(ownership.current().epoch()).isEqualTo(3);

        ownership.revoked(List.of(new TopicPartition("t", partition)));
        assertThat(ownership.owns(backend)).isFalse();

        ownership.assigned(List.of(new TopicPartition("t", partition)), 12, -1);
        assertThat(ownership.current().epoch()).as("no generation known: still newer").isEqualTo(4);
    }
}
