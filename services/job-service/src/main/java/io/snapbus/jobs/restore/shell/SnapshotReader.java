package io.snapbus.jobs.restore.shell;

import io.snapbus.avro.RepositoryRef;
import io.snapbus.jobs.engine.shell.RepositoryOpener;
import io.snapbus.jobs.restore.RestoreRequestException;
import io.snapbus.jobs.restore.SnapshotInfo;
import io.snapbus.jobs.restore.SnapshotMeta;
import io.snapbus.repository.ChecksummedName;
import io.snapbus.repository.Md5;
import io.snapbus.repository.RepositoryException;
import io.snapbus.repository.RepositoryLayout;
import io.snapbus.repository.RepositoryStorage;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a snapshot's job info ({@code __info_<timestamp>.<md5>}) and meta ({@code __meta.<md5>}) from its repository,
 * each checked against the md5 its name carries (Doris's getSnapshotInfoFile and getSnapshotMetaFile). The repository
 * alone is enough: nothing of the backup job that wrote it is needed, so an empty stack restores from it.
 */
public final class SnapshotReader {
    private static final int STREAM_BUFFER = 1 << 16;
    private final RepositoryOpener repositories;

    /** The job info and meta of one snapshot. */
    record Snapshot(SnapshotInfo info, SnapshotMeta meta) {}

    SnapshotReader(RepositoryOpener repositories) {
        this.repositories = repositories;
    }

    /**
     * The snapshot {@code label} taken at {@code timestamp} ({@code yyyy-MM-dd-HH-mm-ss}); {@code metaVersion} -1
     * reads the meta with the job info's version. Refused with Doris's messages when it is missing or damaged.
     */
    Snapshot read(RepositoryRef repository, String label, String timestamp, int metaVersion) {
        try (RepositoryStorage storage = repositories.open(repository)) {
            String dir = RepositoryLayout.snapshotDir(repository.getName(), label);
            Map<String, Long> files = storage.list(dir);
            SnapshotInfo info = info(storage, dir, files, label, timestamp, false);
            List<String> metas = files.keySet().stream().filter(f -> RepositoryLayout.parseChecksummed(f)
                    .map(c -> c.name().equals(RepositoryLayout.META_FILE)).orElse(false)).toList();
            if (metas.size() != 1) {
                throw RestoreRequestException.invalid("Failed to get meta info of snapshot '" + label + "' because: "
                        + (metas.isEmpty() ? "there is no meta file" : "there are " + metas.size() + " meta files")
                        + " in " + dir);
            }
            byte[] metaBytes = checked(storage, dir, metas.get(0), label);
            SnapshotMeta meta = SnapshotMeta.parse(metas.get(0), metaBytes, metaVersion >= 0 ? metaVersion
                    : info.metaVersion());
            return new Snapshot(info, meta);
        } catch (RepositoryException e) {
            throw infoFailure(label, e.getMessage());
        }
    }

    /**
     * The job info of the snapshot {@code label} taken at {@code timestamp}, every tablet's files included, without its
     * meta, read and checked in the open {@code storage}; refused with Doris's messages when it is missing or damaged.
     */
    public static SnapshotInfo info(RepositoryStorage storage, String repositoryName, String label,
            String timestamp) {
        try {
            String dir = RepositoryLayout.snapshotDir(repositoryName, label);
            return info(storage, dir, storage.list(dir), label, timestamp, true);
        } catch (RepositoryException e) {
            throw infoFailure(label, e.getMessage());
        }
    }

    private static SnapshotInfo info(RepositoryStorage storage, String dir, Map<String, Long> files, String label,
            String timestamp, boolean withFiles) {
        String infoName = RepositoryLayout.PREFIX_JOB_INFO + timestamp;
        List<String> infos = files.keySet().stream().filter(f -> RepositoryLayout.parseChecksummed(f)
                .map(c -> c.name().equals(infoName)).orElse(false)).toList();
        if (infos.size() != 1) {
            throw infoFailure(label, infos.isEmpty() ? "there is no job info file " + infoName + " in " + dir
                    : "there are " + infos.size() + " job info files " + infoName + " in " + dir);
        }
        return parsed(storage, dir, infos.get(0), label, withFiles);
    }

    /**
     * The job info in {@code file}, parsed as it streams (a million tablets make ~300 MB of it), whose md5 must be the
     * one its name carries: a damaged file is refused for its md5 even where its JSON breaks first.
     */
    private static SnapshotInfo parsed(RepositoryStorage storage, String dir, String file, String label,
            boolean withFiles) {
        MessageDigest digest = Md5.newDigest();
        try (InputStream in = new DigestInputStream(new BufferedInputStream(storage.open(dir + "/" + file),
                STREAM_BUFFER), digest)) {
            SnapshotInfo info = null;
            RestoreRequestException invalid = null;
            try {
                info = SnapshotInfoFile.parse(file, in, withFiles);
            } catch (RestoreRequestException e) {
                invalid = e;
            }
            in.transferTo(OutputStream.nullOutputStream()); // whatever follows the JSON counts for the md5 too
            requireNamedMd5(file, Md5.hex(digest.digest()), label);
            if (invalid != null) {
                throw invalid;
            }
            return info;
        } catch (IOException e) {
            throw infoFailure(label, "cannot read " + file + ": " + e.getMessage());
        }
    }

    /** The file's bytes, whose md5 must be the one its name carries. */
    private static byte[] checked(RepositoryStorage storage, String dir, String file, String label) {
        byte[] bytes = storage.read(dir + "/" + file);
        requireNamedMd5(file, Md5.of(bytes), label);
        return bytes;
    }

    /** Refuses {@code file} when its content's md5, {@code actual}, is not the one its name carries. */
    private static void requireNamedMd5(String file, String actual, String label) {
        Optional<ChecksummedName> name = RepositoryLayout.parseChecksummed(file);
        if (name.isPresent() && !name.get().md5().equals(actual)) {
            throw infoFailure(label, "invalid md5 of " + file + ": its content has md5 " + actual);
        }
    }

    private static RestoreRequestException infoFailure(String label, String why) {
        return RestoreRequestException.notFound("Failed to get info of snapshot '" + label + "' because: " + why
                + ". Maybe specified wrong backup timestamp");
    }
}
