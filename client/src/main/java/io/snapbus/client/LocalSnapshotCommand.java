package io.snapbus.client;

import io.snapbus.api.backup.LocalSnapshot;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code snapbus local-snapshot}: the snapshots a backup to {@code __keep_on_local__} kept on the storage nodes. */
@Command(name = "local-snapshot", description = "Local snapshots (backups to __keep_on_local__): list, get.")
final class LocalSnapshotCommand extends ApiCommand {

    @Command(name = "list", description = "The database's local snapshots and their expiry.")
    int list(@Parameters(paramLabel = "DB") String db) {
        List<LocalSnapshot> snapshots = api().localSnapshots(db);
        return print(snapshots, () -> TextTable.of(snapshots, "label", "jobId", "createTimeMs", "expiredAtMs",
                "expired").render());
    }

    @Command(name = "get", description = "A local snapshot with its meta and job info files (--output json for "
            + "the files themselves).")
    int get(@Parameters(paramLabel = "DB") String db, @Parameters(paramLabel = "LABEL") String label) {
        LocalSnapshot snapshot = api().localSnapshot(db, label);
        return print(snapshot, () -> Card.of(snapshot, "meta", "jobInfo")
                .field("Meta", snapshot.meta() == null ? "none" : snapshot.meta().size() + " keys")
                .field("JobInfo", snapshot.jobInfo() == null ? "none" : snapshot.jobInfo().size() + " keys")
                .render());
    }
}
