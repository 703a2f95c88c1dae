package io.snapbus.jobs.verify;

/**
 * The body of {@code POST /api/repositories/{repo}/snapshots/{label}/verify}.
 *
 * @param timestamp the backup timestamp ({@code yyyy-MM-dd-HH-mm-ss}); absent: the label's newest backup
 * @param level     {@code files} (default) or {@code data}
 */
public record VerifyRequest(String timestamp, String level) {}
