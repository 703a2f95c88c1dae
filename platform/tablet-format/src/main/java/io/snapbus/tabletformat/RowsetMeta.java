package io.snapbus.tabletformat;

import com.fasterxml.jackson.annotation.JsonCreator;
import io.snapbus.rows.ContentChecksum;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A published rowset: the rows of versions {@code [startVersion-endVersion]}. A rowset without rows has no files
 * (like Doris's empty rowsets, e.g. the initial {@code [0-v]} of a new tablet).
 *
 * @param rowsetId     unique hex id; also the prefix of its file names
 * @param startVersion first version it holds
 * @param endVersion   last version it holds
 * @param rowCount     rows in all its files
 * @param dataSize     bytes of all its files
 * @param files        its data files
 * @param contentChecksum the sum of its rows' {@link io.snapbus.rows.CanonicalRow#hash hashes}, computed when the
 *                     rowset was written (load, compaction) and kept by MOVE; {@code null} (unknown) in headers written
 *                     before checksums existed, where it is computed from the files when asked and not stored back
 */
public record RowsetMeta(String rowsetId, long startVersion, long endVersion, long rowCount, long dataSize,
                         List<RowsetFile> files, Long contentChecksum) {
    @JsonCreator
    public RowsetMeta {
        Objects.requireNonNull(rowsetId, "rowsetId");
        files = files == null ? List.of() : List.copyOf(files);
        if (files.isEmpty() && rowCount == 0 && contentChecksum == null) {
            contentChecksum = 0L; // no rows: the empty checksum is known
        }
    }

    /** A rowset whose checksum is unknown (tests; headers of old nodes). */
    public RowsetMeta(String rowsetId, long startVersion, long endVersion, long rowCount, long dataSize,
                      List<RowsetFile> files) {
        this(rowsetId, startVersion, endVersion, rowCount, dataSize, files, null);
    }

    /** Its rows and content checksum as recorded when it was written; empty when that was before checksums. */
    public Optional<ContentChecksum> recordedChecksum() {
        return contentChecksum == null ? Optional.empty() : Optional.of(new ContentChecksum(rowCount, contentChecksum));
    }

    /** {@code [start-end]}, as Doris prints versions. */
    public String versionRange() {
        return "[" + startVersion + "-" + endVersion + "]";
    }
}
