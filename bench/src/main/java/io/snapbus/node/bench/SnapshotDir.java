package io.snapbus.node.bench;

import java.nio.file.Path;
import java.util.List;

/**
 * A tablet's snapshot on the benchmark's node: the snapshot root, the tablet dir inside it
 * ({@code <root>/<tabletId>/<schemaHash>}), its files and how many bytes they hold.
 */
record SnapshotDir(long tabletId, Path root, Path tabletDir, List<String> files, long bytes) {}
