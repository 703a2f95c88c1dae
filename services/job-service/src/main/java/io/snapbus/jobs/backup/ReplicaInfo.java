package io.snapbus.jobs.backup;

/** A replica of a tablet as the catalog shows it now, for choosing another one when a node lost the tablet. */
public record ReplicaInfo(long replicaId, long backendId, long version, long lastFailedVersion) {}
