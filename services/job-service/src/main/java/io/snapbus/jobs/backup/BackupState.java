package io.snapbus.jobs.backup;

/** The states of a backup job, as in Doris's BackupJob. */
public enum BackupState {
    PENDING, SNAPSHOTING, UPLOAD_SNAPSHOT, UPLOADING, SAVE_META, UPLOAD_INFO, FINISHED, CANCELLED;

    public boolean isDone() {
        return this == FINISHED || this == CANCELLED;
    }
}
