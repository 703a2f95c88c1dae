package io.snapbus.jobs.verify;

import static io.snapbus.jobs.verify.SnapshotRepositoryFixture.snapshotDir;
import static io.snapbus.jobs.verify.SnapshotRepositoryFixture.tabletDir;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.snapbus.jobs.verify.Problem.Kind;
import io.snapbus.rows.ContentChecksum;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotVerifierTest {
    @TempDir
    Path dir;
    private SnapshotRepositoryFixture repo;

    @AfterEach
    void close() {
        if (repo != null) {
            repo.close();
        }
    }

    private VerificationView verify(VerifyLevel level) throws IOException {
        VerificationReport report = new VerificationReport(1, repo.target(), level, 0);
        Path work = Files.createDirectories(dir.resolve("work"));
        new SnapshotVerifier(repo.storage, work).verify(repo.target(), level, report);
        report.finished(1);
        try (var left = Files.list(work)) {
            assertThat(left).as("downloaded files are removed").isEmpty();
        }
        return report.view();
    }

    @Test
    void anIntactSnapshotPassesBothLevelsAndDataReadsEveryRow() throws IOException {
        repo = new SnapshotRepositoryFixture(dir, 40, 101, 102);

        VerificationView files = verify(VerifyLevel.FILES);
        assertThat(files.state()).isEqualTo("PASSED");
        assertThat(files.problems()).isEmpty();
        // info + meta + (header + 2 rowset files) per tablet
        assertThat(files.counts().filesChecked()).isEqualTo(2 + 2 * 3).isEqualTo(files.counts().filesTotal());
        assertThat(files.counts().bytesRead()).isPositive();
        assertThat(files.counts().tabletsChecked()).isZero();

        VerificationView data = verify(VerifyLevel.DATA);
        assertThat(data.state()).isEqualTo("PASSED");
        assertThat(data.problems()).isEmpty();
        assertThat(data.counts().tabletsChecked()).isEqualTo(2).isEqualTo(data.counts().tabletsTotal());
        assertThat(data.counts().rowsRead()).isEqualTo(2 * 2 * 40);
        assertThat(data.progress().percent()).isEqualTo(100.0);
    }

    @Test
    void namesAFlippedByteATruncatedFileADeletedFileAndAnExtraFileEachWithItsKind() throws IOException {
        repo = new SnapshotRepositoryFixture(dir, 30, 101, 102, 103);
        String flipped = repo.rowsetPath(101, 0);
        String truncated = repo.rowsetPath(102, 1);
        String deleted = repo.rowsetPath(103, 0);
        String extra = tabletDir(102) + "/stray.dat";
        repo.flipByte(flipped, 100);
        Files.write(repo.local(truncated), new byte[0]);
        Files.delete(repo.local(deleted));
        Files.writeString(repo.local(extra), "not from any backup");

        for (VerifyLevel level : VerifyLevel.values()) {
            VerificationView report = verify(level);
            assertThat(report.state()).isEqualTo("FAILED");
            assertThat(report.problems()).as(level.name())
                    .extracting(Problem::kind, Problem::path, Problem::tabletId)
                    .containsExactlyInAnyOrder(
                            tuple(Kind.MD5_MISMATCH, flipped, 101L),
                            tuple(Kind.SIZE_MISMATCH, truncated, 102L),
                            tuple(Kind.MISSING, deleted, 103L),
                            tuple(Kind.UNREFERENCED, extra, 102L));
            assertThat(report.problemsTotal()).isEqualTo(4);
            assertThat(report.message()).isEqualTo("4 problems: 1 MISSING, 1 SIZE_MISMATCH, 1 MD5_MISMATCH,"
                    + " 1 UNREFERENCED");
            Problem size = report.problems().stream().filter(p -> p.kind() == Kind.SIZE_MISMATCH).findFirst()
                    .orElseThrow();
            assertThat(size.actual()).isEqualTo("0 bytes");
            assertThat(size.expected()).isNotEqualTo("0 bytes").endsWith(" bytes");
            Problem md5 = report.problems().stream().filter(p -> p.kind() == Kind.MD5_MISMATCH).findFirst()
                    .orElseThrow();
            assertThat(flipped).endsWith("." + md5.expected());
            assertThat(md5.actual()).isNotEqualTo(md5.expected()).hasSize(32);
        }
        assertThat(verify(VerifyLevel.DATA).counts().tabletsChecked()).as("tablets with a bad file are not read")
                .isZero();
    }

    @Test
    void aForgedRowsetWithConsistentNamesPassesFilesButFailsDataWithAChecksumMismatch() throws IOException {
        repo = new SnapshotRepositoryFixture(dir, 25, 101, 102);
        repo.forgeRowset(101, 901);

        assertThat(verify(VerifyLevel.FILES).state()).as("every name and size agrees").isEqualTo("PASSED");
        VerificationView data = verify(VerifyLevel.DATA);
        assertThat(data.state()).isEqualTo("FAILED");
        assertThat(data.problems()).extracting(Problem::kind, Problem::path, Problem::tabletId)
                .containsExactly(tuple(Kind.CHECKSUM_MISMATCH, tabletDir(101), 101L));
        assertThat(data.problems().get(0).expected()).isEqualTo(repo.checksums.get(101L).toString());
        assertThat(data.problems().get(0).actual()).startsWith("50 rows, checksum 0x");
    }

    @Test
    void rowsThatAreNotAsManyAsRecordedAreARowsMismatch() throws IOException {
        repo = new SnapshotRepositoryFixture(dir, 10, 101);
        ContentChecksum real = repo.checksums.get(101L);
        repo.writeInfo(Map.of(101L, new ContentChecksum(real.rows() + 1, real.checksum())));

        VerificationView data = verify(VerifyLevel.DATA);

        assertThat(data.problems()).extracting(Problem::kind, Problem::expected, Problem::actual)
                .containsExactly(tuple(Kind.ROWS_MISMATCH, "21 rows", "20 rows"));
    }

    @Test
    void aTabletWithoutARecordedChecksumIsNotRecordedAndDoesNotFail() throws IOException {
        repo = new SnapshotRepositoryFixture(dir, 10, 101, 102);
        Map<Long, ContentChecksum> only102 = new LinkedHashMap<>();
        only102.put(102L, repo.checksums.get(102L));
        repo.writeInfo(only102);

        VerificationView data = verify(VerifyLevel.DATA);

        assertThat(data.state()).isEqualTo("PASSED");
        assertThat(data.problems()).extracting(Problem::kind, Problem::tabletId)
                .containsExactly(tuple(Kind.NOT_RECORDED, 101L));
        assertThat(data.counts().tabletsChecked()).isEqualTo(2);
    }

    @Test
    void aCorruptJobInfoAMissingMetaAndStrayFilesAboveTheTabletsAreNamed() throws IOException {
        repo = new SnapshotRepositoryFixture(dir, 10, 101);
        String info = snapshotDir() + "/" + repo.target().infoFile();
        try (var files = Files.list(repo.local(snapshotDir()))) {
            for (Path meta : files.filter(f -> f.getFileName().toString().startsWith("__meta.")).toList()) {
                Files.delete(meta);
            }
        }
        String strayInContent = snapshotDir() + "/__ss_content/__db_10/leftover.bin";
        String strayTablet = tabletDir(555) + "/555.hdr.0123456789abcdef0123456789abcdef";
        Files.createDirectories(repo.local(strayTablet).getParent());
        Files.writeString(repo.local(strayInContent), "x");
        Files.writeString(repo.local(strayTablet), "y");
        // still a job info, but not the one its name's md5 is of
        Files.writeString(repo.local(info), Files.readString(repo.local(info)).replace("\"sales\"", "\"salez\""));

        VerificationView report = verify(VerifyLevel.FILES);

        assertThat(report.problems()).extracting(Problem::kind, Problem::path)
                .containsExactlyInAnyOrder(
                        tuple(Kind.MD5_MISMATCH, info),
                        tuple(Kind.MISSING, snapshotDir() + "/__meta"),
                        tuple(Kind.UNREFERENCED, strayInContent),
                        tuple(Kind.UNREFERENCED, strayTablet));
    }

    @Test
    void aJobInfoThatIsNoJsonIsUnreadable() throws IOException {
        repo = new SnapshotRepositoryFixture(dir, 10, 101);
        String info = snapshotDir() + "/" + repo.target().infoFile();
        Files.writeString(repo.local(info), "{ not json");

        VerificationView report = verify(VerifyLevel.FILES);

        assertThat(report.state()).isEqualTo("FAILED");
        assertThat(report.problems()).extracting(Problem::kind).containsExactly(Kind.MD5_MISMATCH, Kind.UNREADABLE);
    }

    @Test
    void anUnknownTimestampOrLabelIsNotFound() {
        repo = new SnapshotRepositoryFixture(dir, 5, 101);
        assertThat(SnapshotTarget.locate(repo.storage, SnapshotRepositoryFixture.REPO, SnapshotRepositoryFixture.LABEL,
                SnapshotRepositoryFixture.TIMESTAMP).timestamp()).isEqualTo(SnapshotRepositoryFixture.TIMESTAMP);
        assertThatThrownBy(() -> SnapshotTarget.locate(repo.storage, SnapshotRepositoryFixture.REPO,
                SnapshotRepositoryFixture.LABEL, "2001-01-01-00-00-00"))
                .isInstanceOf(SnapshotTarget.NotFoundException.class)
                .hasMessageContaining("has no backup with timestamp 2001-01-01-00-00-00");
        assertThatThrownBy(() -> SnapshotTarget.locate(repo.storage, SnapshotRepositoryFixture.REPO, "other", null))
                .isInstanceOf(SnapshotTarget.NotFoundException.class)
                .hasMessageContaining("Snapshot other does not exist in repository verify_repo");
    }
}
