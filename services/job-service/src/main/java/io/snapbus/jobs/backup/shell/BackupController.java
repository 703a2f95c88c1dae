package io.snapbus.jobs.backup.shell;

import io.snapbus.jobs.api.ApiException;
import io.snapbus.jobs.backup.BackupRequest;
import io.snapbus.jobs.backup.JobStatus;
import java.util.List;
import java.util.Map;
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
    private final BackupService backups;
    private final BackupProperties properties;

    public BackupController(BackupService backups, BackupProperties properties) {
        this.backups = backups;
        this.properties = properties;
    }

    /**
     * A backup request.
     *
     * @param timeoutSeconds optional; default backup_job_default_timeout (1 day); at least 600
     * @param content        ALL (default) or METADATA_ONLY
     */
    public record BackupBody(String label, String repository, List<TableBody> tables, Long timeoutSeconds,
            String content) {}

    /** A table with optional partitions. */
    public record TableBody(String name, List<String> partitions) {}

    @PostMapping("/api/databases/{db}/backups")
    public ResponseEntity<ShowBackupRow> backup(@PathVariable String db, @RequestBody BackupBody body) {
        if (body == null || body.label() == null || body.repository() == null) {
            throw ApiException.badRequest("a backup needs a label and a repository");
        }
        BackupRequest.Content content;
        try {
            content = body.content() == null ? BackupRequest.Content.ALL
                    : BackupRequest.Content.valueOf(body.content().toUpperCase());
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("Invalid backup job content:" + body.content());
        }
        long timeoutMs = body.timeoutSeconds() == null ? properties.defaultTimeout().toMillis()
                : body.timeoutSeconds() * 1000;
        List<BackupRequest.TableRequest> tables = body.tables() == null ? List.of()
                : body.tables().stream().map(t -> new BackupRequest.TableRequest(t.name(), t.partitions())).toList();
        if (tables.isEmpty()) {
            throw ApiException.badRequest("name at least one table to back up");
        }
        BackupRequest request = new BackupRequest(body.label(), db, body.repository(), tables, timeoutMs, content,
                Map.of("content", content.name(), "timeout", Long.toString(timeoutMs / 1000), "type", "full"));
        return ResponseEntity.status(HttpStatus.CREATED).body(ShowBackupRow.of(backups.submit(request)));
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
        JobStatus status = backups.cancel(jobId);
        if (!status.ok()) {
            throw ApiException.conflict(status.message());
        }
        return Map.of("status", "CANCELLED");
    }
}
