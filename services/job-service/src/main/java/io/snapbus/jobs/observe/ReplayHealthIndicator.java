package io.snapbus.jobs.observe;

import io.snapbus.jobs.backup.shell.BackupService;
import io.snapbus.jobs.catalog.Catalog;
import io.snapbus.jobs.restore.shell.RestoreService;
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
    private final BackupService backups;
    private final RestoreService restores;

    public ReplayHealthIndicator(Catalog catalog, BackupService backups, RestoreService restores) {
        this.catalog = catalog;
        this.backups = backups;
        this.restores = restores;
    }

    @Override
    public Health health() {
        boolean catalogDone = catalog.isRunning();
        boolean backupsDone = backups.isRunning();
        boolean restoresDone = restores.isRunning();
        Health.Builder health = catalogDone && backupsDone && restoresDone ? Health.up() : Health.down();
        return health.withDetail("catalog", catalogDone ? "replayed" : "replaying")
                .withDetail("backupJobs", backupsDone ? "resumed" : "replaying")
                .withDetail("restoreJobs", restoresDone ? "resumed" : "replaying")
                .build();
    }
}
