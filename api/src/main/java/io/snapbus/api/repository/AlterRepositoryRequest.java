package io.snapbus.api.repository;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.util.Map;

/**
 * ALTER REPOSITORY of an S3 repository: {@code properties} are merged into the current ones (a null value removes
 * one), {@code credentialRef} replaces the credential reference. Name, storage type, location and read-only cannot
 * change: they are accepted only when equal to the repository's own.
 */
public record AlterRepositoryRequest(
        Map<@NotBlank(message = "a property needs a name") @Size(max = 64, message = "at most 64 characters") String,
            @Size(max = 4096, message = "at most 4096 characters") String> properties,
        @Size(max = 64, message = "at most 64 characters") String credentialRef,
        @Size(max = 64, message = "at most 64 characters") String name,
        @Size(max = 64, message = "at most 64 characters") String storageType,
        @Size(max = 4096, message = "at most 4096 characters") String location,
        Boolean readOnly) {}
