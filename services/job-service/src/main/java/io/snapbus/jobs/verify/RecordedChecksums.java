package io.snapbus.jobs.verify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.snapbus.jobs.backup.BackupJobInfo;
import io.snapbus.rows.ContentChecksum;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * The per-tablet rows and content checksums a backup recorded in its job info (under each index's
 * {@value BackupJobInfo#TABLET_CHECKSUMS_KEY}); a Doris job info, or an older one of ours, has none.
 */
final class RecordedChecksums {
    private static final ObjectMapper JSON = new ObjectMapper();

    private RecordedChecksums() {
    }

    /** Tablet id to what its backup recorded; bytes that are no job info give an IOException. */
    static Map<Long, ContentChecksum> of(byte[] jobInfo) throws IOException {
        Map<Long, ContentChecksum> recorded = new HashMap<>();
        for (JsonNode table : JSON.readTree(jobInfo).path("backup_objects")) {
            for (JsonNode partition : table.path("partitions")) {
                for (JsonNode index : partition.path("indexes")) {
                    index.path(BackupJobInfo.TABLET_CHECKSUMS_KEY).properties().forEach(e -> recorded.put(
                            Long.parseLong(e.getKey()), new ContentChecksum(e.getValue().path("rows").asLong(),
                                    e.getValue().path("checksum").asLong())));
                }
            }
        }
        return recorded;
    }
}
