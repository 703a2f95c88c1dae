package io.snapbus.api.catalog;

import java.util.List;

/** A tablet (one bucket of one index of one partition) and its replicas. */
public record Tablet(long id, List<Replica> replicas) {}
