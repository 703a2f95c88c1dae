package io.snapbus.jobs.backup;

import io.snapbus.avro.RepositoryRef;
import io.snapbus.jobs.engine.DebugHolds;
import io.snapbus.jobs.engine.Status;
import io.snapbus.rows.ContentChecksum;
import java.util.List;
import java.util.Map;

/** Everything that can happen to a backup job; the machine turns each into a new job and effects. */
public sealed interface BackupInput {
    long nowMs();

    /** PENDING's catalog reads succeeded. */
    record Planned(BackupPlan plan, long nowMs) implements BackupInput {}

    /** PENDING's catalog reads found the request impossible (unknown table, no valid tables, ...). */
    record PlanFailed(Status status, long nowMs) implements BackupInput {}

    /**
     * A MAKE_SNAPSHOT finished on a node (Doris's TStatusCode number in {@code statusCode}); {@code checksums} are the
     * tablet's rows and content checksum at the snapshot version (empty from a node that does not report them).
     */
    record SnapshotFinished(long signature, int statusCode, String statusName, List<String> errors,
            String snapshotPath, List<String> files, Map<Long, ContentChecksum> checksums, long nowMs)
            implements BackupInput {
        public SnapshotFinished {
            checksums = checksums == null ? Map.of() : Map.copyOf(checksums);
        }

        /** A report without checksums. */
        public SnapshotFinished(long signature, int statusCode, String statusName, List<String> errors,
                String snapshotPath, List<String> files, long nowMs) {
            this(signature, statusCode, statusName, errors, snapshotPath, files, Map.of(), nowMs);
        }
    }

    /** An UPLOAD finished: tablet id to the uploaded {@code <file>.<md5>} names. */
    record UploadFinished(long signature, int statusCode, String statusName, List<String> errors,
            Map<Long, List<String>> tabletFiles, Map<Long, Long> tabletBytes, long nowMs) implements BackupInput {
        public UploadFinished {
            tabletBytes = tabletBytes == null ? Map.of() : Map.copyOf(tabletBytes);
        }

        /** A report from a node that does not say what each tablet's files take in the repository. */
        public UploadFinished(long signature, int statusCode, String statusName, List<String> errors,
                Map<Long, List<String>> tabletFiles, long nowMs) {
            this(signature, statusCode, statusName, errors, tabletFiles, Map.of(), nowMs);
        }
    }

    /** Upload progress of a task. */
    record Progress(long signature, int finishedFiles, int totalFiles, long nowMs) implements BackupInput {}

    /**
     * A node's task report (carried by its agent's heartbeat): these signatures are running on {@code backendId}.
     * A MAKE_SNAPSHOT sends no progress, so this is how a slow one is told apart from a lost one.
     */
    record TasksRunning(long backendId, java.util.Set<Long> signatures, long nowMs) implements BackupInput {
        public TasksRunning {
            signatures = java.util.Set.copyOf(signatures);
        }
    }

    /**
     * The shell's answer to {@link BackupEffect.SeedFromBase}: {@code files} rowset files are in the job's label
     * already, taken from the snapshots {@code labels}; {@code failure} says why nothing was reused (null if fine),
     * which only costs the nodes uploading everything.
     */
    record BaseSeeded(int files, List<String> labels, String failure, long nowMs) implements BackupInput {
        public BaseSeeded {
            labels = List.copyOf(labels);
        }
    }

    /** The shell wrote the meta and job info files locally. */
    record MetaSaved(String localDir, long nowMs) implements BackupInput {}

    /** The shell could not write the local files. */
    record MetaSaveFailed(String reason, long nowMs) implements BackupInput {}

    /** The meta and job info files are in the repository under these names. */
    record InfoUploaded(String metaFileName, String jobInfoFileName, long nowMs) implements BackupInput {}

    /** Uploading them failed; retried until the timeout. */
    record InfoUploadFailed(String reason, long nowMs) implements BackupInput {}

    /**
     * The shell's catalog answer to {@link BackupEffect.LocateTablet}: whether the tablet's table and partition still
     * exist (a truncated partition has a new id, so it does not) and the tablet's replicas now.
     */
    record TabletLocated(long signature, boolean tableExists, boolean partitionExists, List<ReplicaInfo> replicas,
            long nowMs) implements BackupInput {
        public TabletLocated {
            replicas = replicas == null ? List.of() : List.copyOf(replicas);
        }
    }

    /**
     * ALTER REPOSITORY (Doris's updateRepo): the job's repository has a new revision, e.g. rotated credentials; what
     * the job sends from now on carries it.
     */
    record RepositoryAltered(RepositoryRef repository, long nowMs) implements BackupInput {}

    /**
     * The debug points that apply to the job changed (a test added or cleared one). A job no longer held moves on
     * at its next tick.
     */
    record HoldsChanged(DebugHolds<BackupState> holds, long nowMs) implements BackupInput {}

    /** Time passes: timeouts and retries. */
    record Tick(long nowMs) implements BackupInput {}

    /** The user cancels. */
    record Cancel(long nowMs) implements BackupInput {}
}
