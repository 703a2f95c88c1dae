package io.snapbus.api.repository;

import java.util.List;

/**
 * A snapshot in a repository: its label and the backups of that label it holds, by timestamp
 * ({@code yyyy-MM-dd-HH-mm-ss}) and job info file ({@code __info_<timestamp>.<md5>}), oldest first.
 */
public record Snapshot(String label, List<String> timestamps, List<String> infoFiles) {}
