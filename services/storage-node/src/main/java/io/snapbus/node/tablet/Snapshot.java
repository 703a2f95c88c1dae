package io.snapbus.node.tablet;

import java.nio.file.Path;
import java.util.List;

/**
 * A snapshot made by {@link TabletStore#makeSnapshot}.
 *
 * @param root      the snapshot root, {@code <store>/snapshot/<yyyyMMddHHmmss>.<seq>.<timeoutSeconds>} (a real path);
 *                  what RELEASE_SNAPSHOT deletes
 * @param tabletDir {@code root/<tabletId>/<schemaHash>}: what UPLOAD sends
 * @param files     bare names of the files in {@code tabletDir}, sorted: the rowset files and {@code <tabletId>.hdr}
 */
public record Snapshot(Path root, Path tabletDir, List<String> files) {
    public Snapshot {
        files = List.copyOf(files);
    }
}
