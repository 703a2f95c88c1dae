package io.snapbus.api.repository;

import java.util.List;

/**
 * A snapshot deleted from its repository.
 *
 * @param deletionId the id of the deletion's event on job-events (jobType DELETE)
 * @param timestamps the backups of the label it held ({@code yyyy-MM-dd-HH-mm-ss}); empty for a label without job
 *                   info (a delete that stopped half-way, finished now)
 * @param reason     who asked: {@code user}, or {@code retention policy <name>}
 */
public record SnapshotDeleted(long deletionId, String repository, String label, List<String> timestamps,
        String reason) {}
