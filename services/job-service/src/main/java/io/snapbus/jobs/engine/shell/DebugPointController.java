package io.snapbus.jobs.engine.shell;

import io.snapbus.jobs.api.ApiException;
import io.snapbus.jobs.backup.BackupState;
import io.snapbus.jobs.backup.shell.BackupProperties;
import io.snapbus.jobs.restore.RestoreState;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Size;
import java.util.Arrays;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Debug points for recovery tests (Doris: enable_debug_points + /api/debug_point): pause backup or restore jobs in a
 * state. Answers 404 unless {@code snapbus.backup.debug-points-enabled=true}; never enable it in production.
 */
@RestController
public class DebugPointController {
    private final JobPauses<BackupState> backupPauses;
    private final JobPauses<RestoreState> restorePauses;
    private final boolean enabled;

    public DebugPointController(JobPauses<BackupState> backupPauses, JobPauses<RestoreState> restorePauses,
            BackupProperties properties) {
        this.backupPauses = backupPauses;
        this.restorePauses = restorePauses;
        this.enabled = properties.debugPointsEnabled();
    }

    /**
     * Keep jobs whose label starts with {@code labelPrefix} (empty: every job) in {@code state}; with
     * {@code beforeTasks} let them enter it with its tasks unsent until the pause goes (a backup's SNAPSHOTING, a
     * restore's CREATING, SNAPSHOTING, DOWNLOADING or COMMITTING).
     */
    public record PauseBody(@Size(max = 32, message = "at most 32 characters") String state,
                            @Size(max = 128, message = "a label prefix has at most 128 characters") String labelPrefix,
                            Boolean beforeTasks) {}

    @PostMapping("/api/debug-points/backup-pauses")
    public ResponseEntity<JobPauses.Pause<BackupState>> pauseBackups(@Valid @RequestBody PauseBody body) {
        requireEnabled();
        BackupState state = state(BackupState.class, body);
        if (state.isDone()) {
            throw ApiException.badRequest("a job cannot be paused in " + state + ": it is done");
        }
        boolean beforeTasks = Boolean.TRUE.equals(body.beforeTasks());
        if (beforeTasks && state != BackupState.SNAPSHOTING) {
            throw ApiException.badRequest("beforeTasks holds the snapshot tasks of SNAPSHOTING only, not " + state);
        }
        return added(backupPauses, new JobPauses.Pause<>(state, prefix(body), beforeTasks));
    }

    @PostMapping("/api/debug-points/restore-pauses")
    public ResponseEntity<JobPauses.Pause<RestoreState>> pauseRestores(@Valid @RequestBody PauseBody body) {
        requireEnabled();
        RestoreState state = state(RestoreState.class, body);
        if (state.isDone()) {
            throw ApiException.badRequest("a job cannot be paused in " + state + ": it is done");
        }
        boolean beforeTasks = Boolean.TRUE.equals(body.beforeTasks());
        if (beforeTasks && !List.of(RestoreState.CREATING, RestoreState.SNAPSHOTING, RestoreState.DOWNLOADING,
                RestoreState.COMMITTING).contains(state)) {
            throw ApiException.badRequest("beforeTasks holds the tasks of CREATING, SNAPSHOTING, DOWNLOADING or "
                    + "COMMITTING only, not " + state);
        }
        return added(restorePauses, new JobPauses.Pause<>(state, prefix(body), beforeTasks));
    }

    @GetMapping("/api/debug-points/backup-pauses")
    public List<JobPauses.Pause<BackupState>> listBackups() {
        requireEnabled();
        return backupPauses.list();
    }

    @GetMapping("/api/debug-points/restore-pauses")
    public List<JobPauses.Pause<RestoreState>> listRestores() {
        requireEnabled();
        return restorePauses.list();
    }

    /** Removes every backup pause; held jobs move on at once. */
    @DeleteMapping("/api/debug-points/backup-pauses")
    public ResponseEntity<Void> clearBackups() {
        requireEnabled();
        backupPauses.clear();
        return ResponseEntity.noContent().build();
    }

    /** Removes every restore pause; held jobs move on at once. */
    @DeleteMapping("/api/debug-points/restore-pauses")
    public ResponseEntity<Void> clearRestores() {
        requireEnabled();
        restorePauses.clear();
        return ResponseEntity.noContent().build();
    }

    private static <S extends Enum<S>> S state(Class<S> states, PauseBody body) {
        try {
            return Enum.valueOf(states, body == null || body.state() == null ? "" : body.state());
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("state must be one of " + String.join(", ", Arrays.stream(
                    states.getEnumConstants()).filter(s -> !s.name().equals("FINISHED")
                    && !s.name().equals("CANCELLED")).map(Enum::name).toList()));
        }
    }

    private static String prefix(PauseBody body) {
        return body.labelPrefix() == null ? "" : body.labelPrefix();
    }

    private static <S extends Enum<S>> ResponseEntity<JobPauses.Pause<S>> added(JobPauses<S> pauses,
            JobPauses.Pause<S> pause) {
        pauses.add(pause);
        return ResponseEntity.status(HttpStatus.CREATED).body(pause);
    }

    private void requireEnabled() {
        if (!enabled) {
            throw ApiException.notFound("DEBUG_POINTS_DISABLED",
                    "debug points are disabled; start the job-service with snapbus.backup.debug-points-enabled=true");
        }
    }
}
