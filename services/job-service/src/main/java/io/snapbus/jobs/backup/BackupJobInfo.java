package io.snapbus.jobs.backup;

import io.snapbus.repository.RepositoryLayout;
import java.time.ZoneId;

/**
 * The job info file ({@code __info_<yyyy-MM-dd-HH-mm-ss>}) in Doris's BackupJobInfo JSON: the same keys, compact,
 * map keys as strings, so a Doris reader finds what it expects (doris-backup-facts.md §2.4). A backup that left out
 * tables or partitions dropped while it ran lists them under {@code dropped_during_backup} (ours, only then). Each
 * index lists its tablets' rows and content checksum at the backup's version under
 * {@value #TABLET_CHECKSUMS_KEY} (ours: {@code {"<tabletId>": {"rows": n, "checksum": c}}}, a signed 64-bit
 * {@code c}, the tablets whose node reported them), so a repository alone is enough to verify a backup's data. The
 * shell's {@code JobInfoFile} writes it.
 */
public final class BackupJobInfo {
    /** The meta format version of our {@code __meta} file (ours, not Doris's internal one). */
    public static final int META_VERSION = 1;
    /** Key of the tables and partitions dropped during the backup, in the job info and the meta file. */
    public static final String DROPPED_KEY = "dropped_during_backup";
    /** Key, in each index, of its tablets' rows and content checksums (see {@link io.snapbus.rows.CanonicalRow}). */
    public static final String TABLET_CHECKSUMS_KEY = "snapbus_tablet_checksums";
    /** Key of the retention policy the snapshot belongs to (see {@code io.snapbus.jobs.retention}). */
    public static final String RETENTION_POLICY_KEY = "snapbus_retention_policy";

    private BackupJobInfo() {}

    /** The info file's name before its checksum suffix: {@code __info_<createTime>} in {@code zone}. */
    public static String fileName(BackupJob job, ZoneId zone) {
        return RepositoryLayout.jobInfoName(job.createTimeMs(), zone);
    }

}
