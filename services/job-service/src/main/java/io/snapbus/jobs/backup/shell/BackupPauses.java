package io.snapbus.jobs.backup.shell;

import io.snapbus.jobs.backup.BackupState;
import io.snapbus.jobs.engine.DebugHolds;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The backup debug points: "keep jobs whose label starts with P in state S". Held in memory only, so a restarted
 * job-service has none, which is what a recovery test wants: it pauses a job in a state, kills the service there
 * and watches the new one carry on. Doris's FE.PAUSE_PENDING_BACKUP_JOB is the PENDING case of this. A change is
 * announced to the listener, which hands each job its {@link DebugHolds} as an input.
 */
public final class BackupPauses {
    /**
     * One debug point: keep jobs in {@code state}, or with {@code beforeTasks} let them enter it but keep its tasks
     * unsent (SNAPSHOTING only: a DDL can then land between PENDING's catalog read and the nodes' snapshots).
     */
    public record Pause(BackupState state, String labelPrefix, boolean beforeTasks) {
        public Pause(BackupState state, String labelPrefix) {
            this(state, labelPrefix, false);
        }

        boolean appliesTo(String label) {
            return label.startsWith(labelPrefix);
        }
    }

    private final List<Pause> pauses = new CopyOnWriteArrayList<>();
    private volatile Consumer<BackupPauses> listener = p -> { };

    /** Who hears of every change (the backup service). */
    void onChange(Consumer<BackupPauses> listener) {
        this.listener = listener;
    }

    public void add(Pause pause) {
        pauses.add(pause);
        listener.accept(this);
    }

    public void clear() {
        pauses.clear();
        listener.accept(this);
    }

    public List<Pause> list() {
        return List.copyOf(pauses);
    }

    /** The holds of a job labelled {@code label}. */
    public DebugHolds<BackupState> holdsFor(String label) {
        Set<BackupState> held = EnumSet.noneOf(BackupState.class);
        Set<BackupState> withheld = EnumSet.noneOf(BackupState.class);
        for (Pause pause : pauses) {
            if (pause.appliesTo(label)) {
                (pause.beforeTasks() ? withheld : held).add(pause.state());
            }
        }
        return held.isEmpty() && withheld.isEmpty() ? DebugHolds.none() : new DebugHolds<>(held, withheld);
    }
}
