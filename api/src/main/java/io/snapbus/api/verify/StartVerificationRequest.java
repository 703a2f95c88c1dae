package io.snapbus.api.verify;

import jakarta.validation.constraints.Pattern;

/**
 * Verify a snapshot of a repository.
 *
 * @param timestamp the backup timestamp ({@code yyyy-MM-dd-HH-mm-ss}); absent: the label's newest backup
 * @param level     {@code files} (default: every file is there with its size and md5) or {@code data} (also every
 *                  tablet's rows read back against the recorded checksums)
 */
public record StartVerificationRequest(
        String timestamp,
        @Pattern(regexp = "(?i)files|data", message = "level is files or data") String level) {}
