package io.snapbus.api.repository;

import java.util.Map;

/**
 * A backup repository, never with a secret: only the credential reference is shown.
 *
 * @param storageType FILESYSTEM or S3
 * @param location    {@code file:///abs/path} or {@code s3://bucket/prefix}
 * @param revision    increases with every ALTER REPOSITORY
 */
public record Repository(long repoId, String name, String storageType, String location,
        Map<String, String> properties, String credentialRef, boolean readOnly, long revision, long createdAtMs) {}
