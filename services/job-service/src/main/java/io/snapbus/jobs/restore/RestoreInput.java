package io.snapbus.jobs.restore;

import io.snapbus.jobs.engine.DebugHolds;
import io.snapbus.jobs.engine.Status;
import io.snapbus.rows.ContentChecksum;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Everything that can happen to a restore job; the machine turns each into a new job and effects. */
public sealed interface RestoreInput {
    long nowMs();

    /**
     * PENDING read the snapshot and the catalog and planned the restore: the plan and every replica it creates
     * ({@link RestoreReplicas#of}); {@code metadataOnly} when the snapshot holds no data.
     */
    record Planned(RestorePlan plan, List<ReplicaRestore> replicas, boolean metadataOnly, long nowMs)
            implements RestoreInput {
        public Planned {
            replicas = List.copyOf(replicas);
        }
    }

    /** PENDING found the request impossible (Doris's message in the status); nothing was changed. */
    record PlanFailed(Status status, long nowMs) implements RestoreInput {}

    /** The plan's tables and tablets are registered in the catalog ({@link RestoreEffect.PrepareCatalog}). */
    record CatalogPrepared(long nowMs) implements RestoreInput {}

    /** The restored partitions are swapped in ({@link RestoreEffect.CommitCatalog}). */
    record CatalogCommitted(long nowMs) implements RestoreInput {}

    /** A cancelled job's catalog changes are undone ({@link RestoreEffect.UndoCatalog}). */
    record CatalogUndone(long nowMs) implements RestoreInput {}

    /**
     * A catalog change did not happen. {@code refused}: the catalog said no and wrote nothing (a name taken since the
     * plan, a table dropped): the job is cancelled, even from the swap, since nothing was swapped in. Otherwise the
     * change could not be written (the catalog topic refused it) and is asked for again until it is taken.
     */
    record CatalogFailed(String reason, boolean refused, long nowMs) implements RestoreInput {}

    /**
     * A node finished a task (Doris's TStatusCode number in {@code statusCode}): MAKE_SNAPSHOT with its
     * {@code snapshotPath}, DOWNLOAD with the local tablets it completed (also when it failed part-way) and the bytes
     * it fetched, CHECK_CONSISTENCY with the rows and content checksum it read back per tablet.
     */
    record TaskFinished(long signature, int statusCode, String statusName, List<String> errors, String snapshotPath,
            List<Long> downloadedTabletIds, long bytes, Map<Long, ContentChecksum> checksums, long nowMs)
            implements RestoreInput {
        public TaskFinished {
            errors = errors == null ? List.of() : List.copyOf(errors);
            downloadedTabletIds = downloadedTabletIds == null ? List.of() : List.copyOf(downloadedTabletIds);
            checksums = checksums == null ? Map.of() : Map.copyOf(checksums);
        }

        /** A finish report that carries only its status. */
        public static TaskFinished status(long signature, int statusCode, String statusName, List<String> errors,
                long nowMs) {
            return new TaskFinished(signature, statusCode, statusName, errors, null, null, 0, null, nowMs);
        }
    }

    /** Download progress of a task, in files. */
    record Progress(long signature, int finishedFiles, int totalFiles, long nowMs) implements RestoreInput {}

    /** A node's task report: these signatures are running or queued on {@code backendId}. */
    record TasksRunning(long backendId, Set<Long> signatures, long nowMs) implements RestoreInput {
        public TasksRunning {
            signatures = Set.copyOf(signatures);
        }
    }

    /** The debug points that apply to the job changed. */
    record HoldsChanged(DebugHolds<RestoreState> holds, long nowMs) implements RestoreInput {}

    /** Time passes: timeouts, retries, catalog changes asked for again. */
    record Tick(long nowMs) implements RestoreInput {}

    /** The user cancels. */
    record Cancel(long nowMs) implements RestoreInput {}
}
