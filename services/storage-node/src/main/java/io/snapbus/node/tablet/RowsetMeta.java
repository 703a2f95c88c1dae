package io.snapbus.node.tablet;

import java.util.List;
import java.util.Objects;

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
 */
public record RowsetMeta(String rowsetId, long startVersion, long endVersion, long rowCount, long dataSize,
                         List<RowsetFile> files) {
    public RowsetMeta {
        Objects.requireNonNull(rowsetId, "rowsetId");
        files = files == null ? List.of() : List.copyOf(files);
    }

    /** {@code [start-end]}, as Doris prints versions. */
    public String versionRange() {
        return "[" + startVersion + "-" + endVersion + "]";
    }
}
