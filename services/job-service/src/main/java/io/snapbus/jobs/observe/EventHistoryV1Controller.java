package io.snapbus.jobs.observe;

import io.snapbus.api.event.JobEvent;
import io.snapbus.jobs.api.ApiException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** v1 of the event history: deletions, retention runs, schedules and jobs, newest first. */
@RestController
@RequestMapping("/api/v1/events")
@Tag(name = "events", description = "The history of job-events: deletions, retention runs, schedules and jobs")
public class EventHistoryV1Controller {
    private static final int MAX_LIMIT = 1000;
    private final EventHistory history;

    public EventHistoryV1Controller(EventHistory history) {
        this.history = history;
    }

    @GetMapping
    @Operation(summary = "The newest events", description = "Read from the job-events topic's beginning (as far back"
            + " as its retention keeps), newest first. type: BACKUP, RESTORE, VERIFY, DELETE, RETENTION or SCHEDULE"
            + " (repeatable; all when absent); label: a job's label, or a policy's or schedule's name.")
    public List<JobEvent> newest(@RequestParam(name = "type", required = false) List<String> types,
            @RequestParam(name = "label", required = false) String label,
            @RequestParam(name = "limit", defaultValue = "100") int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw ApiException.badRequest("limit must be 1.." + MAX_LIMIT + ", got " + limit);
        }
        Set<String> wanted = new TreeSet<>();
        if (types != null) {
            types.forEach(t -> wanted.add(t.trim().toUpperCase(Locale.ROOT)));
        }
        return history.newest(wanted, label, limit);
    }
}
