package io.snapbus.node.tablet;

/**
 * A transaction's rows written to a tablet but not yet published.
 *
 * @param tabletId the tablet
 * @param txnId    the load transaction
 * @param rowCount rows written
 * @param dataSize bytes of the pending rowset's files
 */
public record PendingWrite(long tabletId, long txnId, long rowCount, long dataSize) {}
