package io.snapbus.jobs.repository;

import java.util.Map;

/**
 * ALTER REPOSITORY of an S3 repository: {@code properties} (s3.endpoint, s3.region, s3.path_style) are merged into the
 * current ones (a null value removes one), {@code credentialRef} replaces the credential reference. Name, storage type,
 * location and read-only cannot change: they are accepted only when equal to the repository's own.
 */
public record RepositoryAlteration(Map<String, String> properties, String credentialRef, String name,
                                   String storageType, String location, Boolean readOnly) {}
