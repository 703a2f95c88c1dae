package io.snapbus.tabletformat;

/** Doris's table models. Rows are stored as loaded whatever the model (compaction does not merge keys). */
public enum TabletKeysType { DUP_KEYS, AGG_KEYS, UNIQUE_KEYS }
