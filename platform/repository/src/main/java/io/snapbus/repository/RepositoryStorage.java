package io.snapbus.repository;

import java.net.URI;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Files in a backup repository, addressed by '/'-separated paths relative to {@link #location()}. Every write is atomic:
 * no reader ever sees a partial file under its final name. Every method refuses a path that could leave the location
 * with {@link RepositoryException.Kind#INVALID_PATH} before touching anything; names ending in
 * {@value RepositoryLayout#SUFFIX_PARTIAL} are reserved for partial files. Failures are {@link RepositoryException}s.
 * Implementations are thread-safe: a storage node shares one between its upload workers.
 */
public interface RepositoryStorage extends AutoCloseable {

    /** The repository location this storage reaches (no credentials in it). */
    URI location();

    /**
     * Regular files directly in {@code dir} mapped to their size, sorted by name; empty when {@code dir} is absent; never
     * temp or partial files. {@code ""} lists the location itself.
     */
    Map<String, Long> list(String dir);

    /** Names of the sub-directories directly in {@code dir} (S3: common prefixes), sorted; {@code ""} is the location itself. */
    List<String> listDirs(String dir);

    /** Whether a file (not a directory) is stored at {@code path}. */
    boolean exists(String path);

    /** Stores a local file at {@code path}, replacing what was there, atomically. */
    void upload(Path localFile, String path);

    /**
     * Stores a local file at {@code <pathWithoutChecksum>.<md5>} and returns the md5 (32 lowercase hex characters), the
     * name Doris gives snapshot files in a repository.
     */
    String uploadWithChecksum(Path localFile, String pathWithoutChecksum);

    /**
     * Stores a local file whose md5 is already known (recorded when the file was written) at
     * {@code <pathWithoutChecksum>.<md5>}, without hashing it again: the filesystem copies in the kernel, S3 still
     * checks the bytes against the md5 (Content-MD5), so a wrong md5 fails there. Returns the md5.
     */
    String uploadWithKnownChecksum(Path localFile, String pathWithoutChecksum, String md5);

    /**
     * A group of uploads made durable together, for a writer of many files (a storage node's UPLOAD task): a file
     * uploaded through the batch appears under its final name only at {@link UploadBatch#commit}, which makes every
     * staged file durable first, then renames them into place, then makes the renames durable. On a filesystem that
     * is a few flushes for the whole group instead of two fsyncs per file; on S3 (and wherever a write is durable
     * when it returns) a batch writes straight through and commit has nothing left to do.
     *
     * @param flushFileSystem make the group durable with one syncfs(2) of the repository's filesystem (Linux) rather
     *                        than an fsync of each file and each directory; it also writes back what other writers
     *                        left dirty on that filesystem
     */
    default UploadBatch uploadBatch(boolean flushFileSystem) {
        return new UploadBatch() {
            @Override
            public String uploadWithChecksum(Path localFile, String pathWithoutChecksum) {
                return RepositoryStorage.this.uploadWithChecksum(localFile, pathWithoutChecksum);
            }

            @Override
            public String uploadWithKnownChecksum(Path localFile, String pathWithoutChecksum, String md5) {
                return RepositoryStorage.this.uploadWithKnownChecksum(localFile, pathWithoutChecksum, md5);
            }

            @Override
            public void commit() {
            }

            @Override
            public void close() {
            }
        };
    }

    /**
     * Uploads made durable and visible together; see {@link #uploadBatch}. Thread-safe: the workers of one task share
     * it. Closing it removes what was staged and not committed.
     */
    interface UploadBatch extends AutoCloseable {
        /** As {@link RepositoryStorage#uploadWithChecksum}; the file gets its final name at the next commit. */
        String uploadWithChecksum(Path localFile, String pathWithoutChecksum);

        /** As {@link RepositoryStorage#uploadWithKnownChecksum}; the file gets its final name at the next commit. */
        String uploadWithKnownChecksum(Path localFile, String pathWithoutChecksum, String md5);

        /**
         * Makes every file staged so far durable, renames each into place and makes the renames durable; a failure
         * leaves no file of the group half-written under its final name. Uploads may go on meanwhile: they belong to
         * the next commit.
         */
        void commit();

        @Override
        void close();
    }

    /** Stores bytes at {@code path}, atomically. */
    void write(String path, byte[] content);

    /** The content of the file at {@code path}; {@link RepositoryException.Kind#NOT_FOUND} when absent. */
    byte[] read(String path);

    /**
     * The content of the file at {@code path} as a stream, for files too large to hold whole ({@link #read} does);
     * {@link RepositoryException.Kind#NOT_FOUND} when absent. The caller closes it.
     */
    InputStream open(String path);

    /** Copies the file at {@code path} to a local file (replaced atomically; parent directories are created). */
    void download(String path, Path localFile);

    /**
     * Copies the file at {@code path} into {@code localFile} and returns the md5 (32 lowercase hex characters) of the
     * bytes written, computed while copying, so the caller can check them against the md5 in the file's name without
     * reading the file back. Unlike {@link #download}, {@code localFile} is written directly: no temp file and no
     * rename, because the caller chose a name of its own and renames it once it trusts the content. It must not exist
     * yet (so nothing is ever written through another name's hard link); missing parent directories are created.
     * Nothing is fsynced: the caller decides when the file must be durable. On failure a {@code localFile} this call
     * created is removed, partial or not; {@link RepositoryException.Kind#NOT_FOUND} when no file is stored at
     * {@code path}.
     */
    String downloadWithChecksum(String path, Path localFile);

    /**
     * Stores the file at {@code from} also at {@code to} (replacing what was there, atomically) without its bytes
     * passing through this process: a hard link on a filesystem, so both names share one stored copy (a plain copy
     * where the filesystem cannot link, e.g. across devices), a server-side copy on S3 (CopyObject: stored twice).
     * Returns false, changing nothing, when no file is stored at {@code from} (never there, or deleted meanwhile).
     * Later writes to either name replace that name only: nothing in this interface writes through a file in place.
     */
    boolean copyWithin(String from, String to);

    /** Removes the file at {@code path}; an absent file is fine, and a directory is left alone (use {@link #deleteRecursively}). */
    void delete(String path);

    /** Removes {@code dir} and everything under it; an absent dir is fine. */
    void deleteRecursively(String dir);

    @Override
    void close();
}
