package io.snapbus.jobs.engine.shell;

import io.snapbus.jobs.engine.DebugHolds;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A job type's debug points: "keep jobs whose label starts with P in state S". Held in memory only, so a restarted
 * job-service has none, which is what a recovery test wants: it pauses a job in a state, kills the service there
 * and watches the new one carry on. Doris's FE.PAUSE_PENDING_BACKUP_JOB is the PENDING case of this. A change is
 * announced to the listener, which hands each job its {@link DebugHolds} as an input.
 *
 * @param <S> the job type's state enum
 */
public final class JobPauses<S extends Enum<S>> {
    /**
     * One debug point: keep jobs in {@code state}, or with {@code beforeTasks} let them enter it but keep its tasks
     * unsent (a backup's SNAPSHOTING: a DDL can then land between PENDING's catalog read and the nodes' snapshots).
     */
    public record Pause<S>(S state, String labelPrefix, boolean beforeTasks) {
        public Pause(S state, String labelPrefix) {
            this(state, labelPrefix, false);
        }

        boolean appliesTo(String label) {
            return label.startsWith(labelPrefix);
        }
    }

    private final List<Pause<S>> pauses = new CopyOnWriteArrayList<>();
    private volatile Consumer<JobPauses<S>> listener = p -> { };

    private final Class<S> states;

    public JobPauses(Class<S> states) {
        this.states = states;
    }

    /** Who hears of every change (the job type's service). */
    public void onChange(Consumer<JobPauses<S>> listener) {
        this.listener = listener;
    }

    public void add(Pause<S> pause) {
        pauses.add(pause);
        listener.accept(this);
    }

    public void clear() {
        pauses.clear();
        listener.accept(this);
    }

    public List<Pause<S>> list() {
        return List.copyOf(pauses);
    }

    /** The holds of a job labelled {@code label}. */
    public DebugHolds<S> holdsFor(String label) {
        Set<S> held = EnumSet.noneOf(states);
        Set<S> withheld = EnumSet.noneOf(states);
        for (Pause<S> pause : pauses) {
            if (pause.appliesTo(label)) {
                (pause.beforeTasks() ? withheld : held).add(pause.state());
            }
        }
        return held.isEmpty() && withheld.isEmpty() ? DebugHolds.none() : new DebugHolds<>(held, withheld);
    }
}
