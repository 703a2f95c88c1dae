package io.snapbus.jobs.restore;

import io.snapbus.avro.Replica;
import io.snapbus.rows.ContentChecksum;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The replicas a plan creates, each paired with the backed-up tablet it downloads (Doris's genFileMapping). */
public final class RestoreReplicas {
    private RestoreReplicas() {}

    /** Every replica of every new tablet of {@code plan}, with its source tablet, its checksum from {@code info}. */
    public static List<ReplicaRestore> of(RestorePlan plan, SnapshotInfo info) {
        Map<Long, SnapshotInfo.Table> tableOfPartition = new HashMap<>();
        info.tables().values().forEach(t -> t.partitions().values().forEach(p -> tableOfPartition.put(p.id(), t)));
        Map<Long, ContentChecksum> recorded = info.tabletChecksums();
        List<ReplicaRestore> replicas = new ArrayList<>();
        ReplicaRestore.Placements placements = new ReplicaRestore.Placements();
        for (RestorePlan.TablePlan table : plan.tables()) {
            for (RestorePlan.PartitionPlan partition : table.partitions()) {
                SnapshotInfo.Table sourceTable = tableOfPartition.get(partition.source().id());
                Map<Long, SnapshotInfo.Index> indexOfTablet = new HashMap<>();
                partition.source().indexes().values().forEach(i -> i.tabletOrder().forEach(
                        id -> indexOfTablet.put(id, i)));
                long version = partition.target().getVisibleVersion();
                partition.tablets().forEach((indexId, tablets) -> {
                    for (int bucket = 0; bucket < tablets.size(); bucket++) {
                        RestorePlan.TabletPlan tablet = tablets.get(bucket);
                        SnapshotInfo.Index sourceIndex = indexOfTablet.get(tablet.sourceTabletId());
                        ReplicaRestore.Placement target = placements.of(new ReplicaRestore.Placement(
                                table.target().getDbId(), table.target().getId(), partition.target().getId(), indexId,
                                tablet.schemaHash()));
                        ReplicaRestore.Placement source = placements.of(new ReplicaRestore.Placement(info.dbId(),
                                sourceTable.id(), partition.source().id(), sourceIndex.id(), sourceIndex.schemaHash()));
                        for (Replica replica : tablet.replicas()) {
                            replicas.add(ReplicaRestore.planned(replica.getId(), replica.getBackendId(), target,
                                    tablet.tabletId(), bucket, source, tablet.sourceTabletId(), version,
                                    recorded.get(tablet.sourceTabletId())));
                        }
                    }
                });
            }
        }
        return replicas;
    }
}
