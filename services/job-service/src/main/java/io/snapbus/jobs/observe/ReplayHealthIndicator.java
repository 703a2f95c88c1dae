package io.snapbus.jobs.observe;

import io.snapbus.jobs.backup.shell.BackupService;
import io.snapbus.jobs.catalog.Catalog;
import io.snapbus.jobs.restore.shell.RestoreService;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Health {@code replay} (in the readiness group): UP once the catalog is replayed and the backup and restore jobs are
 * replayed and resumed; DOWN before, naming what is still replaying.
 */
@Component("replay")
public class ReplayHealthIndicator implements HealthIndicator {
    private final Catalog catalog;
    private final ObjectProvider<BackupService> backups;
    private final ObjectProvider<RestoreService> restores;

    /** The job services are optional: a context without them (a test's) has nothing of theirs to wait for. */
    public ReplayHealthIndicator(Catalog catalog, ObjectProvider<BackupService> backups,
            ObjectProvider<RestoreService> restores) {
        this.catalog = catalog;
        this.backups = backups;
        this.restores = restores;
    }

    @Override
    public Health health() {
        boolean catalogDone = catalog.isRunning();
        BackupService backup = backups.getIfAvailable();
        RestoreService restore = restores.getIfAvailable();
        boolean backupsDone = backup == null || backup.isRunning();
        boolean restoresDone = restore == null || restore.isRunning();
        Health.Builder health = catalogDone && backupsDone && restoresDone ? Health.up() : Health.down();
        return health.withDetail("catalog", catalogDone ? "replayed" : "replaying")
                .withDetail("backupJobs", backupsDone ? "resumed" : "replaying")
                .withDetail("restoreJobs", restoresDone ? "resumed" : "replaying")
                .build();
    }
}
