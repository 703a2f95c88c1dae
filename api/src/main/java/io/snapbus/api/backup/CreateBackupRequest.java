package io.snapbus.api.backup;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;

/**
 * BACKUP SNAPSHOT db.label TO repository ON (tables): {@code repository} {@code __keep_on_local__} keeps the snapshot
 * on the storage nodes (a local snapshot).
 *
 * @param label          {@code ^[-_A-Za-z0-9:]{1,128}$}
 * @param timeoutSeconds optional; default backup_job_default_timeout (1 day); 600 (10 min) to 31536000 (a year)
 * @param content        ALL (default) or METADATA_ONLY
 * @param type           {@code incremental} (default): the rowset files earlier snapshots in the repository hold for
 *                       the same tablets are reused (hard links on a filesystem, server-side copies on S3), only new
 *                       ones are sent; every snapshot still holds all its files. {@code full}: every file is sent.
 * @param retentionPolicy optional: the retention policy (of the same repository) whose snapshots this one counts
 *                        among; its runs may delete it
 */
public record CreateBackupRequest(
        @NotNull(message = "a backup needs a label") String label,
        @NotNull(message = "a backup needs a repository")
        @Size(max = 64, message = "a repository name has at most 64 characters") String repository,
        @NotEmpty(message = "name at least one table to back up")
        List<@NotNull(message = "a table must not be null") @Valid BackupTable> tables,
        @Min(value = MIN_TIMEOUT_SECONDS, message = "timeout must be at least 10 min; " + TIMEOUT_RANGE)
        @Max(value = MAX_TIMEOUT_SECONDS, message = "timeout must be at most a year; " + TIMEOUT_RANGE)
        Long timeoutSeconds,
        String content,
        String type,
        String retentionPolicy) {
    /** Shortest timeout of a backup (Doris: 10 min). */
    public static final long MIN_TIMEOUT_SECONDS = 600;
    /** Longest timeout of a backup: a year, so createTime + timeout never overflows. */
    public static final long MAX_TIMEOUT_SECONDS = 365L * 24 * 3600;
    /** The request without a type: an incremental backup. */
    public CreateBackupRequest(String label, String repository, List<BackupTable> tables, Long timeoutSeconds,
            String content) {
        this(label, repository, tables, timeoutSeconds, content, null, null);
    }

    private static final String TIMEOUT_RANGE = "allowed: " + MIN_TIMEOUT_SECONDS + ".." + MAX_TIMEOUT_SECONDS
            + " seconds";
}
