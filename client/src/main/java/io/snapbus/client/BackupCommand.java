package io.snapbus.client;

import io.snapbus.api.SnapbusApiClient;
import io.snapbus.api.backup.BackupJob;
import io.snapbus.api.backup.BackupTable;
import io.snapbus.api.backup.CreateBackupRequest;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code snapbus backup}: BACKUP SNAPSHOT, SHOW BACKUP, CANCEL BACKUP. */
@Command(name = "backup", description = "Backup jobs: start, list, show, cancel.")
final class BackupCommand extends JobCommand<BackupJob> {

    BackupCommand() {
        super(new JobEndpoints<>(SnapbusApiClient::backups, SnapbusApiClient::backup, SnapbusApiClient::cancelBackup,
                SnapbusApiClient::watchBackup,
                "jobId", "snapshotName", "dbName", "state", "backupObjs", "createTime", "finishedTime", "progress",
                "status"));
    }

    @Command(name = "start", description = "BACKUP SNAPSHOT db.label TO repo ON (tables); repo __keep_on_local__ "
            + "keeps a local snapshot on the storage nodes.")
    int start(@Parameters(paramLabel = "DB") String db, @Parameters(paramLabel = "LABEL") String label,
            @Option(names = "--repo", required = true, paramLabel = "REPO") String repository,
            @Option(names = "--on", required = true, paramLabel = "TABLE[:P1,P2]",
                    converter = TableTargets.Backup.class,
                    description = "A table to back up, with some of its partitions (repeatable).")
            List<BackupTable> tables,
            @Option(names = "--timeout", paramLabel = "SECONDS",
                    description = "600 to 31536000 (default: a day).") Long timeoutSeconds,
            @Option(names = "--content", paramLabel = "CONTENT",
                    description = "ALL (default) or METADATA_ONLY") String content,
            @Option(names = "--full", description = "upload every file; by default files earlier snapshots in the"
                    + " repository hold for the same tablets are reused and only new ones are sent") boolean full,
            @Option(names = "--policy", paramLabel = "POLICY", description = "the retention policy (of the same "
                    + "repository) whose snapshots this one counts among") String policy,
            @Mixin WaitOptions waiting) throws InterruptedException {
        BackupJob job = api().createBackup(db, new CreateBackupRequest(label, repository, tables, timeoutSeconds,
                content, full ? "full" : null, policy));
        return started(job, waiting);
    }
}
