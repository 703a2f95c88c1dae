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
}
