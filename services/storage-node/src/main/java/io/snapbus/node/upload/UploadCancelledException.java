package io.snapbus.node.upload;

/** The coordinator answered a progress report with CANCELLED: the upload stops and fails as CANCELLED. */
public final class UploadCancelledException extends RuntimeException {
    public UploadCancelledException(long jobId, long signature) {
        super("upload " + signature + " of job " + jobId + " was cancelled by the coordinator");
    }
}
