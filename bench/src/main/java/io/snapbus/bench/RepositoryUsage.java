package io.snapbus.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/** What a repository stores now, in bytes, counted the way its storage bills it. */
@FunctionalInterface
interface RepositoryUsage {
    long bytes() throws IOException;

    /**
     * A filesystem repository: the size of every regular file under {@code root}, each inode once, since the
     * incremental backups hard-link the files they reuse (what {@code du -sb} reports, without the directories).
     */
    static RepositoryUsage filesystem(Path root) {
        return () -> {
            Set<Object> seen = new HashSet<>();
            try (Stream<Path> files = Files.walk(root)) {
                return files.filter(Files::isRegularFile).mapToLong(file -> {
                    try {
                        return seen.add(Files.getAttribute(file, "unix:ino")) ? Files.size(file) : 0;
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }).sum();
            }
        };
    }

    /** An S3 repository: the sizes of the objects listed under {@code prefix} (S3 has no links: copies count). */
    static RepositoryUsage s3(S3Client client, String bucket, String prefix) {
        return () -> client.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents().stream()
                .mapToLong(S3Object::size).sum();
    }
}
