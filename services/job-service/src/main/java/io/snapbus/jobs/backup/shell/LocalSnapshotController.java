package io.snapbus.jobs.backup.shell;

import io.snapbus.jobs.api.ApiException;
import io.snapbus.jobs.backup.BackupJob;
import io.snapbus.jobs.backup.BackupState;
import io.snapbus.jobs.backup.LocalSnapshot;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import java.util.Optional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * The snapshots of backups to {@code __keep_on_local__} (Doris's local snapshots for CCR): what a syncer lists and
 * fetches instead of reading a repository.
 */
@RestController
@Tag(name = "local snapshots", description = "Backups kept on the storage nodes (repository __keep_on_local__)")
public class LocalSnapshotController {
    private final BackupService backups;

    public LocalSnapshotController(BackupService backups) {
        this.backups = backups;
    }

    @GetMapping("/api/databases/{db}/local-snapshots")
    @Operation(summary = "Lists the local snapshots of a database",
            description = "Every FINISHED backup of the database to __keep_on_local__, by job id, with its expiry "
                    + "(createTime + timeout) and whether it passed; no files.")
    @ApiResponse(responseCode = "200", description = "The local snapshots, possibly none")
    public List<LocalSnapshotView> list(@PathVariable String db) {
        long now = System.currentTimeMillis();
        return backups.jobs(db).stream().flatMap(j -> LocalSnapshot.of(j, now).stream())
                .map(LocalSnapshotView::summary).toList();
    }

    @GetMapping("/api/databases/{db}/local-snapshots/{label}")
    @Operation(summary = "Fetches a local snapshot: its meta and job info files",
            description = "meta and jobInfo are the __meta and __info_<createTime> files as JSON. An expired snapshot "
                    + "answers 200 with expired=true and null meta and jobInfo, as Doris's getSnapshot returns it "
                    + "without files; its snapshots on the nodes are released.")
    @ApiResponse(responseCode = "200", description = "The snapshot; with files unless expired")
    @ApiResponse(responseCode = "404", description = "No FINISHED backup of the database to __keep_on_local__ has "
            + "this label")
    @ApiResponse(responseCode = "410", description = "Not expired, but its files are gone from the job-service's "
            + "work dir")
    public LocalSnapshotView fetch(@PathVariable String db, @PathVariable String label) {
        BackupJob job = finished(db, label).orElseThrow(() -> ApiException.notFound("UNKNOWN_LOCAL_SNAPSHOT",
                "Local snapshot " + label + " of database " + db + " does not exist" + running(db, label)));
        return LocalSnapshotView.withFiles(job, System::currentTimeMillis);
    }

    private Optional<BackupJob> finished(String db, String label) {
        return backups.jobs(db).stream().filter(j -> j.isKeepOnLocal() && j.label().equals(label)
                && j.state() == BackupState.FINISHED).reduce((first, later) -> later);
    }

    private String running(String db, String label) {
        return backups.jobs(db).stream().filter(j -> j.isKeepOnLocal() && j.label().equals(label) && !j.isDone())
                .findFirst().map(j -> " (its backup job " + j.jobId() + " is " + j.state() + ")").orElse("");
    }
}
