package io.snapbus.jobs.engine;

import java.util.EnumSet;
import java.util.Set;

/**
 * The debug points that apply to one job: states it must not leave, and states whose tasks stay unsent. They reach
 * the machine as an input and travel with the job, never persisted, so a restarted job-service holds nothing, which
 * is what a recovery test wants. Doris has one such point (FE.PAUSE_PENDING_BACKUP_JOB); recovery tests need one per
 * state, to kill the coordinator exactly there.
 *
 * @param held          states the job stays in for now
 * @param tasksWithheld states the job may enter but whose tasks stay unsent for now; they go out (as re-sends of tasks
 *                      without a result) once the hold is gone, so a test can run DDL between PENDING's catalog read
 *                      and the nodes' snapshots, as a drop racing a backup does
 * @param <S>           the job type's state enum
 */
public record DebugHolds<S extends Enum<S>>(Set<S> held, Set<S> tasksWithheld) {
    @SuppressWarnings("rawtypes")
    private static final DebugHolds NONE = new DebugHolds(Set.of(), Set.of());

    public DebugHolds {
        held = held.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(held));
        tasksWithheld = tasksWithheld.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(tasksWithheld));
    }

    /** Nothing is held. */
    @SuppressWarnings("unchecked")
    public static <S extends Enum<S>> DebugHolds<S> none() {
        return (DebugHolds<S>) NONE;
    }

    /** Whether the job must stay in {@code state} for now. */
    public boolean holds(S state) {
        return held.contains(state);
    }

    /** Whether the job, entering or in {@code state}, must keep that state's tasks unsent for now. */
    public boolean withholdsTasks(S state) {
        return tasksWithheld.contains(state);
    }
}
