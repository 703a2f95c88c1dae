package io.snapbus.node.upload;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The progress reports of one UPLOAD or DOWNLOAD task (snapshotLoaderReport): at the start and every {@code every}
 * files. The first is made on the task's thread (a job cancelled already stops the task before any file); the later
 * ones by a thread of their own, so no file worker waits on a call to the agent (at ~1 ms a call, reporting every 10
 * small files cost a task a third of its time): one report in flight at most, saying how many files were done when
 * it is sent. A report the agent refuses sets {@link #cancelled()}, which stops the task's files.
 */
public final class BackgroundProgress implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(BackgroundProgress.class);

    /** Where the reports go; false when the job was cancelled. */
    @FunctionalInterface
    public interface Target {
        boolean report(long jobId, long signature, int finishedFiles, int totalFiles);
    }

    private final Target target;
    private final long jobId;
    private final long signature;
    private final int total;
    private final int every;
    private final AtomicBoolean cancelled = new AtomicBoolean();
    private final ExecutorService reporter;
    private int done;
    private boolean reportPending;

    public BackgroundProgress(Target target, long jobId, long signature, int total, int every, String threadName) {
        this.target = target;
        this.jobId = jobId;
        this.signature = signature;
        this.total = total;
        this.every = every;
        this.reporter = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, threadName + "-" + signature);
            t.setDaemon(true);
            return t;
        });
    }

    /** The first report, on this thread; false (and {@link #cancelled()} set) when the job was cancelled. */
    public boolean start() {
        if (!target.report(jobId, signature, 0, total)) {
            cancelled.set(true);
            return false;
        }
        return true;
    }

    /** Set once a report was refused: the task stops its files. */
    public AtomicBoolean cancelled() {
        return cancelled;
    }

    /** One more file done; every {@code every} files a report goes out in the background unless one is in flight. */
    public void fileDone() {
        synchronized (this) {
            done++;
            if (done % every != 0 || done >= total || reportPending) {
                return;
            }
            reportPending = true;
        }
        reporter.execute(this::report);
    }

    /** The last report, all files done, on this thread once the one in flight (if any) ended. */
    public void finish() throws InterruptedException {
        close();
        target.report(jobId, signature, total, total);
    }

    private void report() {
        int files;
        synchronized (this) {
            reportPending = false;
            files = done;
        }
        if (!target.report(jobId, signature, files, total)) {
            cancelled.set(true);
        }
    }

    /** Waits for a report in flight, so none is sent after the task's finish report. */
    @Override
    public void close() throws InterruptedException {
        reporter.shutdown();
        if (!reporter.awaitTermination(30, TimeUnit.SECONDS)) {
            log.warn("task {}: a progress report still runs after 30 s", signature);
        }
    }
}
