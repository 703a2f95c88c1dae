package io.snapbus.client;

import io.snapbus.api.event.JobEvent;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * What {@code --watch} shows of a job's events: on a terminal one line redrawn in place (a bar of the current
 * state's done/total, the bytes moved, their rate, an ETA, retries and task errors so far); elsewhere (a pipe, a
 * file) a line per event, with its time, kind and message.
 */
final class ProgressLine {
    private static final int BAR = 24;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());

    private final PrintWriter err;
    private final boolean terminal;
    private int retries;
    private int taskErrors;
    private String phase = "";
    private long phaseStartMs;
    private int phaseStartDone;
    private long phaseStartBytes;
    private int width;

    ProgressLine(PrintWriter err, boolean terminal) {
        this.err = err;
        this.terminal = terminal;
    }

    /** Shows one event. */
    void accept(JobEvent event) {
        switch (event.kind()) {
            case "TASK_RETRY" -> retries++;
            case "TASK_ERROR" -> taskErrors++;
            default -> { }
        }
        Count count = count(event);
        if (!event.state().equals(phase)) {
            phase = event.state();
            phaseStartMs = event.timestampMs();
            phaseStartDone = count.done();
            phaseStartBytes = count.bytes();
        }
        if (terminal) {
            String line = bar(event, count);
            // Redraw in place; spaces wipe what a longer line left.
            err.print("\r" + line + " ".repeat(Math.max(0, width - line.length())));
            width = line.length();
            if (event.ends()) {
                err.println();
            }
        } else {
            err.println(TIME.format(Instant.ofEpochMilli(event.timestampMs())) + " " + plain(event, count));
        }
        err.flush();
    }

    /** The done/total of the job's current state, what it counts, the bytes and files moved (-1: not counted). */
    record Count(int done, int total, String unit, long bytes, long files) {}

    static Count count(JobEvent event) {
        JobEvent.Progress p = event.progress();
        if (p == null) {
            return new Count(0, 0, "", 0, -1);
        }
        if ("BACKUP".equals(event.jobType())) {
            return switch (event.state()) {
                case "PENDING", "SNAPSHOTING" -> new Count(p.snapshotsDone(), p.snapshotsTotal(), "snapshots",
                        p.bytesUploaded(), p.filesUploaded());
                default -> new Count(p.uploadsDone(), p.uploadsTotal(), "tablets uploaded", p.bytesUploaded(),
                        p.filesUploaded());
            };
        }
        return switch (event.state()) {
            case "PENDING", "CREATING", "SNAPSHOTING" -> new Count(p.replicasCreated(), p.replicasTotal(),
                    "replicas created", p.bytesDownloaded(), -1);
            case "DOWNLOAD", "DOWNLOADING" -> new Count(p.replicasDownloaded(), p.replicasTotal(),
                    "replicas downloaded", p.bytesDownloaded(), -1);
            default -> new Count(p.replicasMoved() + p.replicasChecked(), 2 * p.replicasTotal(),
                    "moves and checks", p.bytesDownloaded(), -1);
        };
    }

    private String bar(JobEvent event, Count count) {
        int filled = count.total() == 0 ? 0 : (int) ((long) BAR * count.done() / count.total());
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%s %d %-11s [%s%s] %d/%d %s",
                event.jobType().toLowerCase(Locale.ROOT), event.jobId(), event.state(), "#".repeat(filled),
                "-".repeat(BAR - filled), count.done(), count.total(), count.unit()));
        if (count.files() >= 0) {
            line.append("  ").append(count.files()).append(" files");
        }
        line.append("  ").append(bytes(count.bytes()));
        double seconds = (event.timestampMs() - phaseStartMs) / 1000.0;
        if (!event.ends() && seconds > 0) {
            long bytesMoved = count.bytes() - phaseStartBytes;
            if (bytesMoved > 0) {
                line.append("  ").append(bytes((long) (bytesMoved / seconds))).append("/s");
            }
            int moved = count.done() - phaseStartDone;
            if (moved > 0) {
                line.append("  ETA ").append(duration((long) Math.ceil((count.total() - count.done())
                        * seconds / moved)));
            }
        }
        if (retries > 0 || taskErrors > 0) {
            line.append("  retries ").append(retries).append(", task errors ").append(taskErrors);
        }
        return line.toString();
    }

    private static String plain(JobEvent event, Count count) {
        String from = event.fromState() != null && !event.fromState().equals(event.state())
                ? event.fromState() + " -> " : "";
        String message = event.message() == null || event.message().isEmpty() ? "" : "  " + event.message();
        return String.format(Locale.ROOT, "%s %d %s %s%s %d/%d %s %s%s", event.jobType().toLowerCase(Locale.ROOT),
                event.jobId(), event.kind(), from, event.state(), count.done(), count.total(), count.unit(),
                bytes(count.bytes()), message);
    }

    static String bytes(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }

    static String duration(long seconds) {
        return seconds < 60 ? seconds + "s" : seconds < 3600 ? seconds / 60 + "m" + String.format(Locale.ROOT,
                "%02ds", seconds % 60) : seconds / 3600 + "h" + String.format(Locale.ROOT, "%02dm", seconds / 60 % 60);
    }
}
