package io.snapbus.node.tablet;

import io.snapbus.rows.ContentChecksum;
import java.nio.file.Path;
import java.util.List;

/**
 * A snapshot made by {@link TabletStore#makeSnapshot}.
 *
 * @param root      the snapshot root, {@code <store>/snapshot/<yyyyMMddHHmmss>.<seq>.<timeoutSeconds>} (a real path);
 *                  what RELEASE_SNAPSHOT deletes
 * @param tabletDir {@code root/<tabletId>/<schemaHash>}: what UPLOAD sends
 * @param files     bare names of the files in {@code tabletDir}, sorted: the rowset files and {@code <tabletId>.hdr}
 * @param checksum  the rows and content checksum of the tablet at the snapshot's version, as its rowsets recorded them
 */
public record Snapshot(Path root, Path tabletDir, List<String> files, ContentChecksum checksum) {
    public Snapshot {
        files = List.copyOf(files);
    }
}
