package io.snapbus.node.restore;

/** The coordinator answered a progress report with CANCELLED: the download stops with Doris's "Cancelled". */
public final class DownloadCancelledException extends RuntimeException {
    public DownloadCancelledException() {
        super("Cancelled");
    }
}
