package io.snapbus.jobs.verify;

import io.snapbus.repository.ChecksummedName;
import io.snapbus.repository.RepositoryLayout;
import io.snapbus.repository.RepositoryStorage;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;

/**
 * The snapshot a verification checks: one backup run ({@code __info_<timestamp>.<md5>}) of a label in a repository.
 *
 * @param repository the repository's name
 * @param label      the snapshot label
 * @param timestamp  the backup timestamp, {@code yyyy-MM-dd-HH-mm-ss}
 * @param infoFile   the job info file's stored name, {@code __info_<timestamp>.<md5>}
 */
public record SnapshotTarget(String repository, String label, String timestamp, String infoFile) {

    /** A label or timestamp the repository does not hold. */
    public static final class NotFoundException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NotFoundException(String message) {
            super(message);
        }
    }

    /** {@code __palo_repository_<repo>/__ss_<label>}. */
    public String snapshotDir() {
        return RepositoryLayout.snapshotDir(repository, label);
    }

    /**
     * Finds the job info of {@code timestamp}, or of the newest backup of the label when it is {@code null}.
     *
     * @throws NotFoundException when the label or the timestamp is not in the repository
     */
    public static SnapshotTarget locate(RepositoryStorage storage, String repository, String label,
            String timestamp) {
        String dir = RepositoryLayout.snapshotDir(repository, label);
        Map<String, Long> files = storage.list(dir);
        // yyyy-MM-dd-HH-mm-ss sorts as time does, so the greatest name is the newest backup.
        Optional<ChecksummedName> info = files.keySet().stream()
                .filter(name -> name.startsWith(RepositoryLayout.PREFIX_JOB_INFO))
                .map(RepositoryLayout::parseChecksummed).flatMap(Optional::stream)
                .filter(name -> timestamp == null
                        || name.name().equals(RepositoryLayout.PREFIX_JOB_INFO + timestamp))
                .max(Comparator.comparing(ChecksummedName::name));
        if (info.isEmpty()) {
            if (timestamp == null || !hasJobInfo(files)) {
                throw new NotFoundException("Snapshot " + label + " does not exist in repository " + repository
                        + " (no job info in " + dir + ")");
            }
            throw new NotFoundException("Snapshot " + label + " in repository " + repository
                    + " has no backup with timestamp " + timestamp);
        }
        String infoName = info.get().name();
        return new SnapshotTarget(repository, label, infoName.substring(RepositoryLayout.PREFIX_JOB_INFO.length()),
                info.get().toString());
    }

    private static boolean hasJobInfo(Map<String, Long> files) {
        return files.keySet().stream().anyMatch(name -> name.startsWith(RepositoryLayout.PREFIX_JOB_INFO)
                && RepositoryLayout.parseChecksummed(name).isPresent());
    }
}
