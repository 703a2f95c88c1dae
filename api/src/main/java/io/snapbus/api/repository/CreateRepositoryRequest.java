package io.snapbus.api.repository;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.Map;

/**
 * CREATE REPOSITORY: {@code location} is {@code file:///abs/path} or {@code s3://bucket/prefix}; properties may be
 * s3.endpoint, s3.region, s3.path_style; {@code credentialRef} names an entry of the credentials file.
 */
public record CreateRepositoryRequest(
        @NotNull(message = "a repository needs a name") @Size(max = 64, message = "at most 64 characters") String name,
        @NotNull(message = "a repository needs a location")
        @Size(max = 4096, message = "at most 4096 characters") String location,
        Map<@NotBlank(message = "a property needs a name") @Size(max = 64, message = "at most 64 characters") String,
            @NotNull(message = "a property needs a value")
            @Size(max = 4096, message = "at most 4096 characters") String> properties,
        @Size(max = 64, message = "at most 64 characters") String credentialRef,
        Boolean readOnly) {}
