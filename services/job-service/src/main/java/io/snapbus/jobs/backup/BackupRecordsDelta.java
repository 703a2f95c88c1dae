package io.snapbus.jobs.backup;

import io.snapbus.avro.BackupJobRecord;
import io.snapbus.jobs.engine.JobRecords;
import io.snapbus.jobs.engine.LazyRecords;
import io.snapbus.jobs.engine.PendingTask;
import java.util.AbstractList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The records that bring the backup-jobs topic from one persisted version of a job to the next: only the tablet
 * chunks whose content changed, the meta chunks only when the plan changed, tombstones for chunk keys a shrunken
 * plan no longer has, and always the header (last: it is the commit point). A transition that touches one tablet of
 * a 300 000-tablet job writes one chunk and the header, not 300 chunks. The changed tablets are the ones the job
 * noted since that persisted state ({@link BackupJob#changedTablets()}); when the job cannot vouch for them (its
 * changes are relative to another state), every tablet and task is compared with the persisted one instead.
 */
public final class BackupRecordsDelta implements JobRecords<BackupJob, BackupJobRecord> {
    /** A few plans' tablet id → position maps, by identity: a running job persists against the same plan object. */
    private static final int CACHED_PLANS = 8;
    /** Owned by one persisting component (the job log); not shared between instances. */
    private final java.util.ArrayDeque<Map.Entry<java.lang.ref.WeakReference<BackupPlan>, PlanPositions>>
            planPositions = new java.util.ArrayDeque<>();

    /**
     * Record key to value (null: a tombstone), header last, for persisting {@code job} when {@code persisted} is
     * what the topic holds (the job's last successfully persisted version); {@code persisted == null} (never
     * persisted by this process, or its last persist failed) writes everything, as {@link BackupRecords#of} does.
     */
    public Map<String, BackupJobRecord> since(BackupJob persisted, BackupJob job) {
        if (persisted == null || persisted.jobId() != job.jobId()) {
            return BackupRecords.of(job);
        }
        try {
            return changed(persisted, job);
        } catch (IllegalStateException e) {
            return BackupRecords.of(job); // a plan that does not match the job's tablets
        }
    }

    /**
     * As {@link #since(BackupJob, BackupJob)} for several persisted states applied together (a group commit):
     * {@code states} are the jobs the transitions asked to persist, oldest first; only the last one is written, with
     * every chunk any of them changed. The changes each state noted are chained from {@code persisted}; when the chain
     * has a gap, every tablet and task is compared instead.
     */
    @Override
    public Map<String, BackupJobRecord> since(BackupJob persisted, List<BackupJob> states) {
        BackupJob job = states.get(states.size() - 1);
        if (persisted == null || persisted.jobId() != job.jobId()) {
            return BackupRecords.of(job);
        }
        Set<Long> changed = new HashSet<>();
        long seq = persisted.stateSeq();
        for (BackupJob state : states) {
            if (state.changedTablets().sinceStateSeq() != seq) {
                return since(persisted, job);
            }
            changed.addAll(state.changedTablets().tabletIds());
            seq = state.stateSeq();
        }
        try {
            return changed(persisted, job, changed);
        } catch (IllegalStateException e) {
            return BackupRecords.of(job); // a plan that does not match the job's tablets
        }
    }

    @Override
    public String headerKey(long jobId) {
        return BackupRecords.headerKey(jobId);
    }

    private Map<String, BackupJobRecord> changed(BackupJob persisted, BackupJob job) {
        return changed(persisted, job, null);
    }

    /** {@code knownChanges}: the tablets changed since {@code persisted}, or null to find them. */
    private Map<String, BackupJobRecord> changed(BackupJob persisted, BackupJob job, Set<Long> knownChanges) {
        // The same plan and the same tablets keep every chunk boundary; a new plan (planning, pruning) moves them.
        boolean planChanged = persisted.plan() != job.plan() || persisted.tablets().size() != job.tablets().size()
                || job.plan() == null || job.plan().tablets().size() != job.tablets().size();
        List<TabletProgress> tablets = planChanged ? BackupRecords.tabletsInPlanOrder(job) : inPlanOrder(job);
        int chunks = BackupRecords.chunkCount(tablets.size(), BackupRecords.TABLETS_PER_CHUNK);
        BitSet dirty = new BitSet(chunks);
        if (planChanged) {
            dirty.set(0, chunks);
        } else if (knownChanges != null) {
            markTablets(job, knownChanges, dirty);
        } else {
            markChangedTablets(persisted, job, dirty);
        }
        // A new plan rewrites every chunk: built as each is sent. Otherwise only the changed ones, built now (reading
        // them checks the plan against the job's tablets, which must fail here, in since(), not at the send).
        LazyRecords<BackupJobRecord> records = new LazyRecords<>();
        Map<Long, PendingTask> pendingByTablet = pendingByTablet(job, dirty, planChanged);
        for (int n = dirty.nextSetBit(0); n >= 0; n = dirty.nextSetBit(n + 1)) {
            int chunk = n;
            if (planChanged) {
                records.add(BackupRecords.tabletChunkKey(job.jobId(), n),
                        () -> BackupRecords.tabletChunk(job, tablets, pendingByTablet, chunk));
            } else {
                records.addBuilt(BackupRecords.tabletChunkKey(job.jobId(), n),
                        BackupRecords.tabletChunk(job, tablets, pendingByTablet, n));
            }
        }
        if (planChanged) {
            int metaChunks = BackupRecords.metaChunkCount(job);
            for (int n = 0; n < metaChunks; n++) {
                int chunk = n;
                records.add(BackupRecords.metaChunkKey(job.jobId(), n), () -> BackupRecords.metaChunk(job, chunk));
            }
            // A replay must never read a chunk the smaller plan no longer has.
            int oldChunks = BackupRecords.chunkCount(BackupRecords.tabletsInPlanOrder(persisted).size(),
                    BackupRecords.TABLETS_PER_CHUNK);
            for (int n = chunks; n < oldChunks; n++) {
                records.addBuilt(BackupRecords.tabletChunkKey(job.jobId(), n), null);
            }
            for (int n = metaChunks; n < BackupRecords.metaChunkCount(persisted); n++) {
                records.addBuilt(BackupRecords.metaChunkKey(job.jobId(), n), null);
            }
        }
        records.addBuilt(BackupRecords.headerKey(job.jobId()), BackupRecords.headerRecord(job, tablets.size()));
        return records;
    }

    private void markTablets(BackupJob job, Set<Long> tabletIds, BitSet dirty) {
        if (tabletIds.isEmpty()) {
            return;
        }
        PlanPositions positions = positions(job.plan());
        for (long tabletId : tabletIds) {
            int position = positions.of(tabletId);
            if (position >= 0) {
                dirty.set(position / BackupRecords.TABLETS_PER_CHUNK);
            }
        }
    }

    /** Tablet id to its position in the plan's tablets (computed once per plan object). */
    private PlanPositions positions(BackupPlan plan) {
        synchronized (planPositions) {
            for (var entry : planPositions) {
                if (entry.getKey().get() == plan) {
                    return entry.getValue();
                }
            }
            PlanPositions positions = new PlanPositions(plan.tablets());
            if (planPositions.size() >= CACHED_PLANS) {
                planPositions.removeLast();
            }
            planPositions.addFirst(Map.entry(new java.lang.ref.WeakReference<>(plan), positions));
            return positions;
        }
    }

    /** The job's tablets in plan order, looked up only when read (a job whose plan has exactly its tablets). */
    private static List<TabletProgress> inPlanOrder(BackupJob job) {
        List<BackupPlan.PlannedTablet> plan = job.plan().tablets();
        return new AbstractList<>() {
            @Override
            public TabletProgress get(int index) {
                TabletProgress tablet = job.tablets().get(plan.get(index).ref().getTabletId());
                if (tablet == null) {
                    throw new IllegalStateException("tablet " + plan.get(index).ref().getTabletId()
                            + " of the plan is not in job " + job.jobId());
                }
                return tablet;
            }

            @Override
            public int size() {
                return plan.size();
            }
        };
    }

    /** The awaited task of each tablet of the dirty chunks. */
    private Map<Long, PendingTask> pendingByTablet(BackupJob job, BitSet dirty, boolean all) {
        if (all) {
            return BackupRecords.pendingByTablet(job);
        }
        Set<Long> written = new HashSet<>();
        List<BackupPlan.PlannedTablet> plan = job.plan().tablets();
        for (int n = dirty.nextSetBit(0); n >= 0; n = dirty.nextSetBit(n + 1)) {
            int end = Math.min(plan.size(), (n + 1) * BackupRecords.TABLETS_PER_CHUNK);
            for (int i = n * BackupRecords.TABLETS_PER_CHUNK; i < end; i++) {
                written.add(plan.get(i).ref().getTabletId());
            }
        }
        Map<Long, PendingTask> pending = new HashMap<>();
        for (long tabletId : written) {
            Long signature = job.tasks().taskOfTablet().get(tabletId);
            PendingTask task = signature == null ? null : job.pendingTasks().get(signature);
            if (task != null) {
                pending.put(tabletId, task);
            }
        }
        return pending;
    }

    /**
     * Marks the chunks of tablets whose progress changed, and of every tablet of a task that was sent, re-sent,
     * failed, finished or forgotten. Persistent maps share what did not change, so the comparison is mostly by
     * reference (one pass over the plan, no serialization); the tablet positions are those of the (unchanged) plan.
     */
    private void markChangedTablets(BackupJob persisted, BackupJob job, BitSet dirty) {
        if (job.changedTablets().sinceStateSeq() == persisted.stateSeq()) {
            // The job noted its changes since that persisted state: no comparison needed.
            markTablets(job, new HashSet<>(job.changedTablets().tabletIds()), dirty);
            return;
        }
        Set<Long> ofChangedTasks = new HashSet<>();
        if (persisted.pendingTasks() != job.pendingTasks()) {
            int[] added = {0};
            job.pendingTasks().forEach((signature, task) -> {
                PendingTask before = persisted.pendingTasks().get(signature);
                if (before == null) {
                    added[0]++;
                }
                if (before != task && !task.equals(before)) {
                    ofChangedTasks.addAll(task.tabletIds());
                }
            });
            // Tasks that finished or were forgotten: only looked for when the counts say there are some.
            if (persisted.pendingTasks().size() > job.pendingTasks().size() - added[0]) {
                persisted.pendingTasks().forEach((signature, task) -> {
                    if (!job.pendingTasks().containsKey(signature)) {
                        ofChangedTasks.addAll(task.tabletIds());
                    }
                });
            }
        }
        boolean tabletsChanged = persisted.tablets() != job.tablets();
        if (!tabletsChanged && ofChangedTasks.isEmpty()) {
            return;
        }
        List<BackupPlan.PlannedTablet> plan = job.plan().tablets();
        for (int i = 0; i < plan.size(); i++) {
            long tabletId = plan.get(i).ref().getTabletId();
            if (ofChangedTasks.contains(tabletId)) {
                dirty.set(i / BackupRecords.TABLETS_PER_CHUNK);
            } else if (tabletsChanged) {
                TabletProgress before = persisted.tablets().get(tabletId);
                TabletProgress now = job.tablets().get(tabletId);
                if (before != now && !Objects.equals(before, now)) {
                    dirty.set(i / BackupRecords.TABLETS_PER_CHUNK);
                }
            }
        }
    }

    /** Tablet id to its position in a plan: sorted ids and their positions, 12 bytes a tablet. */
    private static final class PlanPositions {
        private final long[] ids;
        private final int[] positions;

        PlanPositions(List<BackupPlan.PlannedTablet> tablets) {
            ids = new long[tablets.size()];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = tablets.get(i).ref().getTabletId();
            }
            long[] inPlanOrder = ids.clone();
            java.util.Arrays.sort(ids);
            positions = new int[ids.length];
            for (int i = 0; i < inPlanOrder.length; i++) {
                positions[java.util.Arrays.binarySearch(ids, inPlanOrder[i])] = i;
            }
        }

        /** The tablet's position in the plan, or -1. */
        int of(long tabletId) {
            int at = java.util.Arrays.binarySearch(ids, tabletId);
            return at < 0 ? -1 : positions[at];
        }
    }
}
