package io.snapbus.jobs.restore.shell;

import io.snapbus.jobs.api.ApiException;
import io.snapbus.jobs.engine.Status;
import io.snapbus.jobs.restore.RestoreOptions;
import io.snapbus.jobs.restore.RestoreRequest;
import io.snapbus.repository.RepositoryLayout;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** RESTORE SNAPSHOT, SHOW RESTORE and CANCEL RESTORE as REST. */
@RestController
public class RestoreController {
    private final RestoreService restores;

    public RestoreController(RestoreService restores) {
        this.restores = restores;
    }

    /**
     * {@code RESTORE SNAPSHOT db.label FROM repository [ON | EXCLUDE] (...) PROPERTIES (...)}: {@code on} or
     * {@code exclude} (not both; neither: every object of the snapshot), properties with Doris's names
     * ({@code backup_timestamp} required).
     */
    public record RestoreBody(
            @NotNull(message = "a restore needs the snapshot's label") String label,
            @NotNull(message = "a restore needs a repository")
            @Size(max = 64, message = "a repository name has at most 64 characters") String repository,
            List<@NotNull(message = "a table must not be null") @Valid TableBody> on,
            List<@NotNull(message = "a table must not be null") @Valid TableBody> exclude,
            Map<String, String> properties) {}

    /** A table of the snapshot, optionally some of its partitions, restored under {@code alias} if given. */
    public record TableBody(
            @NotBlank(message = "a table needs a name")
            @Size(max = 64, message = "a table name has at most 64 characters") String name,
            List<@NotBlank(message = "there are empty partition name")
                 @Size(max = 64, message = "a partition name has at most 64 characters") String> partitions,
            @Size(max = 64, message = "an alias has at most 64 characters") String alias) {}

    @PostMapping("/api/databases/{db}/restores")
    public ResponseEntity<ShowRestoreRow> restore(@PathVariable String db, @Valid @RequestBody RestoreBody body) {
        try {
            RepositoryLayout.validateLabel(body.label());
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        if (body.on() != null && body.exclude() != null) {
            throw ApiException.badRequest("Name the tables to restore (on) or to leave out (exclude), not both");
        }
        RestoreRequest.Selection selection = body.on() != null ? RestoreRequest.Selection.ON
                : body.exclude() != null ? RestoreRequest.Selection.EXCLUDE : RestoreRequest.Selection.ALL;
        List<RestoreRequest.TableRequest> tables = new ArrayList<>();
        for (TableBody table : body.on() != null ? body.on() : body.exclude() != null ? body.exclude()
                : List.<TableBody>of()) {
            tables.add(new RestoreRequest.TableRequest(table.name(), table.partitions(), table.alias()));
        }
        RestoreOptions options = RestoreOptions.parse(body.properties() == null ? Map.of() : body.properties(),
                false);
        RestoreRequest request = new RestoreRequest(body.label(), db, body.repository(), selection, tables, options);
        return ResponseEntity.status(HttpStatus.CREATED).body(ShowRestoreRow.of(restores.submit(request)));
    }

    @GetMapping("/api/databases/{db}/restores")
    public List<ShowRestoreRow> show(@PathVariable String db) {
        return restores.jobs(db).stream().map(ShowRestoreRow::of).toList();
    }

    @GetMapping("/api/restores/{jobId}")
    public ShowRestoreRow job(@PathVariable long jobId) {
        return restores.job(jobId).map(job -> ShowRestoreRow.of(job, restores.unpersistedSince(jobId).orElse("")))
                .orElseThrow(() -> ApiException.notFound("NOT_FOUND", "restore job " + jobId + " does not exist"));
    }

    @PostMapping("/api/restores/{jobId}/cancel")
    public Map<String, String> cancel(@PathVariable long jobId) {
        Status status = restores.cancel(jobId);
        if (!status.ok()) {
            throw ApiException.conflict(status.message());
        }
        return Map.of("status", "CANCELLED");
    }

    /** {@code CANCEL RESTORE FROM db}: every unfinished restore of the database. */
    @PostMapping("/api/databases/{db}/restores/cancel")
    public Map<String, Object> cancelAll(@PathVariable String db) {
        List<Long> running = restores.running(db);
        if (running.isEmpty()) {
            throw ApiException.notFound("NOT_FOUND", "No restore job is currently running");
        }
        List<Long> cancelled = new ArrayList<>();
        for (long jobId : running) {
            if (restores.cancel(jobId).ok()) {
                cancelled.add(jobId);
            }
        }
        if (cancelled.isEmpty()) {
            throw ApiException.conflict("Failed to cancel job: the restore is swapping its partitions in");
        }
        return Map.of("status", "CANCELLED", "jobIds", cancelled);
    }
}
