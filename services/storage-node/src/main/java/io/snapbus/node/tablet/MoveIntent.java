package io.snapbus.node.tablet;

/**
 * The durable record of a MOVE that must complete: which staged dir replaces which live tablet dir, where the live
 * one goes, and which snapshot dir gets the LOADED marker. Paths are relative to the store root, so a store moved
 * as a whole still replays. Written (atomically, fsynced) after the staged dir is complete; its existence is the
 * commit point of the move.
 */
record MoveIntent(long tabletId, int schemaHash, long jobId, String live, String staged, String retired,
                  String snapshot) {
}
