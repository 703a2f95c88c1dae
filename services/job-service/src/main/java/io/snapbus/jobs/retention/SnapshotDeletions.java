package io.snapbus.jobs.retention;

import io.snapbus.api.repository.SnapshotDeleted;
import io.snapbus.jobs.api.ApiException;
import io.snapbus.jobs.backup.BackupJob;
import io.snapbus.jobs.backup.shell.BackupService;
import io.snapbus.jobs.catalog.CatalogView;
import io.snapbus.jobs.repository.RepositoryService;
import io.snapbus.jobs.restore.RestoreJob;
import io.snapbus.jobs.restore.shell.RestoreService;
import io.snapbus.repository.RepositoryLayout;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes snapshots, one at a time, never under a running job: a label a running backup writes or a running
 * restore reads is refused (409) until that job ended. A restore or backup started while a delete runs finds the
 * label without job info and is refused or reuses nothing from it; other snapshots never lose a file (each label
 * holds its own, see the README's incremental design). Every deletion is an event on job-events (jobType DELETE).
 */
public final class SnapshotDeletions {
    private static final Logger log = LoggerFactory.getLogger(SnapshotDeletions.class);

    private final RepositoryService repositories;
    private final BackupService backups;
    private final RestoreService restores;
    private final CatalogView catalog;
    private final DeletionEvents events;
    private final Clock clock;

    public SnapshotDeletions(RepositoryService repositories, BackupService backups, RestoreService restores,
            CatalogView catalog, DeletionEvents events, Clock clock) {
        this.repositories = repositories;
        this.backups = backups;
        this.restores = restores;
        this.catalog = catalog;
        this.events = events;
        this.clock = clock;
    }

    /** Deletes {@code label} from {@code repository}; {@code reason} is "user" or the retention policy's. */
    public synchronized SnapshotDeleted delete(String repository, String label, String reason) {
        try {
            RepositoryLayout.validateLabel(label);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        repositories.require(repository);
        Optional<BackupJob> writer = backups.jobs().stream().filter(j -> !j.isDone()
                && j.repository().getName().equals(repository) && j.label().equals(label)).findFirst();
        if (writer.isPresent()) {
            throw ApiException.conflict("Snapshot " + label + " is being written by backup job "
                    + writer.get().jobId() + "; cancel it or wait for it to end");
        }
        Optional<RestoreJob> reader = restores.jobs().stream().filter(j -> !j.isDone()
                && j.request().repositoryName().equals(repository) && j.label().equals(label)).findFirst();
        if (reader.isPresent()) {
            throw ApiException.conflict("Snapshot " + label + " is being restored by restore job "
                    + reader.get().jobId() + "; cancel it or wait for it to end");
        }
        long id = catalog.nextId();
        List<String> timestamps;
        try {
            timestamps = repositories.deleteSnapshot(repository, label);
        } catch (ApiException e) {
            if (e.status().is5xxServerError()) {
                events.failed(id, repository, label, reason, e.getMessage() + "; deleting it again finishes it",
                        clock.millis());
            }
            throw e;
        }
        SnapshotDeleted deleted = new SnapshotDeleted(id, repository, label, timestamps, reason);
        log.info("snapshot deletion {}: {} of repository {} deleted ({}), backups {}", id, label, repository, reason,
                timestamps);
        events.deleted(deleted, clock.millis());
        return deleted;
    }
}
