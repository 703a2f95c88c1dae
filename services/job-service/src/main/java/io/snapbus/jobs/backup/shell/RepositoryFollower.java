package io.snapbus.jobs.backup.shell;

import io.snapbus.avro.RepositoryRef;
import io.snapbus.jobs.repository.RepositoryAlterationListener;

/**
 * Keeps unfinished backup jobs on their repository's current revision: told of every ALTER REPOSITORY. (Jobs
 * restored after a restart catch up with the catalog's revision when BackupService resumes them.)
 */
public class RepositoryFollower implements RepositoryAlterationListener {
    private final BackupService backups;

    public RepositoryFollower(BackupService backups) {
        this.backups = backups;
    }

    @Override
    public void repositoryAltered(RepositoryRef repository) {
        backups.repositoryAltered(repository);
    }
}
