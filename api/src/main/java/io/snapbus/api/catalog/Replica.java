package io.snapbus.api.catalog;

/** A replica of a tablet on a backend, with its versions (lastFailedVersion -1 when it missed none). */
public record Replica(long id, long backendId, long version, long lastFailedVersion, long lastSuccessVersion) {}
