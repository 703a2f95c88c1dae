package io.snapbus.node.restore;

/** Where a download tells its progress (snapshotLoaderReport); the answer says whether it may go on. */
@FunctionalInterface
public interface DownloadProgress {
    /** Returns false when the job was cancelled and the download must stop. */
    boolean report(long jobId, long signature, int finishedFiles, int totalFiles);
}
