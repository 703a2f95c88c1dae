package io.snapbus.node.tablet;

import io.snapbus.rows.ContentChecksum;
import java.util.Optional;

/**
 * CHECK_CONSISTENCY's answer for one tablet at one version.
 *
 * @param version    the version checked
 * @param recomputed the checksum of the rows read back from the files on the version path
 * @param recorded   what the rowsets on that path recorded when they were written; empty when one of them was written
 *                   before checksums existed
 */
public record ConsistencyCheck(long version, ContentChecksum recomputed, Optional<ContentChecksum> recorded) {
    /** Whether the stored rows still are what was written (true when nothing was recorded to compare with). */
    public boolean matchesRecorded() {
        return recorded.map(recomputed::equals).orElse(true);
    }
}
