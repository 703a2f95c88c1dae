package io.snapbus.node.upload;

/** Where an upload tells its progress (snapshotLoaderReport); the answer says whether it may go on. */
@FunctionalInterface
public interface UploadProgress {
    /** Returns false when the job was cancelled and the upload must stop. */
    boolean report(long jobId, long signature, int finishedFiles, int totalFiles);
}
