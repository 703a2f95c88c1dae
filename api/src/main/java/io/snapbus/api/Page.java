package io.snapbus.api;

import java.util.List;

/**
 * One page of a list, newest first. Pages are addressed by {@code offset} and {@code limit} (query parameters of the
 * same names): {@code limit} defaults to {@value #DEFAULT_LIMIT} and may be at most {@value #MAX_LIMIT};
 * {@code nextOffset} is the offset of the next page, null on the last one.
 *
 * @param items      the page's items, at most {@code limit}
 * @param total      how many items the whole list has
 * @param offset     the index of the first item in the whole list
 * @param limit      the page size asked for
 * @param nextOffset the {@code offset} of the next page, null when this one is the last
 */
public record Page<T>(List<T> items, long total, int offset, int limit, Integer nextOffset) {
    /** Items per page when the request names no limit. */
    public static final int DEFAULT_LIMIT = 50;
    /** The largest limit a request may ask for. */
    public static final int MAX_LIMIT = 500;

    /** The page of {@code all} (already in its order) from {@code offset}, at most {@code limit} items. */
    public static <T> Page<T> of(List<T> all, int offset, int limit) {
        int from = Math.min(offset, all.size());
        int to = (int) Math.min((long) from + limit, all.size());
        return new Page<>(List.copyOf(all.subList(from, to)), all.size(), offset, limit,
                to < all.size() ? to : null);
    }
}
