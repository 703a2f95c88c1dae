package io.snapbus.api.restore;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.Map;

/**
 * RESTORE SNAPSHOT db.label FROM repository [ON | EXCLUDE] (...) PROPERTIES (...): {@code on} or {@code exclude} (not
 * both; neither: every object of the snapshot), properties with Doris's names ({@code backup_timestamp} required).
 */
public record CreateRestoreRequest(
        @NotNull(message = "a restore needs the snapshot's label") String label,
        @NotNull(message = "a restore needs a repository")
        @Size(max = 64, message = "a repository name has at most 64 characters") String repository,
        List<@NotNull(message = "a table must not be null") @Valid RestoreTable> on,
        List<@NotNull(message = "a table must not be null") @Valid RestoreTable> exclude,
        Map<String, String> properties) {}
