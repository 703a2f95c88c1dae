package io.snapbus.jobs.restore;

import static org.assertj.core.api.Assertions.assertThat;

import io.snapbus.avro.TabletRef;
import io.snapbus.rows.ContentChecksum;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The compact replica gives back exactly what it was built from, and a plan's replicas share their placements. */
class ReplicaRestoreTest {
    private static final TabletRef TABLET = new TabletRef(1L, 2L, 3L, 4L, 5L, 66);
    private static final TabletRef SOURCE = new TabletRef(11L, 12L, 13L, 14L, 15L, 77);

    @Test
    void everyFieldComesBackThroughEachPhase() {
        ReplicaRestore planned = ReplicaRestore.planned(9L, 10002L, ReplicaRestore.Placement.of(TABLET), 5L, 3,
                ReplicaRestore.Placement.of(SOURCE), 15L, 8L, new ContentChecksum(100, -42));
        assertThat(planned.tablet()).isEqualTo(TABLET);
        assertThat(planned.source()).isEqualTo(SOURCE);
        assertThat(planned.tabletId()).isEqualTo(5L);
        assertThat(planned.sourceTabletId()).isEqualTo(15L);
        assertThat(planned.bucket()).isEqualTo(3);
        assertThat(planned.version()).isEqualTo(8L);
        assertThat(planned.expected()).isEqualTo(new ContentChecksum(100, -42));
        assertThat(planned.snapshotPath()).isNull();
        assertThat(planned.checksum()).isNull();

        for (String path : List.of("/data/snapshot/20240101000000.7.3600", "relative-no-slash",
                "/données/snapshot/é.1", "/ends/with/slash/")) {
            ReplicaRestore snapshotted = planned.created().snapshotted(path);
            assertThat(snapshotted.snapshotPath()).isEqualTo(path);
            assertThat(snapshotted.snapshotTabletDir()).isEqualTo(path + "/5/66");
            ReplicaRestore checked = snapshotted.downloaded(4096).moved().checked(new ContentChecksum(100, 7));
            assertThat(checked.phase()).isEqualTo(ReplicaRestore.Phase.CHECKED);
            assertThat(checked.snapshotPath()).isEqualTo(path);
            assertThat(checked.bytesDownloaded()).isEqualTo(4096);
            assertThat(checked.checksum()).isEqualTo(new ContentChecksum(100, 7));
            assertThat(checked.expected()).isEqualTo(planned.expected());
            assertThat(checked.tablet()).isEqualTo(TABLET);
            // Built anew from the same values (placements of their own), it is equal.
            assertThat(checked).isEqualTo(new ReplicaRestore(9L, 10002L, ReplicaRestore.Placement.of(TABLET), 5L, 3,
                    ReplicaRestore.Placement.of(SOURCE), 15L, 8L, new ContentChecksum(100, -42),
                    ReplicaRestore.Phase.CHECKED, path, new ContentChecksum(100, 7), 4096)).hasSameHashCodeAs(checked);
            assertThat(checked).isNotEqualTo(snapshotted);
        }
        ReplicaRestore unrecorded = ReplicaRestore.planned(9L, 10002L, ReplicaRestore.Placement.of(TABLET), 5L, 3,
                ReplicaRestore.Placement.of(SOURCE), 15L, 8L, null);
        assertThat(unrecorded.expected()).isNull();
        assertThat(unrecorded).isNotEqualTo(planned);
    }

    @Test
    void theReplicasOfOneIndexOfOnePartitionShareTheirPlacements() {
        RestoreScenario scenario = RestoreScenario.generated(4, 10, 3, false);
        Set<ReplicaRestore.Placement> distinct = scenario.replicas.stream().map(ReplicaRestore::placement)
                .collect(Collectors.toSet());
        // 4 partitions x 2 indexes, one instance each.
        assertThat(distinct).hasSize(8);
        Set<ReplicaRestore.Placement> instances = Collections.newSetFromMap(new IdentityHashMap<>());
        Set<ReplicaRestore.Placement> sourceInstances = Collections.newSetFromMap(new IdentityHashMap<>());
        scenario.replicas.forEach(r -> {
            instances.add(r.placement());
            sourceInstances.add(r.sourcePlacement());
        });
        assertThat(instances).hasSize(8);
        assertThat(sourceInstances).hasSize(8);
    }
}
