package io.snapbus.jobs.repository;

import io.snapbus.avro.RepositoryRef;

/** Told of every ALTER REPOSITORY once the catalog holds the new revision (running backup jobs follow it). */
@FunctionalInterface
public interface RepositoryAlterationListener {
    void repositoryAltered(RepositoryRef repository);
}
