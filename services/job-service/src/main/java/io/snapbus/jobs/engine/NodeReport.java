package io.snapbus.jobs.engine;

import java.util.Set;

/** The tasks a node said it holds (queued, running, or finished with the report on its way), and when. */
public record NodeReport(long atMs, Set<Long> signatures) {}
