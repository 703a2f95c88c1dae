package io.snapbus.api.backup;

import java.util.List;

/** A cancel that took: {@code status} CANCELLED and the jobs it cancelled. */
public record CancelResult(String status, List<Long> jobIds) {}
