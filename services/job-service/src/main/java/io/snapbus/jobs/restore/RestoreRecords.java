package io.snapbus.jobs.restore;

import io.snapbus.avro.Replica;
import io.snapbus.avro.ReplicaRestoreState;
import io.snapbus.avro.RestoreJobRecord;
import io.snapbus.avro.RestorePlanChunk;
import io.snapbus.avro.RestoreReplicaChunk;
import io.snapbus.jobs.engine.JobRecords;
import io.snapbus.jobs.engine.PendingTask;
import java.lang.ref.WeakReference;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A restore job as the keyed parts of the compacted restore-jobs topic, and the records that bring the topic from one
 * persisted version of a job to the next: the header under {@code <jobId>} (always, and last: it is the commit point),
 * replicas by ascending id in chunks of {@value #REPLICAS_PER_CHUNK} under {@code <jobId>/replicas/<n>} (only those
 * with a replica that changed), and the plan under {@code <jobId>/plan/<n>} (only when it changed: once, when PENDING
 * planned). The changed replicas are the ones the job noted since that persisted state ({@link
 * RestoreJob#changedReplicas()}); when the job cannot vouch for them, every replica and task is compared instead. A
 * job whose acknowledged state is unknown is written in full. A replay reads them back with {@link
 * RestoreRecordVersions}.
 */
public final class RestoreRecords implements JobRecords<RestoreJob, RestoreJobRecord> {
    /**
     * Replicas per chunk: at most ~165 bytes each (two tablet references, a snapshot path, two checksums, and a
     * DOWNLOAD's bookkeeping with its first replica) keeps a chunk under 165 KB, far under the broker's 1 MB default
     * (RestoreRecordSizeTest prints the figures of a 300 000-tablet restore).
     */
    public static final int REPLICAS_PER_CHUNK = 200;
    /** A few plans' replica layouts, by identity: a running job persists against the same plan object. */
    private static final int CACHED_LAYOUTS = 8;

    /** Owned by one persisting component (the job log); not shared between instances. */
    private final ArrayDeque<Layout> layouts = new ArrayDeque<>();

    /** Record key to value, header last: the whole job. */
    public static Map<String, RestoreJobRecord> of(RestoreJob job) {
        return new RestoreRecords().all(job);
    }

    @Override
    public String headerKey(long jobId) {
        return Long.toString(jobId);
    }

    public static String replicaChunkKey(long jobId, int n) {
        return jobId + "/replicas/" + n;
    }

    public static String planChunkKey(long jobId, int n) {
        return jobId + "/plan/" + n;
    }

    static int chunkCount(int items, int perChunk) {
        return (items + perChunk - 1) / perChunk;
    }

    /**
     * Record key to value (null: a tombstone), header last, bringing the topic from {@code acknowledged} (null:
     * unknown, everything is written) to the newest of {@code states}, consecutive persisted states of one job (a
     * group commit: every chunk any of them changed is written, with the newest state's content).
     */
    @Override
    public Map<String, RestoreJobRecord> since(RestoreJob acknowledged, List<RestoreJob> states) {
        RestoreJob job = states.get(states.size() - 1);
        if (acknowledged == null || acknowledged.jobId() != job.jobId()) {
            return all(job);
        }
        if (planChanged(acknowledged, job)) {
            return replanned(acknowledged, job);
        }
        try {
            Layout layout = layout(job);
            Set<Long> noted = noted(acknowledged, states);
            BitSet dirty = new BitSet(layout.replicaChunks());
            if (noted != null) {
                mark(layout, noted, dirty);
            } else {
                markCompared(acknowledged, job, layout, dirty);
            }
            Map<String, RestoreJobRecord> records = new LinkedHashMap<>();
            for (int n = dirty.nextSetBit(0); n >= 0; n = dirty.nextSetBit(n + 1)) {
                records.put(replicaChunkKey(job.jobId(), n), replicaChunk(job, layout, n));
            }
            records.put(headerKey(job.jobId()), header(job, layout));
            return records;
        } catch (IllegalStateException e) {
            return all(job); // replicas the layout does not know: write what is, whole
        }
    }

    private static boolean planChanged(RestoreJob acknowledged, RestoreJob job) {
        return acknowledged.replicas().size() != job.replicas().size()
                || acknowledged.plan() != job.plan() && !Objects.equals(acknowledged.plan(), job.plan());
    }

    /** The replicas each state noted, chained from {@code acknowledged}; null when the chain has a gap. */
    private static Set<Long> noted(RestoreJob acknowledged, List<RestoreJob> states) {
        Set<Long> changed = new HashSet<>();
        long seq = acknowledged.stateSeq();
        for (RestoreJob state : states) {
            if (state.changedReplicas().sinceStateSeq() != seq) {
                return null;
            }
            changed.addAll(state.changedReplicas().tabletIds());
            seq = state.stateSeq();
        }
        return changed;
    }

    private Map<String, RestoreJobRecord> all(RestoreJob job) {
        Layout layout = layout(job);
        Map<String, RestoreJobRecord> records = new LinkedHashMap<>();
        for (int n = 0; n < layout.replicaChunks(); n++) {
            records.put(replicaChunkKey(job.jobId(), n), replicaChunk(job, layout, n));
        }
        planChunks(job, layout).forEach(records::put);
        records.put(headerKey(job.jobId()), header(job, layout));
        return records;
    }

    /** A new plan: everything, and tombstones for the chunk keys the new one no longer has. */
    private Map<String, RestoreJobRecord> replanned(RestoreJob acknowledged, RestoreJob job) {
        Map<String, RestoreJobRecord> records = all(job);
        RestoreJobRecord header = records.remove(headerKey(job.jobId()));
        Layout before = layout(acknowledged);
        Layout after = layout(job);
        for (int n = after.replicaChunks(); n < before.replicaChunks(); n++) {
            records.put(replicaChunkKey(job.jobId(), n), null);
        }
        for (int n = after.planChunks(); n < before.planChunks(); n++) {
            records.put(planChunkKey(job.jobId(), n), null);
        }
        records.put(headerKey(job.jobId()), header);
        return records;
    }

    private static RestoreJobRecord header(RestoreJob job, Layout layout) {
        return new RestoreJobRecord(job.jobId(), job.stateSeq(), RestoreRecordParts.header(job,
                layout.replicaChunks(), layout.planChunks()));
    }

    private static Map<String, RestoreJobRecord> planChunks(RestoreJob job, Layout layout) {
        Map<String, RestoreJobRecord> records = new LinkedHashMap<>();
        List<List<Object>> chunks = layout.planItems();
        for (int n = 0; n < chunks.size(); n++) {
            records.put(planChunkKey(job.jobId(), n), new RestoreJobRecord(job.jobId(), job.stateSeq(),
                    new RestorePlanChunk(n, chunks.get(n))));
        }
        return records;
    }

    /** Chunk {@code n}: the replicas at positions {@code n * 1000 ..} of the ascending ids. */
    private static RestoreJobRecord replicaChunk(RestoreJob job, Layout layout, int n) {
        int end = Math.min(layout.ids.length, (n + 1) * REPLICAS_PER_CHUNK);
        List<ReplicaRestoreState> replicas = new ArrayList<>(end - n * REPLICAS_PER_CHUNK);
        for (int i = n * REPLICAS_PER_CHUNK; i < end; i++) {
            long id = layout.ids[i];
            ReplicaRestore replica = job.replicas().get(id);
            Long signature = job.tasks().taskOfTablet().get(id);
            PendingTask task = signature == null ? null : job.tasks().pending().get(signature);
            boolean first = task != null && task.tabletIds().get(0) == id;
            replicas.add(RestoreRecordParts.replica(replica, layout.planReplica(i, replica), layout.replicaIndex[i],
                    first ? task : null));
        }
        return new RestoreJobRecord(job.jobId(), job.stateSeq(), new RestoreReplicaChunk(n, replicas));
    }

    private static void mark(Layout layout, Set<Long> replicaIds, BitSet dirty) {
        for (long id : replicaIds) {
            int position = Arrays.binarySearch(layout.ids, id);
            if (position < 0) {
                throw new IllegalStateException("replica " + id + " is not one of the job's");
            }
            dirty.set(position / REPLICAS_PER_CHUNK);
        }
    }

    /**
     * Marks the chunks of replicas whose progress changed, and of every replica of a task that was sent, re-sent,
     * failed, finished or forgotten. Persistent maps share what did not change, so most comparisons are by reference.
     */
    private static void markCompared(RestoreJob acknowledged, RestoreJob job, Layout layout, BitSet dirty) {
        Set<Long> changed = new HashSet<>();
        if (acknowledged.tasks().pending() != job.tasks().pending()) {
            job.tasks().pending().forEach((signature, task) -> {
                PendingTask before = acknowledged.tasks().pending().get(signature);
                if (before != task && !task.equals(before)) {
                    changed.addAll(task.tabletIds());
                }
            });
            acknowledged.tasks().pending().forEach((signature, task) -> {
                if (!job.tasks().pending().containsKey(signature)) {
                    changed.addAll(task.tabletIds());
                }
            });
        }
        if (acknowledged.replicas() != job.replicas()) {
            job.replicas().forEach((id, now) -> {
                ReplicaRestore before = acknowledged.replicas().get(id);
                if (before != now && !now.equals(before)) {
                    changed.add(id);
                }
            });
        }
        mark(layout, changed, dirty);
    }

    /** The layout of the job's replicas (computed once per plan object and replica count). */
    private Layout layout(RestoreJob job) {
        synchronized (layouts) {
            for (Layout layout : layouts) {
                if (layout.planned == (job.plan() != null) && layout.plan.get() == job.plan()
                        && layout.ids.length == job.replicas().size()) {
                    return layout;
                }
            }
            Layout layout = Layout.of(job);
            if (layouts.size() >= CACHED_LAYOUTS) {
                layouts.removeLast();
            }
            layouts.addFirst(layout);
            return layout;
        }
    }

    /**
     * Where each replica goes: its position in the ascending ids (its chunk), its catalog replica in the plan and its
     * place among its tablet's replicas; and the plan's chunk items (built when first written).
     */
    private static final class Layout {
        final boolean planned;
        final WeakReference<RestorePlan> plan;
        final long[] ids;
        final int[] replicaIndex;
        final Replica[] planReplicas;
        private List<List<Object>> planItems;
        private int planChunks = -1;

        private Layout(RestorePlan plan, long[] ids, int[] replicaIndex, Replica[] planReplicas) {
            this.planned = plan != null;
            this.plan = new WeakReference<>(plan);
            this.ids = ids;
            this.replicaIndex = replicaIndex;
            this.planReplicas = planReplicas;
        }

        static Layout of(RestoreJob job) {
            long[] ids = job.replicas().keySet().stream().mapToLong(Long::longValue).sorted().toArray();
            int[] replicaIndex = new int[ids.length];
            Replica[] planReplicas = new Replica[ids.length];
            if (job.plan() != null) {
                for (RestorePlan.TablePlan table : job.plan().tables()) {
                    for (RestorePlan.PartitionPlan partition : table.partitions()) {
                        for (List<RestorePlan.TabletPlan> tablets : partition.tablets().values()) {
                            for (RestorePlan.TabletPlan tablet : tablets) {
                                for (int i = 0; i < tablet.replicas().size(); i++) {
                                    Replica replica = tablet.replicas().get(i);
                                    int position = Arrays.binarySearch(ids, replica.getId());
                                    if (position >= 0) {
                                        replicaIndex[position] = i;
                                        planReplicas[position] = replica;
                                    }
                                }
                            }
                        }
                    }
                }
            }
            return new Layout(job.plan(), ids, replicaIndex, planReplicas);
        }

        int replicaChunks() {
            return chunkCount(ids.length, REPLICAS_PER_CHUNK);
        }

        /** The catalog replica the plan has for the replica at {@code position} (one it lacks: as planned). */
        Replica planReplica(int position, ReplicaRestore replica) {
            Replica planned = planReplicas[position];
            return planned != null ? planned
                    : new Replica(replica.replicaId(), replica.backendId(), replica.version(), -1L, replica.version());
        }

        /** The plan's chunk contents; kept only until written (afterwards only their count is needed). */
        List<List<Object>> planItems() {
            planChunks();
            List<List<Object>> items = planItems;
            planItems = null;
            return items != null ? items : chunkedPlan();
        }

        int planChunks() {
            if (planChunks < 0) {
                planItems = chunkedPlan();
                planChunks = planItems.size();
            }
            return planChunks;
        }

        private List<List<Object>> chunkedPlan() {
            RestorePlan current = plan.get();
            return current == null ? List.of() : RestorePlanItems.chunks(current);
        }
    }
}
