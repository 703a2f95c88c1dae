package io.snapbus.repository;

import java.util.Objects;

/** A repository file name split into the snapshot file's own name and the md5 Doris appends after the last dot. */
public record ChecksummedName(String name, String md5) {

    public ChecksummedName {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(md5, "md5");
    }

    /** The stored name, {@code <name>.<md5>}. */
    @Override
    public String toString() {
        return name + "." + md5;
    }
}
