package io.snapbus.node.tablet;

/**
 * The points of a MOVE between its durable steps, in order, where a debug pause can hold it (to kill the node there in
 * a test). Before {@link #INTENT_WRITTEN} a crash leaves the old tablet; from it on, the next open finishes the move.
 */
public enum MoveStep {
    /** The new tablet dir is built and fsynced beside the live one; no intent yet. */
    STAGED,
    /** The intent record is durable: from here the move always completes. */
    INTENT_WRITTEN,
    /** The live dir was renamed away; the tablet has no dir under data/ until the staged one takes its place. */
    LIVE_RETIRED,
    /** The staged dir is the live one; the snapshot is not yet marked LOADED. */
    SWAPPED
}
