package io.snapbus.jobs.api.v1;

import io.snapbus.api.Page;

/** The messages of a page request's bounds, shared by every paginated v1 list. */
public final class Pages {
    public static final String OFFSET = "offset must be 0 or more";
    public static final String LIMIT = "limit must be 1.." + Page.MAX_LIMIT;

    private Pages() {}
}
