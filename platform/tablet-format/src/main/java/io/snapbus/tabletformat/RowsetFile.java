package io.snapbus.tabletformat;

import java.util.Objects;

/**
 * One file of a rowset.
 *
 * @param name bare file name, {@code <rowsetId>_<segment>.dat}
 * @param size bytes
 * @param md5  lower-case hex md5 of the content
 */
public record RowsetFile(String name, long size, String md5) {
    public RowsetFile {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(md5, "md5");
    }
}
