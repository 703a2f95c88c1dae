package io.snapbus.node.tablet;

import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * Issues rowset ids: {@code "02"} (Doris's rowset-id version) and 16 hex digits of a counter that starts at the
 * current time in microseconds or past the highest id found on disk, whichever is larger, so ids never repeat
 * across restarts of a store.
 */
final class RowsetIds {
    private static final Pattern ID = Pattern.compile("02[0-9a-f]{16}");
    private final AtomicLong next;

    RowsetIds(long highestExisting) {
        this.next = new AtomicLong(Math.max(System.currentTimeMillis() * 1000L, highestExisting + 1));
    }

    String next() {
        return "02" + String.format("%016x", next.getAndIncrement());
    }

    /** The counter value of an id this class issued, or -1 for any other id. */
    static long counterOf(String rowsetId) {
        return rowsetId != null && ID.matcher(rowsetId).matches() ? Long.parseUnsignedLong(rowsetId.substring(2), 16)
                : -1;
    }
}
