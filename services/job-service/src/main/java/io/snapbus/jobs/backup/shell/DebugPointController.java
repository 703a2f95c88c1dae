package io.snapbus.jobs.backup.shell;

import io.snapbus.jobs.api.ApiException;
import io.snapbus.jobs.backup.BackupState;
import io.snapbus.jobs.engine.shell.JobPauses;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Size;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Debug points for recovery tests (Doris: enable_debug_points + /api/debug_point): pause backup jobs in a state.
 * Answers 404 unless {@code snapbus.backup.debug-points-enabled=true}; never enable it in production.
 */
@RestController
public class DebugPointController {
    private final JobPauses<BackupState> pauses;
    private final boolean enabled;

    public DebugPointController(JobPauses<BackupState> pauses, BackupProperties properties) {
        this.pauses = pauses;
        this.enabled = properties.debugPointsEnabled();
    }

    /**
     * Keep jobs whose label starts with {@code labelPrefix} (empty: every job) in {@code state}; with
     * {@code beforeTasks} (SNAPSHOTING only) let them enter it with their snapshot tasks unsent until the pause goes.
     */
    public record PauseBody(@Size(max = 32, message = "at most 32 characters") String state,
                            @Size(max = 128, message = "a label prefix has at most 128 characters") String labelPrefix,
                            Boolean beforeTasks) {}

    @PostMapping("/api/debug-points/backup-pauses")
    public ResponseEntity<JobPauses.Pause<BackupState>> pause(@Valid @RequestBody PauseBody body) {
        requireEnabled();
        BackupState state;
        try {
            state = BackupState.valueOf(body == null || body.state() == null ? "" : body.state());
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("state must be one of PENDING, SNAPSHOTING, UPLOAD_SNAPSHOT, UPLOADING,"
                    + " SAVE_META, UPLOAD_INFO");
        }
        if (state.isDone()) {
            throw ApiException.badRequest("a job cannot be paused in " + state + ": it is done");
        }
        boolean beforeTasks = Boolean.TRUE.equals(body.beforeTasks());
        if (beforeTasks && state != BackupState.SNAPSHOTING) {
            throw ApiException.badRequest("beforeTasks holds the snapshot tasks of SNAPSHOTING only, not " + state);
        }
        JobPauses.Pause<BackupState> pause = new JobPauses.Pause<>(state, body.labelPrefix() == null ? ""
                : body.labelPrefix(), beforeTasks);
        pauses.add(pause);
        return ResponseEntity.status(HttpStatus.CREATED).body(pause);
    }

    @GetMapping("/api/debug-points/backup-pauses")
    public List<JobPauses.Pause<BackupState>> list() {
        requireEnabled();
        return pauses.list();
    }

    /** Removes every pause; held jobs move on at once. */
    @DeleteMapping("/api/debug-points/backup-pauses")
    public ResponseEntity<Void> clear() {
        requireEnabled();
        pauses.clear();
        return ResponseEntity.noContent().build();
    }

    private void requireEnabled() {
        if (!enabled) {
            throw ApiException.notFound("DEBUG_POINTS_DISABLED",
                    "debug points are disabled; start the job-service with snapbus.backup.debug-points-enabled=true");
        }
    }
}
