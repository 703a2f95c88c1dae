package io.snapbus.jobs.restore;

import io.snapbus.avro.OdbcResourceDef;
import io.snapbus.avro.OdbcTableDef;
import io.snapbus.avro.Replica;
import io.snapbus.avro.RestorePartitionPlan;
import io.snapbus.avro.RestorePlanChunk;
import io.snapbus.avro.RestoreSourceIndex;
import io.snapbus.avro.RestoreSourceTablet;
import io.snapbus.avro.RestoreSourceTablets;
import io.snapbus.avro.RestoreTableKind;
import io.snapbus.avro.RestoreTablePlan;
import io.snapbus.avro.TabletChecksum;
import io.snapbus.avro.TabletRef;
import io.snapbus.avro.ViewDef;
import io.snapbus.rows.ContentChecksum;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A restore plan as the items of its {@code <jobId>/plan/<n>} chunks, and back: each table, its partitions, each
 * followed by its backed-up tablets (with their files and checksums, from the job info), then the views, ODBC tables
 * and resources. The new tablets of each partition are not items: they are rebuilt from the replicas, each of which
 * names its tablet, bucket and place among the tablet's replicas. Items are cut into chunks of about
 * {@value #BYTES_PER_CHUNK} bytes, so a plan of any size persists; it is written once, when PENDING planned.
 */
final class RestorePlanItems {
    /** Plan bytes per chunk, estimated generously; far under the broker's 1 MB default. */
    static final int BYTES_PER_CHUNK = 256 * 1024;
    /** Backed-up tablets per item at most (a partition of many buckets spans several items). */
    private static final int TABLETS_PER_ITEM = 2_000;

    private RestorePlanItems() {}

    /** The plan's items cut into chunk contents, in order. */
    static List<List<Object>> chunks(RestorePlan plan) {
        List<List<Object>> chunks = new ArrayList<>();
        List<Object> chunk = new ArrayList<>();
        long bytes = 0;
        for (Object item : items(plan)) {
            long size = estimatedBytes(item);
            if (!chunk.isEmpty() && bytes + size > BYTES_PER_CHUNK) {
                chunks.add(chunk);
                chunk = new ArrayList<>();
                bytes = 0;
            }
            chunk.add(item);
            bytes += size;
        }
        if (!chunk.isEmpty()) {
            chunks.add(chunk);
        }
        return chunks;
    }

    private static List<Object> items(RestorePlan plan) {
        List<Object> items = new ArrayList<>();
        for (RestorePlan.TablePlan table : plan.tables()) {
            items.add(new RestoreTablePlan(table.targetName(), RestoreTableKind.valueOf(table.kind().name()),
                    table.target(), table.liveTableId()));
            for (RestorePlan.PartitionPlan partition : table.partitions()) {
                SnapshotInfo.Partition source = partition.source();
                items.add(RestorePartitionPlan.newBuilder()
                        .setSourceName(source.name())
                        .setSourceId(source.id())
                        .setSourceVersion(source.version())
                        .setSourceIndexes(source.indexes().values().stream()
                                .map(i -> new RestoreSourceIndex(i.name(), i.id(), i.schemaHash())).toList())
                        .setTarget(partition.target())
                        .setTargetIndexIds(targetIndexIds(table, partition))
                        .setReplacedPartitionId(partition.replacedPartitionId())
                        .build());
                source.indexes().values().forEach(index -> sourceTablets(index, items));
            }
        }
        items.addAll(plan.views());
        items.addAll(plan.odbcTables());
        items.addAll(plan.resources());
        return items;
    }

    /** The partition's tablet lists' index ids: the table's index order first, any other after (ascending). */
    static List<Long> targetIndexIds(RestorePlan.TablePlan table, RestorePlan.PartitionPlan partition) {
        List<Long> ids = new ArrayList<>();
        table.target().getIndexes().forEach(i -> {
            if (partition.tablets().containsKey(i.getId())) {
                ids.add(i.getId());
            }
        });
        new TreeSet<>(partition.tablets().keySet()).forEach(id -> {
            if (!ids.contains(id)) {
                ids.add(id);
            }
        });
        return ids;
    }

    /** The index's tablets in its order, then any the job info lists files or a checksum of but not in its order. */
    private static void sourceTablets(SnapshotInfo.Index index, List<Object> items) {
        List<RestoreSourceTablet> tablets = new ArrayList<>();
        index.tabletOrder().forEach(id -> tablets.add(sourceTablet(index, id, true)));
        TreeSet<Long> others = new TreeSet<>(index.tabletFiles().keySet());
        others.addAll(index.tabletChecksums().keySet());
        index.tabletOrder().forEach(others::remove);
        others.forEach(id -> tablets.add(sourceTablet(index, id, false)));
        List<RestoreSourceTablet> slice = new ArrayList<>();
        long bytes = 0;
        for (RestoreSourceTablet tablet : tablets) {
            long size = estimatedBytes(tablet);
            if (!slice.isEmpty() && (slice.size() == TABLETS_PER_ITEM || bytes + size > BYTES_PER_CHUNK / 4)) {
                items.add(new RestoreSourceTablets(index.name(), slice));
                slice = new ArrayList<>();
                bytes = 0;
            }
            slice.add(tablet);
            bytes += size;
        }
        if (!slice.isEmpty()) {
            items.add(new RestoreSourceTablets(index.name(), slice));
        }
    }

    private static RestoreSourceTablet sourceTablet(SnapshotInfo.Index index, long id, boolean ordered) {
        ContentChecksum sum = index.tabletChecksums().get(id);
        return new RestoreSourceTablet(id, ordered, index.tabletFiles().get(id),
                sum == null ? null : new TabletChecksum(sum.rows(), sum.checksum()));
    }

    /** An upper bound of an item's encoded size: its JSON text, or for a backed-up tablet its ids and file names. */
    private static long estimatedBytes(Object item) {
        if (item instanceof RestoreSourceTablet tablet) {
            long bytes = 32;
            if (tablet.getFiles() != null) {
                for (String file : tablet.getFiles()) {
                    bytes += 5 + 3L * file.length(); // UTF-8: at most 3 bytes per UTF-16 char
                }
            }
            return bytes;
        }
        if (item instanceof RestoreSourceTablets slice) {
            return 16 + 3L * slice.getIndexName().length()
                    + slice.getTablets().stream().mapToLong(RestorePlanItems::estimatedBytes).sum();
        }
        return 3L * item.toString().length();
    }

    /** The plan back from its chunks' items (in chunk order) and the job's replicas (which hold its new tablets). */
    static RestorePlan plan(List<RestorePlanChunk> chunks, List<PlacedReplica> replicas) {
        Map<Long, Map<Long, TreeMap<Integer, List<PlacedReplica>>>> byPartition = new HashMap<>();
        for (PlacedReplica placed : replicas) {
            TabletRef tablet = placed.replica().tablet();
            byPartition.computeIfAbsent(tablet.getPartitionId(), p -> new HashMap<>())
                    .computeIfAbsent(tablet.getIndexId(), i -> new TreeMap<>())
                    .computeIfAbsent(placed.replica().bucket(), b -> new ArrayList<>()).add(placed);
        }
        List<TableBuilder> tables = new ArrayList<>();
        List<ViewDef> views = new ArrayList<>();
        List<OdbcTableDef> odbcTables = new ArrayList<>();
        List<OdbcResourceDef> resources = new ArrayList<>();
        chunks.stream().sorted(Comparator.comparingInt(RestorePlanChunk::getChunkIndex))
                .flatMap(c -> c.getItems().stream()).forEach(item -> {
                    if (item instanceof RestoreTablePlan table) {
                        tables.add(new TableBuilder(table));
                    } else if (item instanceof RestorePartitionPlan partition) {
                        tables.get(tables.size() - 1).partitions.add(new PartitionBuilder(partition));
                    } else if (item instanceof RestoreSourceTablets slice) {
                        List<PartitionBuilder> partitions = tables.get(tables.size() - 1).partitions;
                        partitions.get(partitions.size() - 1).add(slice);
                    } else if (item instanceof ViewDef view) {
                        views.add(view);
                    } else if (item instanceof OdbcTableDef odbc) {
                        odbcTables.add(odbc);
                    } else if (item instanceof OdbcResourceDef resource) {
                        resources.add(resource);
                    }
                });
        List<RestorePlan.TablePlan> planned = tables.stream().map(t -> t.build(byPartition)).toList();
        return new RestorePlan(planned, views, odbcTables, resources);
    }

    private static final class TableBuilder {
        final RestoreTablePlan table;
        final List<PartitionBuilder> partitions = new ArrayList<>();

        TableBuilder(RestoreTablePlan table) {
            this.table = table;
        }

        RestorePlan.TablePlan build(Map<Long, Map<Long, TreeMap<Integer, List<PlacedReplica>>>> byPartition) {
            return new RestorePlan.TablePlan(table.getTargetName(), RestorePlan.TableKind.valueOf(
                    table.getKind().name()), table.getTarget(), table.getLiveTableId(), partitions.stream()
                    .map(p -> p.build(byPartition)).toList());
        }
    }

    private static final class PartitionBuilder {
        final RestorePartitionPlan partition;
        /** Index name to its tablet order, files and checksums. */
        final Map<String, List<Long>> order = new HashMap<>();
        final Map<String, Map<Long, List<String>>> files = new HashMap<>();
        final Map<String, Map<Long, ContentChecksum>> checksums = new HashMap<>();

        PartitionBuilder(RestorePartitionPlan partition) {
            this.partition = partition;
        }

        void add(RestoreSourceTablets slice) {
            String index = slice.getIndexName();
            for (RestoreSourceTablet tablet : slice.getTablets()) {
                if (tablet.getOrdered()) {
                    order.computeIfAbsent(index, i -> new ArrayList<>()).add(tablet.getTabletId());
                }
                if (tablet.getFiles() != null) {
                    files.computeIfAbsent(index, i -> new HashMap<>()).put(tablet.getTabletId(),
                            List.copyOf(tablet.getFiles()));
                }
                if (tablet.getChecksum() != null) {
                    checksums.computeIfAbsent(index, i -> new HashMap<>()).put(tablet.getTabletId(),
                            new ContentChecksum(tablet.getChecksum().getRowCount(),
                                    tablet.getChecksum().getChecksum()));
                }
            }
        }

        RestorePlan.PartitionPlan build(Map<Long, Map<Long, TreeMap<Integer, List<PlacedReplica>>>> byPartition) {
            Map<String, SnapshotInfo.Index> indexes = new LinkedHashMap<>();
            for (RestoreSourceIndex index : partition.getSourceIndexes()) {
                String name = index.getName();
                indexes.put(name, new SnapshotInfo.Index(name, index.getId(), index.getSchemaHash(),
                        order.getOrDefault(name, List.of()), files.getOrDefault(name, Map.of()),
                        checksums.getOrDefault(name, Map.of())));
            }
            SnapshotInfo.Partition source = new SnapshotInfo.Partition(partition.getSourceName(),
                    partition.getSourceId(), partition.getSourceVersion(), indexes);
            Map<Long, TreeMap<Integer, List<PlacedReplica>>> byIndex = byPartition.getOrDefault(
                    partition.getTarget().getId(), Map.of());
            Map<Long, List<RestorePlan.TabletPlan>> tablets = new LinkedHashMap<>();
            for (long indexId : partition.getTargetIndexIds()) {
                List<RestorePlan.TabletPlan> inBucketOrder = new ArrayList<>();
                byIndex.getOrDefault(indexId, new TreeMap<>()).values().forEach(sameTablet -> {
                    List<PlacedReplica> ordered = new ArrayList<>(sameTablet);
                    ordered.sort(Comparator.comparingInt(PlacedReplica::replicaIndex));
                    ReplicaRestore first = ordered.get(0).replica();
                    inBucketOrder.add(new RestorePlan.TabletPlan(first.tabletId(), first.source().getTabletId(),
                            first.tablet().getSchemaHash(), ordered.stream().map(PlacedReplica::planReplica)
                                    .toList()));
                });
                tablets.put(indexId, inBucketOrder);
            }
            return new RestorePlan.PartitionPlan(source, partition.getTarget(), partition.getReplacedPartitionId(),
                    tablets);
        }
    }

    /** A replica as its chunk holds it: its progress, the plan's catalog replica, and its place among its tablet's. */
    record PlacedReplica(ReplicaRestore replica, Replica planReplica, int replicaIndex) {}
}
