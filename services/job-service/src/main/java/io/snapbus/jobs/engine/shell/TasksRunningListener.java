package io.snapbus.jobs.engine.shell;

import java.util.Set;

/** A job type that hears which of its tasks each node reports running (the backup and restore services). */
public interface TasksRunningListener {
    /** {@code signatures}: every task the node holds, of any job; each job picks its own. */
    void tasksRunning(long backendId, Set<Long> signatures);
}
