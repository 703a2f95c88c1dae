package io.snapbus.api.retention;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/**
 * A new retention policy; at least one of {@code expireAfterSeconds} and {@code maxCount} must be set, and
 * {@code maxCount} (when set) at least {@code minCount}.
 *
 * @param expireAfterSeconds snapshots older than this may be deleted (absent or 0: no age limit)
 * @param minCount           the newest this many successful snapshots are kept whatever their age (default 0)
 * @param maxCount           at most this many snapshots are kept (absent or 0: no count limit)
 */
public record CreateRetentionPolicyRequest(
        @NotBlank(message = "a retention policy needs a name")
        @Size(max = 64, message = "a policy name has at most 64 characters") String name,
        @NotBlank(message = "a retention policy needs a repository")
        @Size(max = 64, message = "a repository name has at most 64 characters") String repository,
        @Min(value = 0, message = "expireAfterSeconds must not be negative") Long expireAfterSeconds,
        @Min(value = 0, message = "minCount must not be negative") Integer minCount,
        @Min(value = 0, message = "maxCount must not be negative") Integer maxCount) {}
