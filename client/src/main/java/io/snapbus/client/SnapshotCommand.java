package io.snapbus.client;

import io.snapbus.api.Page;
import io.snapbus.api.SnapbusApiClient;
import io.snapbus.api.repository.Snapshot;
import io.snapbus.api.repository.SnapshotDeleted;
import io.snapbus.api.verify.StartVerificationRequest;
import io.snapbus.api.verify.Verification;
import io.snapbus.api.verify.VerificationStarted;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code snapbus snapshot}: SHOW SNAPSHOT ON a repository, and the verification of a snapshot's files or data. */
@Command(name = "snapshot", description = "Snapshots of a repository: list, show, delete, verify, verification.")
final class SnapshotCommand extends ApiCommand {
    /** How often {@code verify --wait} reads the report. */
    static final Duration POLL = Duration.ofMillis(500);

    @Command(name = "list", description = "SHOW SNAPSHOT ON repository: its labels and their backup timestamps, "
            + "newest first.")
    int list(@Parameters(paramLabel = "REPO") String repository, @Mixin PageOptions page) {
        Page<Snapshot> snapshots = api().snapshots(repository, page.offset, page.limit);
        return PageOptions.print(output(), snapshots, "label=Snapshot", "timestamps=Timestamp");
    }

    @Command(name = "show", description = "One snapshot: its backup timestamps and job info files.")
    int show(@Parameters(paramLabel = "REPO") String repository, @Parameters(paramLabel = "LABEL") String label) {
        Snapshot snapshot = find(api(), repository, label);
        return print(snapshot, () -> {
            TextTable table = new TextTable(List.of("Snapshot", "Timestamp", "InfoFile"));
            for (int i = 0; i < snapshot.timestamps().size(); i++) {
                table.row(snapshot.label(), snapshot.timestamps().get(i),
                        i < snapshot.infoFiles().size() ? snapshot.infoFiles().get(i) : "");
            }
            return table.render();
        });
    }

    @Command(name = "delete", description = "Delete a snapshot from its repository. Refused (exit 4) while a backup "
            + "writes it or a restore reads it; other snapshots lose nothing (each holds its own files).")
    int delete(@Parameters(paramLabel = "REPO") String repository, @Parameters(paramLabel = "LABEL") String label) {
        SnapshotDeleted deleted = api().deleteSnapshot(repository, label);
        return print(deleted, () -> Card.of(deleted).render());
    }

    @Command(name = "verify", description = "Verify a snapshot: level files (every file there with its size and "
            + "md5) or data (also every tablet's rows against the recorded checksums). Exit 1 when it FAILED "
            + "(--wait, which notes its progress on stderr while it runs).")
    int verify(@Parameters(paramLabel = "REPO") String repository, @Parameters(paramLabel = "LABEL") String label,
            @Option(names = "--level", paramLabel = "LEVEL", description = "files (default) or data") Level level,
            @Option(names = "--timestamp", paramLabel = "yyyy-MM-dd-HH-mm-ss",
                    description = "The backup of the label to verify (default: its newest).") String timestamp,
            @Option(names = "--wait", description = "Wait for the report and print it; a line on stderr per change "
                    + "of progress.") boolean wait)
            throws InterruptedException {
        VerificationStarted started = api().verify(repository, label, new StartVerificationRequest(timestamp,
                level == null ? null : level.name()));
        if (!wait) {
            return print(started, () -> Card.of(started).render());
        }
        Verification report = api().verification(started.id());
        String last = "";
        while (report.state().equals("RUNNING")) {
            String line = progress(report);
            if (!line.equals(last)) {
                output().note(line);
                last = line;
            }
            Thread.sleep(POLL.toMillis());
            report = api().verification(started.id());
        }
        return report(report);
    }

    @Command(name = "verification", description = "A verification's report (RUNNING, PASSED or FAILED). Exit 1 "
            + "when it FAILED.")
    int verification(@Parameters(paramLabel = "ID") long id) {
        return report(api().verification(id));
    }

    /** The named snapshot, looked up page by page (the API has no single-snapshot read). */
    static Snapshot find(SnapbusApiClient api, String repository, String label) {
        int offset = 0;
        while (true) {
            Page<Snapshot> page = api.snapshots(repository, offset, Page.MAX_LIMIT);
            for (Snapshot snapshot : page.items()) {
                if (snapshot.label().equals(label)) {
                    return snapshot;
                }
            }
            if (page.nextOffset() == null) {
                throw new ClientFailure(ExitCode.NOT_FOUND, "Snapshot " + label + " does not exist in repository "
                        + repository);
            }
            offset = page.nextOffset();
        }
    }

    /** The newest backup timestamp of a snapshot (yyyy-MM-dd-HH-mm-ss: the greatest text is the newest time). */
    static String newestTimestamp(SnapbusApiClient api, String repository, String label) {
        return find(api, repository, label).timestamps().stream().max(String::compareTo)
                .orElseThrow(() -> new ClientFailure(ExitCode.NOT_FOUND, "Snapshot " + label + " of repository "
                        + repository + " has no backup"));
    }

    /** {@code verification 7: 42.0% 3/7 files, 1.2 MB read[, 2/4 tablets, 100 rows][, 1 problem]}. */
    static String progress(Verification report) {
        Verification.Counts counts = report.counts();
        long bytes = counts.bytesRead();
        String line = String.format(Locale.ROOT, "verification %d: %.1f%% %d/%d files, %s read", report.id(),
                report.progress().percent(), counts.filesChecked(), counts.filesTotal(), bytes < 1024 * 1024
                        ? String.format(Locale.ROOT, "%.1f KB", bytes / 1024.0)
                        : String.format(Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024)));
        if (counts.tabletsTotal() > 0) {
            line += String.format(Locale.ROOT, ", %d/%d tablets, %d rows", counts.tabletsChecked(),
                    counts.tabletsTotal(), counts.rowsRead());
        }
        long problems = report.problemsTotal();
        return problems == 0 ? line : line + ", " + problems + (problems == 1 ? " problem" : " problems");
    }

    private int report(Verification report) {
        output().print(report, () -> Card.of(report, "problems").render()
                + (report.problems().isEmpty() ? "" : System.lineSeparator()
                        + TextTable.of(report.problems(), "kind", "path", "tabletId", "expected", "actual").render()));
        return report.state().equals("FAILED") ? ExitCode.FAILED : ExitCode.OK;
    }

    /** The verification levels. */
    enum Level { files, data }
}
