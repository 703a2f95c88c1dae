package io.snapbus.node.tablet;

import io.snapbus.tabletformat.RowsetMeta;
import java.util.List;

/**
 * Which rowsets a compaction merges: size-tiered, newest first. Starting from the newest rowset, the run is
 * extended to the next older adjacent rowset while that rowset is at most {@link #SIZE_RATIO} times the run's
 * size so far (bytes; so empty rowsets such as the initial {@code [0-v]} always join, but a run of only empty
 * rowsets takes no bigger one). A run of two or more rowsets is merged into one {@code [a-b]}.
 *
 * <p>Why: loads of similar size collapse into one rowset (so {@code [0-1][2-2][3-3][4-4]} becomes {@code [0-4]}),
 * while a big rowset is not rewritten for every small load: older rowsets left alone are each more than twice the
 * size of everything newer, so a tablet keeps a logarithmic number of rowsets and every byte is rewritten a
 * logarithmic number of times. Rows are concatenated in version order; keys are not merged (a UNIQUE or AGG
 * tablet keeps every loaded row), so a snapshot always holds exactly the rows that were loaded.
 */
final class CompactionPolicy {
    static final int SIZE_RATIO = 2;

    private CompactionPolicy() {
    }

    /** The rowsets to merge (adjacent, in version order), or an empty list when there is nothing to do. */
    static List<RowsetMeta> pick(List<RowsetMeta> rowsets) {
        int first = rowsets.size() - 1;
        if (first < 1) {
            return List.of();
        }
        long runBytes = rowsets.get(first).dataSize();
        while (first > 0) {
            RowsetMeta older = rowsets.get(first - 1);
            boolean adjacent = older.endVersion() + 1 == rowsets.get(first).startVersion();
            if (!adjacent || older.dataSize() > SIZE_RATIO * runBytes) {
                break;
            }
            first--;
            runBytes += older.dataSize();
        }
        return rowsets.size() - first < 2 ? List.of() : List.copyOf(rowsets.subList(first, rowsets.size()));
    }
}
