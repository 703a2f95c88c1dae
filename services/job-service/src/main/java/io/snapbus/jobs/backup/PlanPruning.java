package io.snapbus.jobs.backup;

import io.snapbus.avro.OlapTableDef;
import io.snapbus.avro.PartitionDef;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A plan without the tables and partitions dropped (or truncated) while the job ran, as Doris's
 * cleanupDroppedTablesAndPartitions leaves them out of the meta and job info: the recorded plan stays the single
 * truth for the job info file, the meta file, the persisted records and a replay.
 */
final class PlanPruning {
    private PlanPruning() {}

    static BackupPlan without(BackupPlan plan, Set<Long> droppedTables, Map<Long, ? extends Set<Long>> droppedPartitions) {
        List<BackupPlan.PlannedTable> tables = plan.tables().stream()
                .filter(t -> !droppedTables.contains(t.id()))
                .map(t -> new BackupPlan.PlannedTable(t.id(), t.name(), t.partitions().stream()
                        .filter(p -> !dropped(droppedPartitions, t.id(), p.id())).toList()))
                .toList();
        List<BackupPlan.PlannedTablet> tablets = plan.tablets().stream()
                .filter(t -> !droppedTables.contains(t.ref().getTableId())
                        && !dropped(droppedPartitions, t.ref().getTableId(), t.ref().getPartitionId()))
                .toList();
        Map<Long, Long> commitSeqs = new LinkedHashMap<>(plan.tableCommitSeqs());
        commitSeqs.keySet().removeAll(droppedTables);
        List<Object> meta = plan.metaObjects().stream().filter(o -> {
            if (o instanceof OlapTableDef table) {
                return !droppedTables.contains(table.getId());
            }
            if (o instanceof PartitionDef partition) {
                return !droppedTables.contains(partition.getTableId())
                        && !dropped(droppedPartitions, partition.getTableId(), partition.getId());
            }
            return true;
        }).toList();
        return new BackupPlan(plan.dbId(), plan.dbName(), plan.repository(), tables, tablets, plan.views(),
                plan.odbcTables(), plan.odbcResources(), commitSeqs, meta);
    }

    private static boolean dropped(Map<Long, ? extends Set<Long>> partitions, long tableId, long partitionId) {
        Set<Long> ids = partitions.get(tableId);
        return ids != null && ids.contains(partitionId);
    }
}
