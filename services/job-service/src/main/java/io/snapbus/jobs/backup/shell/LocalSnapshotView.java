package io.snapbus.jobs.backup.shell;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import io.snapbus.jobs.backup.BackupJob;
import io.snapbus.jobs.backup.BackupRequestException;
import io.snapbus.jobs.backup.LocalSnapshot;
import io.snapbus.repository.RepositoryLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.stream.Stream;

/**
 * A keep-on-local snapshot as the REST API answers it: its expiry and, until then, its meta and job info files as the
 * JSON they hold (Doris's getSnapshot returns the two files; expired, it returns none).
 *
 * @param expired  true once {@code expiredAtMs} passed: {@code meta} and {@code jobInfo} are then null
 * @param meta     the {@code __meta} file, null when expired
 * @param jobInfo  the {@code __info_<createTime>} file, null when expired
 */
public record LocalSnapshotView(String label, long jobId, long createTimeMs, long expiredAtMs, boolean expired,
        Map<Long, Long> tableCommitSeqs, String jobInfoFileName, JsonNode meta, JsonNode jobInfo) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The snapshot without its files, as the list shows it. */
    public static LocalSnapshotView summary(LocalSnapshot snapshot) {
        return new LocalSnapshotView(snapshot.label(), snapshot.jobId(), snapshot.createTimeMs(),
                snapshot.expiredAtMs(), snapshot.expired(), snapshot.tableCommitSeqs(), null, null, null);
    }

    /**
     * The snapshot of a FINISHED keep-on-local job with its files read from the job-service's work dir. The clock is
     * asked again when a file cannot be read: a snapshot that expired meanwhile (its files deleted) answers expired.
     */
    public static LocalSnapshotView withFiles(BackupJob job, LongSupplier clock) {
        LocalSnapshot snapshot = LocalSnapshot.of(job, clock.getAsLong()).orElseThrow(() -> new IllegalArgumentException(
                "job " + job.jobId() + " has no local snapshot"));
        if (snapshot.expired()) {
            return summary(snapshot);
        }
        Path dir = Path.of(snapshot.localJobDir());
        try {
            Path info = jobInfoFile(dir);
            return new LocalSnapshotView(snapshot.label(), snapshot.jobId(), snapshot.createTimeMs(),
                    snapshot.expiredAtMs(), false, snapshot.tableCommitSeqs(), info.getFileName().toString(),
                    readJson(dir.resolve(RepositoryLayout.META_FILE)), readJson(info));
        } catch (IOException e) {
            LocalSnapshot now = LocalSnapshot.of(job, clock.getAsLong()).orElseThrow();
            if (now.expired()) {
                return summary(now);
            }
            throw new BackupRequestException(BackupRequestException.Kind.GONE, "LOCAL_SNAPSHOT_FILES_GONE",
                    "The meta and job info files of local snapshot " + snapshot.label() + " cannot be read from "
                            + dir + ": " + e.getMessage());
        }
    }

    /** Jackson 3 reports a missing file as an unchecked exception; read the bytes first so that stays an IOException. */
    private static JsonNode readJson(Path file) throws IOException {
        return JSON.readTree(Files.readAllBytes(file));
    }

    private static Path jobInfoFile(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> infos = files.filter(p -> p.getFileName().toString().startsWith(RepositoryLayout.PREFIX_JOB_INFO))
                    .toList();
            if (infos.size() != 1) {
                throw new IOException("expected one " + RepositoryLayout.PREFIX_JOB_INFO + "* file, found " + infos.size());
            }
            return infos.get(0);
        }
    }
}
