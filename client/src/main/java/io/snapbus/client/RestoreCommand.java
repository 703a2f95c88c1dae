package io.snapbus.client;

import io.snapbus.api.SnapbusApiClient;
import io.snapbus.api.backup.CancelResult;
import io.snapbus.api.restore.CreateRestoreRequest;
import io.snapbus.api.restore.RestoreJob;
import io.snapbus.api.restore.RestoreTable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code snapbus restore}: RESTORE SNAPSHOT, SHOW RESTORE, CANCEL RESTORE. */
@Command(name = "restore", description = "Restore jobs: start, list, show, cancel, cancel-all.")
final class RestoreCommand extends JobCommand<RestoreJob> {

    RestoreCommand() {
        super(new JobEndpoints<>(SnapbusApiClient::restores, SnapbusApiClient::restore,
                SnapbusApiClient::cancelRestore, SnapbusApiClient::watchRestore, "jobId", "label", "timestamp", "dbName", "state", "restoreObjs",
                "createTime", "finishedTime", "progress", "status"));
    }

    @Command(name = "start", description = "RESTORE SNAPSHOT db.label FROM repo [ON | EXCLUDE] (tables) "
            + "PROPERTIES (...); neither --on nor --exclude: every object of the snapshot.")
    int start(@Parameters(paramLabel = "DB") String db, @Parameters(paramLabel = "LABEL") String label,
            @Option(names = "--repo", required = true, paramLabel = "REPO") String repository,
            @Option(names = "--on", paramLabel = "TABLE[:P1,P2][=ALIAS]", converter = TableTargets.Restore.class,
                    description = "A table to restore, some of its partitions, under another name (repeatable).")
            List<RestoreTable> on,
            @Option(names = "--exclude", paramLabel = "TABLE[:P1,P2]", converter = TableTargets.Excluded.class,
                    description = "A table or partitions not to restore (repeatable).") List<RestoreTable> exclude,
            @Option(names = "--timestamp", paramLabel = "yyyy-MM-dd-HH-mm-ss",
                    description = "The backup of the label (property backup_timestamp; default: the label's newest "
                            + "in the repository).") String timestamp,
            @Option(names = "--property", paramLabel = "KEY=VALUE", description = "A Doris restore property "
                    + "(repeatable): replication_num, reserve_replica, atomic_restore, force_replace, clean_tables, "
                    + "clean_partitions, allow_load, timeout, meta_version, backup_timestamp...")
            Map<String, String> given,
            @Mixin WaitOptions waiting) throws InterruptedException {
        Map<String, String> properties = new LinkedHashMap<>(given == null ? Map.of() : given);
        if (timestamp != null && properties.putIfAbsent("backup_timestamp", timestamp) != null) {
            throw new ClientFailure(ExitCode.USAGE, "give the backup timestamp once: --timestamp or --property "
                    + "backup_timestamp=...");
        }
        if (!properties.containsKey("backup_timestamp")) {
            // Doris requires backup_timestamp; snapbus restores the label's newest backup unless told otherwise.
            String newest = SnapshotCommand.newestTimestamp(api(), repository, label);
            properties.put("backup_timestamp", newest);
            output().note("restoring backup " + newest + " of " + label + ", its newest in repository " + repository);
        }
        RestoreJob job = api().createRestore(db, new CreateRestoreRequest(label, repository, on, exclude,
                properties));
        return started(job, waiting);
    }

    @Command(name = "cancel-all", description = "CANCEL RESTORE FROM db: every unfinished restore of the database.")
    int cancelAll(@Parameters(paramLabel = "DB") String db) {
        CancelResult result = api().cancelRestores(db);
        return print(result, () -> Card.of(result).render());
    }
}
