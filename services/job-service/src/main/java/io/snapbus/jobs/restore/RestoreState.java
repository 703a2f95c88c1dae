package io.snapbus.jobs.restore;

/** Doris's RestoreJob states, in order; FINISHED and CANCELLED are final. */
public enum RestoreState {
    PENDING, CREATING, SNAPSHOTING, DOWNLOAD, DOWNLOADING, COMMIT, COMMITTING, FINISHED, CANCELLED;

    public boolean isDone() {
        return this == FINISHED || this == CANCELLED;
    }
}
