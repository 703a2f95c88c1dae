package io.snapbus.api.catalog;

/** A storage node of the cluster; no new replicas are placed on a decommissioned one. */
public record Backend(long id, String host, int bePort, int httpPort, boolean decommissioned) {}
