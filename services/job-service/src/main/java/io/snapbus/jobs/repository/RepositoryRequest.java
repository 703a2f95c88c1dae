package io.snapbus.jobs.repository;

import java.util.Map;

/**
 * A repository to create: {@code location} is {@code file:///abs/path} or {@code s3://bucket/prefix}; properties may be
 * s3.endpoint, s3.region, s3.path_style; {@code credentialRef} names an entry of the credentials file.
 */
public record RepositoryRequest(String name, String location, Map<String, String> properties, String credentialRef,
                                Boolean readOnly) {}
