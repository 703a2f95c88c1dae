package io.snapbus.jobs.restore.shell;

import io.snapbus.api.Page;
import io.snapbus.api.backup.CancelResult;
import io.snapbus.api.event.JobEvent;
import io.snapbus.api.restore.CreateRestoreRequest;
import io.snapbus.api.restore.RestoreJob;
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
import java.util.Map;
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
 * v1 of RESTORE SNAPSHOT, SHOW RESTORE and CANCEL RESTORE; the same checks and messages as the old paths, whose
 * controller it calls.
 */
@RestController
@RequestMapping("/api/v1")
@Tag(name = "restores", description = "Restore jobs")
public class RestoreV1Controller {
    private final RestoreService restores;
    private final RestoreController legacy;
    private final JobEventStreams streams;

    public RestoreV1Controller(RestoreService restores, RestoreController legacy,
            JobEventStreams streams) {
        this.restores = restores;
        this.legacy = legacy;
        this.streams = streams;
    }

    @PostMapping("/databases/{db}/restores")
    @ResponseStatus(HttpStatus.CREATED)
    public RestoreJob create(@PathVariable("db") String db, @Valid @RequestBody CreateRestoreRequest request) {
        return RestoreDtos.job(legacy.restore(db, RestoreDtos.body(request)).getBody());
    }

    @GetMapping("/databases/{db}/restores")
    @Operation(summary = "SHOW RESTORE: a page of the database's restore jobs, newest first",
            description = "Newest first is by job id, which grows with every job created.")
    public Page<RestoreJob> list(@PathVariable("db") String db,
            @RequestParam(name = "offset", defaultValue = "0") @Min(value = 0, message = Pages.OFFSET) int offset,
            @RequestParam(name = "limit", defaultValue = "" + Page.DEFAULT_LIMIT)
            @Min(value = 1, message = Pages.LIMIT) @Max(value = Page.MAX_LIMIT, message = Pages.LIMIT) int limit) {
        List<RestoreJob> all = restores.jobs(db).stream().map(ShowRestoreRow::of).map(RestoreDtos::job)
                .sorted(Comparator.comparingLong(RestoreJob::jobId).reversed()).toList();
        return Page.of(all, offset, limit);
    }

    @GetMapping("/restores/{jobId}")
    public RestoreJob job(@PathVariable("jobId") long jobId) {
        return RestoreDtos.job(legacy.job(jobId));
    }

    @GetMapping(path = "/restores/{jobId}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    @Operation(summary = "The restore job's events as server-sent events, until it ends",
            description = JobEventStreams.DESCRIPTION)
    @ApiResponse(responseCode = "200", description = "The job's events, each a JobEvent",
            content = @Content(mediaType = MediaType.TEXT_EVENT_STREAM_VALUE,
                    schema = @Schema(implementation = JobEvent.class)))
    public SseEmitter events(@PathVariable("jobId") long jobId) {
        legacy.job(jobId); // 404 for an unknown job, before the stream opens
        return streams.open("RESTORE", jobId, () -> restores.currentEvent(jobId));
    }

    /** CANCEL RESTORE of one job: 409 once it is done or swapping its partitions in. */
    @PostMapping("/restores/{jobId}/cancel")
    public CancelResult cancel(@PathVariable("jobId") long jobId) {
        legacy.cancel(jobId);
        return new CancelResult("CANCELLED", List.of(jobId));
    }

    /** CANCEL RESTORE FROM db: every unfinished restore of the database; 404 when none runs. */
    @PostMapping("/databases/{db}/restores/cancel")
    public CancelResult cancelAll(@PathVariable("db") String db) {
        Map<String, Object> cancelled = legacy.cancelAll(db);
        @SuppressWarnings("unchecked")
        List<Long> jobIds = (List<Long>) cancelled.get("jobIds");
        return new CancelResult("CANCELLED", List.copyOf(jobIds));
    }
}
