package io.snapbus.jobs.backup.shell;

import io.snapbus.avro.RepositoryRef;
import io.snapbus.jobs.repository.RepositoryAlterationListener;
import org.springframework.context.SmartLifecycle;

/**
 * Keeps unfinished backup jobs on their repository's current revision: told of every ALTER REPOSITORY, and, once the
 * catalog is replayed at start, catching up with an alteration that jobs persisted before a restart missed.
 */
public class RepositoryFollower implements RepositoryAlterationListener, SmartLifecycle {
    private final BackupService backups;
    private volatile boolean running;

    public RepositoryFollower(BackupService backups) {
        this.backups = backups;
    }

    @Override
    public void repositoryAltered(RepositoryRef repository) {
        backups.repositoryAltered(repository);
    }

    @Override
    public void start() {
        backups.catchUpWithRepositories();
        running = true;
    }

    @Override
    public void stop() {
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** After the catalog's replay (phase 0), before the web server takes requests. */
    @Override
    public int getPhase() {
        return 1;
    }
}
