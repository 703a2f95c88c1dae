package io.snapbus.repository;

import java.util.Objects;

/** Opens the {@link RepositoryStorage} for a repository location by its URI scheme. */
public final class RepositoryStorages {

    private RepositoryStorages() {
    }

    /** {@code file:} opens the filesystem storage, {@code s3:} (also {@code s3a:}, {@code s3n:}) the S3 storage. */
    public static RepositoryStorage open(RepositorySpec spec) {
        Objects.requireNonNull(spec, "spec");
        return switch (spec.scheme()) {
            case "file" -> FileSystemRepositoryStorage.open(spec);
            case "s3", "s3a", "s3n" -> S3RepositoryStorage.open(spec);
            default -> throw new IllegalArgumentException("unsupported repository location '" + spec.location() + "': scheme '"
                    + spec.location().getScheme() + "' is not supported; use file:///absolute/dir or s3://bucket[/prefix]");
        };
    }
}
