package io.snapbus.jobs.backup.shell;

import io.snapbus.jobs.backup.BackupJob;
import io.snapbus.jobs.backup.BackupState;
import io.snapbus.jobs.backup.StateHold;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The backup debug points: "keep jobs whose label starts with P in state S". Held in memory only, so a restarted
 * job-service has none, which is what a recovery test wants: it pauses a job in a state, kills the service there
 * and watches the new one carry on. Doris's FE.PAUSE_PENDING_BACKUP_JOB is the PENDING case of this.
 */
public final class BackupPauses implements StateHold {
    /**
     * One debug point: keep jobs in {@code state}, or with {@code beforeTasks} let them enter it but keep its tasks
     * unsent (SNAPSHOTING only: a DDL can then land between PENDING's catalog read and the nodes' snapshots).
     */
    public record Pause(BackupState state, String labelPrefix, boolean beforeTasks) {
        public Pause(BackupState state, String labelPrefix) {
            this(state, labelPrefix, false);
        }
    }

    private final List<Pause> pauses = new CopyOnWriteArrayList<>();

    public void add(Pause pause) {
        pauses.add(pause);
    }

    public void clear() {
        pauses.clear();
    }

    public List<Pause> list() {
        return List.copyOf(pauses);
    }

    @Override
    public boolean holds(BackupJob job, BackupState state) {
        for (Pause pause : pauses) {
            if (!pause.beforeTasks() && pause.state() == state && job.label().startsWith(pause.labelPrefix())) {
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean withholdsTasks(BackupJob job, BackupState state) {
        for (Pause pause : pauses) {
            if (pause.beforeTasks() && pause.state() == state && job.label().startsWith(pause.labelPrefix())) {
                return true;
            }
        }
        return false;
    }
}
