package io.snapbus.jobs.restore.shell;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snapbus.jobs.restore.RestoreRequestException;
import io.snapbus.jobs.restore.SnapshotInfo;
import io.snapbus.repository.Md5;
import io.snapbus.repository.RepositoryLayout;
import io.snapbus.repository.RepositorySpec;
import io.snapbus.repository.RepositoryStorage;
import io.snapbus.repository.RepositoryStorages;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The job info read from a real filesystem repository as it streams, checked against the md5 its name carries. */
class SnapshotReaderTest {
    private static final String TIMESTAMP = "2024-01-01-00-00-00";
    private static final String INFO = """
            {"name":"snap1","database":"db1","id":10001,"backup_time":1704067200000,"content":"ALL",
             "backup_objects":{"t1":{"id":10010,"partitions":{"p1":{"id":10011,"version":5,
               "indexes":{"t1":{"id":10012,"schema_hash":7,"tablets":{"10013":["10013.hdr.bb"]},
                 "tablets_order":[10013]}}}}}},
             "backup_result":"succeed","meta_version":130,"tablet_be_map":{"10013":10002}}
            """;

    @TempDir
    Path root;

    @Test
    void readsTheJobInfoWithItsFilesWhenItsMd5IsTheOneItsNameCarries() {
        try (RepositoryStorage storage = storage()) {
            store(storage, INFO, Md5.of(bytes(INFO)));

            SnapshotInfo info = SnapshotReader.info(storage, "repo", "snap1", TIMESTAMP);

            assertThat(info.label()).isEqualTo("snap1");
            assertThat(info.tables().get("t1").partitions().get("p1").indexes().get("t1").tabletFiles())
                    .containsEntry(10013L, List.of("10013.hdr.bb"));
        }
    }

    @Test
    void aDamagedFileIsRefusedForItsMd5EvenWhereItsJsonBreaksFirst() {
        try (RepositoryStorage storage = storage()) {
            String cut = INFO.substring(0, INFO.indexOf("\"backup_result\""));
            store(storage, cut, Md5.of(bytes(INFO)));

            assertThatThrownBy(() -> SnapshotReader.info(storage, "repo", "snap1", TIMESTAMP))
                    .isInstanceOf(RestoreRequestException.class)
                    .hasMessage("Failed to get info of snapshot 'snap1' because: invalid md5 of __info_" + TIMESTAMP
                            + "." + Md5.of(bytes(INFO)) + ": its content has md5 " + Md5.of(bytes(cut))
                            + ". Maybe specified wrong backup timestamp");
        }
    }

    @Test
    void anIntactFileThatIsNoJobInfoIsRefusedForWhatItHolds() {
        try (RepositoryStorage storage = storage()) {
            String failed = INFO.replace("\"succeed\"", "\"failed\"");
            store(storage, failed, Md5.of(bytes(failed)));

            assertThatThrownBy(() -> SnapshotReader.info(storage, "repo", "snap1", TIMESTAMP))
                    .isInstanceOf(RestoreRequestException.class)
                    .hasMessage("Failed to create job info from file: __info_" + TIMESTAMP + "." + Md5.of(bytes(failed))
                            + ". msg: backup_result is failed, not succeed");
        }
    }

    private RepositoryStorage storage() {
        return RepositoryStorages.open(RepositorySpec.ofDirectory(root));
    }

    private static void store(RepositoryStorage storage, String content, String md5) {
        storage.write(RepositoryLayout.snapshotDir("repo", "snap1") + "/"
                + RepositoryLayout.withChecksum(RepositoryLayout.PREFIX_JOB_INFO + TIMESTAMP, md5), bytes(content));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
