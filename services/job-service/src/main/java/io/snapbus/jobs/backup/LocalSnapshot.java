package io.snapbus.jobs.backup;

import java.util.Map;
import java.util.Optional;

/**
 * A keep-on-local snapshot as its readers see it (Doris's {@code BackupJob.getSnapshot}): only a FINISHED
 * keep-on-local job has one; it expires at {@code createTimeMs + timeoutMs}, after which it shows no files even
 * before the job-service got to release it.
 *
 * @param localJobDir     where the meta and job info files are; null once expired
 * @param tableCommitSeqs table id to the catalog commit sequence recorded when the job was planned
 */
public record LocalSnapshot(String label, long jobId, String dbName, long createTimeMs, long expiredAtMs,
        boolean expired, Map<Long, Long> tableCommitSeqs, String localJobDir) {

    public LocalSnapshot {
        tableCommitSeqs = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(tableCommitSeqs));
    }

    /** The job's local snapshot at {@code nowMs}, or empty when the job is not a FINISHED keep-on-local one. */
    public static Optional<LocalSnapshot> of(BackupJob job, long nowMs) {
        if (job.state() != BackupState.FINISHED || !job.isKeepOnLocal()) {
            return Optional.empty();
        }
        boolean expired = job.localSnapshotReleased() || nowMs >= job.localSnapshotExpiresAtMs();
        return Optional.of(new LocalSnapshot(job.label(), job.jobId(), job.request().dbName(), job.createTimeMs(),
                job.localSnapshotExpiresAtMs(), expired, job.plan() == null ? Map.of() : job.plan().tableCommitSeqs(),
                expired ? null : job.localJobDir()));
    }
}
