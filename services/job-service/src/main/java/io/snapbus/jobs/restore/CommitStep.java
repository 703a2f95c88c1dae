package io.snapbus.jobs.restore;

/**
 * Where COMMITTING is: the MOVE tasks, then the restored replicas' checksums compared with the backup's (Doris has
 * no such step), then the one catalog change that swaps the restored partitions in. Once SWAPPING is persisted the
 * swap is only ever finished, never undone: a cancel or timeout is refused from then on.
 */
public enum CommitStep { MOVING, CHECKING, SWAPPING }
