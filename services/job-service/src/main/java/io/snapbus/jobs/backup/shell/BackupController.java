package io.snapbus.jobs.backup.shell;

import io.snapbus.avro.RetentionPolicyDef;
import io.snapbus.jobs.api.ApiException;
import io.snapbus.jobs.api.UserInput;
import io.snapbus.jobs.backup.BackupRequest;
import io.snapbus.jobs.catalog.Catalog;
import io.snapbus.jobs.engine.Status;
import io.snapbus.repository.RepositoryLayout;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** BACKUP SNAPSHOT, SHOW BACKUP and CANCEL BACKUP as REST. */
@RestController
public class BackupController {
    /** Shortest timeout of a backup (Doris: 10 min). */
    static final long MIN_TIMEOUT_SECONDS = 600;
    /** Longest timeout of a backup: a year, so createTime + timeout never overflows. */
    static final long MAX_TIMEOUT_SECONDS = 365L * 24 * 3600;
    private static final String TIMEOUT_RANGE = "allowed: " + MIN_TIMEOUT_SECONDS + ".." + MAX_TIMEOUT_SECONDS
            + " seconds";

    private final BackupService backups;
    private final BackupProperties properties;
    private final Catalog catalog;

    public BackupController(BackupService backups, BackupProperties properties, Catalog catalog) {
        this.backups = backups;
        this.properties = properties;
        this.catalog = catalog;
    }

    /**
     * A backup request.
     *
     * @param timeoutSeconds optional; default backup_job_default_timeout (1 day); 600 (10 min) to 31536000 (a year)
     * @param content        ALL (default) or METADATA_ONLY
     * @param type           incremental (default: files earlier snapshots in the repository hold are reused, not
     *                       sent again) or full (every file uploaded)
     * @param retentionPolicy optional: the retention policy (of the same repository) whose snapshots this one counts
     *                        among
     */
    public record BackupBody(
            @NotNull(message = "a backup needs a label") String label,
            @NotNull(message = "a backup needs a repository")
            @Size(max = 64, message = "a repository name has at most 64 characters") String repository,
            @NotEmpty(message = "name at least one table to back up")
            List<@NotNull(message = "a table must not be null") @Valid TableBody> tables,
            @Min(value = MIN_TIMEOUT_SECONDS, message = "timeout must be at least 10 min; " + TIMEOUT_RANGE)
            @Max(value = MAX_TIMEOUT_SECONDS, message = "timeout must be at most a year; " + TIMEOUT_RANGE)
            Long timeoutSeconds,
            String content,
            String type,
            String retentionPolicy) {}

    /** A table with optional partitions (all of them when absent or empty). */
    public record TableBody(
            @NotBlank(message = "a table needs a name")
            @Size(max = 64, message = "a table name has at most 64 characters") String name,
            List<@NotBlank(message = "there are empty partition name")
                 @Size(max = 64, message = "a partition name has at most 64 characters") String> partitions) {}

    @PostMapping("/api/databases/{db}/backups")
    public ResponseEntity<ShowBackupRow> backup(@PathVariable String db, @Valid @RequestBody BackupBody body) {
        try {
            RepositoryLayout.validateLabel(body.label());
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        BackupRequest.Content content;
        try {
            content = body.content() == null ? BackupRequest.Content.ALL
                    : BackupRequest.Content.valueOf(body.content().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("Invalid backup job content:" + UserInput.clip(body.content()));
        }
        String type = body.type() == null ? BackupRequest.TYPE_INCREMENTAL : body.type().toLowerCase(Locale.ROOT);
        if (!type.equals(BackupRequest.TYPE_INCREMENTAL) && !type.equals(BackupRequest.TYPE_FULL)) {
            throw ApiException.badRequest("Invalid backup type: " + UserInput.clip(body.type())
                    + "; use incremental (the default) or full");
        }
        requireNoDuplicates(body.tables());
        if (body.retentionPolicy() != null) {
            RetentionPolicyDef policy = catalog.retentionPolicy(body.retentionPolicy()).orElseThrow(() ->
                    ApiException.badRequest("Unknown retention policy " + UserInput.clip(body.retentionPolicy())));
            if (!policy.getRepository().equals(body.repository())) {
                throw ApiException.badRequest("Retention policy " + policy.getName() + " keeps the snapshots of "
                        + "repository " + policy.getRepository() + ", not of " + UserInput.clip(body.repository()));
            }
        }
        long timeoutMs = body.timeoutSeconds() == null ? properties.defaultTimeout().toMillis()
                : body.timeoutSeconds() * 1000;
        List<BackupRequest.TableRequest> tables = body.tables().stream()
                .map(t -> new BackupRequest.TableRequest(t.name(), t.partitions())).toList();
        Map<String, String> requestProperties = new java.util.LinkedHashMap<>(Map.of("content", content.name(),
                "timeout", Long.toString(timeoutMs / 1000), "type", type));
        if (body.retentionPolicy() != null) {
            requestProperties.put(BackupRequest.RETENTION_POLICY, body.retentionPolicy());
        }
        BackupRequest request = new BackupRequest(body.label(), db, body.repository(), tables, timeoutMs, content,
                requestProperties);
        return ResponseEntity.status(HttpStatus.CREATED).body(ShowBackupRow.of(backups.submit(request)));
    }

    /**
     * Doris's AbstractBackupTableRefClause refuses a table named twice; a partition named twice in one table is
     * refused the same way (Doris's message for it in CREATE TABLE), so no tablet is snapshotted twice and no
     * partition list silently replaces another.
     */
    private static void requireNoDuplicates(List<TableBody> tables) {
        Set<String> names = new HashSet<>();
        for (TableBody table : tables) {
            if (!names.add(table.name())) {
                throw ApiException.badRequest("Duplicated table: " + UserInput.clip(table.name()));
            }
            Set<String> partitions = new HashSet<>();
            for (String partition : table.partitions() == null ? List.<String>of() : table.partitions()) {
                if (!partitions.add(partition)) {
                    throw ApiException.badRequest("Duplicated partition name: " + UserInput.clip(partition));
                }
            }
        }
    }

    @GetMapping("/api/databases/{db}/backups")
    public List<ShowBackupRow> show(@PathVariable String db) {
        return backups.jobs(db).stream().map(ShowBackupRow::of).toList();
    }

    @GetMapping("/api/backups/{jobId}")
    public ShowBackupRow job(@PathVariable long jobId) {
        return backups.job(jobId).map(job -> ShowBackupRow.of(job, backups.unpersistedSince(jobId).orElse("")))
                .orElseThrow(() -> ApiException.notFound("NOT_FOUND",
                "backup job " + jobId + " does not exist"));
    }

    @PostMapping("/api/backups/{jobId}/cancel")
    public Map<String, String> cancel(@PathVariable long jobId) {
        Status status = backups.cancel(jobId);
        if (!status.ok()) {
            throw ApiException.conflict(status.message());
        }
        return Map.of("status", "CANCELLED");
    }
}
