package io.snapbus.node.tablet;

import io.snapbus.tabletformat.RowsetMeta;
import io.snapbus.thrift.TStatusCode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Doris's {@code capture_consistent_versions}: the shortest chain of rowsets {@code [0-a][a+1-b]…[c-v]} covering
 * exactly {@code [0-v]}. Rowsets are edges from {@code start} to {@code end+1} of a version graph; a breadth-first
 * search finds the path with the fewest rowsets.
 */
final class VersionPath {
    private VersionPath() {
    }

    /**
     * @throws StoreException OLAP_ERR_VERSION_ALREADY_MERGED when every version up to {@code version} exists but
     *                        compaction merged some of them with versions after it; INTERNAL_ERROR when versions
     *                        are missing
     */
    static List<RowsetMeta> capture(long tabletId, List<RowsetMeta> rowsets, long version) {
        Map<Long, List<RowsetMeta>> byStart = new HashMap<>();
        for (RowsetMeta rowset : rowsets) {
            if (rowset.endVersion() <= version) {
                byStart.computeIfAbsent(rowset.startVersion(), k -> new ArrayList<>()).add(rowset);
            }
        }
        byStart.values().forEach(list -> list.sort(Comparator.comparingLong(RowsetMeta::endVersion).reversed()));
        Map<Long, RowsetMeta> reachedBy = new HashMap<>();
        Deque<Long> queue = new ArrayDeque<>();
        queue.add(0L);
        reachedBy.put(0L, null);
        while (!queue.isEmpty()) {
            long next = queue.poll();
            if (next == version + 1) {
                return pathTo(reachedBy, next);
            }
            for (RowsetMeta rowset : byStart.getOrDefault(next, List.of())) {
                long to = rowset.endVersion() + 1;
                if (!reachedBy.containsKey(to)) {
                    reachedBy.put(to, rowset);
                    queue.add(to);
                }
            }
        }
        if (covers(rowsets, version)) {
            throw new StoreException(TStatusCode.OLAP_ERR_VERSION_ALREADY_MERGED, "tablet " + tabletId
                    + ": version " + version + " was already merged by compaction (rowsets "
                    + ranges(rowsets) + ")");
        }
        throw new StoreException(TStatusCode.INTERNAL_ERROR, "tablet " + tabletId + ": versions up to " + version
                + " are missing (rowsets " + ranges(rowsets) + ")");
    }

    private static List<RowsetMeta> pathTo(Map<Long, RowsetMeta> reachedBy, long end) {
        List<RowsetMeta> path = new ArrayList<>();
        for (RowsetMeta rowset = reachedBy.get(end); rowset != null; rowset = reachedBy.get(rowset.startVersion())) {
            path.add(rowset);
        }
        Collections.reverse(path);
        return path;
    }

    /** Whether every version in {@code [0-version]} is in some rowset. */
    private static boolean covers(List<RowsetMeta> rowsets, long version) {
        List<RowsetMeta> sorted = rowsets.stream().sorted(Comparator.comparingLong(RowsetMeta::startVersion)).toList();
        long nextMissing = 0;
        for (RowsetMeta rowset : sorted) {
            if (rowset.startVersion() > nextMissing) {
                break;
            }
            nextMissing = Math.max(nextMissing, rowset.endVersion() + 1);
        }
        return nextMissing > version;
    }

    static String ranges(List<RowsetMeta> rowsets) {
        StringBuilder text = new StringBuilder();
        rowsets.forEach(rowset -> text.append(rowset.versionRange()));
        return text.toString();
    }
}
