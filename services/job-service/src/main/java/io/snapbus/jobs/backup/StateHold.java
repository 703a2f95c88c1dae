package io.snapbus.jobs.backup;

/**
 * Keeps a job in a state it could leave: the machine asks before every move out of a state. Doris has one such debug
 * point (FE.PAUSE_PENDING_BACKUP_JOB); recovery tests need one per state, to kill the coordinator exactly there.
 * Production runs with {@link #NONE}.
 */
@FunctionalInterface
public interface StateHold {
    /** Nothing is ever held. */
    StateHold NONE = (job, state) -> false;

    /** Whether {@code job} must stay in {@code state} for now. */
    boolean holds(BackupJob job, BackupState state);

    /**
     * Whether {@code job}, entering or in {@code state}, must keep that state's tasks unsent for now; they go out (as
     * re-sends of tasks without a result) once this stops. Lets a test run DDL between PENDING's catalog read and
     * the nodes' snapshots, as a drop racing a backup does.
     */
    default boolean withholdsTasks(BackupJob job, BackupState state) {
        return false;
    }
}
