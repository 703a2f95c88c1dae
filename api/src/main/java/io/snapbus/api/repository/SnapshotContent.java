package io.snapbus.api.repository;

import java.util.List;

/**
 * What one backup of a snapshot holds, read from its job info ({@code __info_<timestamp>.<md5>}, checked against its
 * md5) with each tablet's files sized as the repository stores them.
 *
 * @param timestamp    the backup timestamp, {@code yyyy-MM-dd-HH-mm-ss}
 * @param backupTimeMs when the backup took its snapshots (the job info's {@code backup_time})
 * @param content      ALL, or METADATA_ONLY (no files)
 * @param bytes        the stored size of every tablet file of the backup
 * @param views        names of the views the snapshot holds
 * @param odbcTables   names of the ODBC tables the snapshot holds
 */
public record SnapshotContent(String repository, String label, String timestamp, String dbName,
        long backupTimeMs, String content, long bytes, long files, int tablets, List<SnapshotTable> tables,
        List<String> views, List<String> odbcTables) {

    /** An OLAP table of the snapshot with its totals. */
    public record SnapshotTable(String name, long id, long bytes, long files, int tablets,
            List<SnapshotPartition> partitions) {}

    /**
     * A partition at the version the backup took, with its totals and its tablets.
     *
     * @param rows rows recorded with the tablets' checksums (0 when the backup recorded none)
     */
    public record SnapshotPartition(String name, long id, long version, long bytes, long files, long rows,
            List<SnapshotTablet> tablets) {}

    /**
     * A tablet of an index (the base index is named after its table) in bucket order.
     *
     * @param rows     rows at the backup's version; null when the backup recorded no checksum (a Doris snapshot)
     * @param checksum the content checksum the backup recorded (sum of the rows' hashes, a signed 64-bit number) in
     *                 decimal; text, because a JSON number that large loses digits in a browser; null when none
     */
    public record SnapshotTablet(long tabletId, String index, long files, long bytes, Long rows, String checksum) {}
}
