package io.snapbus.jobs.backup.shell;

import io.snapbus.api.Page;
import io.snapbus.api.backup.BackupJob;
import io.snapbus.api.backup.CancelResult;
import io.snapbus.api.backup.CreateBackupRequest;
import io.snapbus.api.backup.LocalSnapshot;
import io.snapbus.api.event.JobEvent;
import io.snapbus.jobs.api.v1.Pages;
import io.snapbus.jobs.observe.JobEventStreams;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.util.Comparator;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * v1 of BACKUP SNAPSHOT, SHOW BACKUP, CANCEL BACKUP and the local snapshots; the same checks and messages as the old
 * paths, whose controllers it calls.
 */
@RestController
@RequestMapping("/api/v1")
@Tag(name = "backups", description = "Backup jobs and the snapshots they keep on the storage nodes")
public class BackupV1Controller {
    private final BackupService backups;
    private final BackupController legacy;
    private final JobEventStreams streams;
    private final LocalSnapshotController localSnapshots;

    public BackupV1Controller(BackupService backups, BackupController legacy, LocalSnapshotController localSnapshots,
            JobEventStreams streams) {
        this.backups = backups;
        this.legacy = legacy;
        this.localSnapshots = localSnapshots;
        this.streams = streams;
    }

    @PostMapping("/databases/{db}/backups")
    @ResponseStatus(HttpStatus.CREATED)
    public BackupJob create(@PathVariable("db") String db, @Valid @RequestBody CreateBackupRequest request) {
        return BackupDtos.job(legacy.backup(db, BackupDtos.body(request)).getBody());
    }

    @GetMapping("/databases/{db}/backups")
    @Operation(summary = "SHOW BACKUP: a page of the database's backup jobs, newest first",
            description = "Newest first is by job id, which grows with every job created.")
    public Page<BackupJob> list(@PathVariable("db") String db,
            @RequestParam(name = "offset", defaultValue = "0") @Min(value = 0, message = Pages.OFFSET) int offset,
            @RequestParam(name = "limit", defaultValue = "" + Page.DEFAULT_LIMIT)
            @Min(value = 1, message = Pages.LIMIT) @Max(value = Page.MAX_LIMIT, message = Pages.LIMIT) int limit) {
        List<BackupJob> all = backups.jobs(db).stream().map(ShowBackupRow::of).map(BackupDtos::job)
                .sorted(Comparator.comparingLong(BackupJob::jobId).reversed()).toList();
        return Page.of(all, offset, limit);
    }

    @GetMapping("/backups/{jobId}")
    public BackupJob job(@PathVariable("jobId") long jobId) {
        return BackupDtos.job(legacy.job(jobId));
    }

    @GetMapping(path = "/backups/{jobId}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    @Operation(summary = "The backup job's events as server-sent events, until it ends",
            description = JobEventStreams.DESCRIPTION)
    @ApiResponse(responseCode = "200", description = "The job's events, each a JobEvent",
            content = @Content(mediaType = MediaType.TEXT_EVENT_STREAM_VALUE,
                    schema = @Schema(implementation = JobEvent.class)))
    public SseEmitter events(@PathVariable("jobId") long jobId) {
        legacy.job(jobId); // 404 for an unknown job, before the stream opens
        return streams.open("BACKUP", jobId, () -> backups.currentEvent(jobId));
    }

    /** CANCEL BACKUP: 409 once the job is done. */
    @PostMapping("/backups/{jobId}/cancel")
    public CancelResult cancel(@PathVariable("jobId") long jobId) {
        legacy.cancel(jobId);
        return new CancelResult("CANCELLED", List.of(jobId));
    }

    @GetMapping("/databases/{db}/local-snapshots")
    @Operation(summary = "The local snapshots of a database",
            description = "Every FINISHED backup of the database to __keep_on_local__, with its expiry; no files.")
    public List<LocalSnapshot> localSnapshots(@PathVariable("db") String db) {
        return localSnapshots.list(db).stream().map(BackupDtos::localSnapshot).toList();
    }

    @GetMapping("/databases/{db}/local-snapshots/{label}")
    @Operation(summary = "A local snapshot with its meta and job info files",
            description = "An expired snapshot answers expired=true and null meta and jobInfo (Doris's getSnapshot);"
                    + " 410 when not expired but its files are gone from the job-service's work dir.")
    public LocalSnapshot localSnapshot(@PathVariable("db") String db, @PathVariable("label") String label) {
        return BackupDtos.localSnapshot(localSnapshots.fetch(db, label));
    }
}
