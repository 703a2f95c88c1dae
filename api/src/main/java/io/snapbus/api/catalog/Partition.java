package io.snapbus.api.catalog;

import java.util.List;
import java.util.Map;

/**
 * A partition {@code [rangeLower, rangeUpper)} (null bounds: MINVALUE, MAXVALUE) with its visible version and its
 * tablets by index name, in bucket order.
 */
public record Partition(long id, long tableId, String name, boolean temporary, String rangeLower, String rangeUpper,
        long visibleVersion, long visibleVersionTimeMs, long nextVersion, int buckets,
        Map<String, List<Tablet>> tablets) {}
