package io.snapbus.jobs.engine.shell;

import io.snapbus.avro.RepositoryRef;
import io.snapbus.repository.RepositoryStorage;

/** Opens a job's repository with its credentials resolved on this side (never carried in the job). */
@FunctionalInterface
public interface RepositoryOpener {
    RepositoryStorage open(RepositoryRef repository);
}
