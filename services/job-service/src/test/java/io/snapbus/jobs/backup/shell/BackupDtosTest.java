package io.snapbus.jobs.backup.shell;

import static org.assertj.core.api.Assertions.assertThat;

import io.snapbus.api.backup.BackupJob;
import io.snapbus.api.backup.BackupTable;
import io.snapbus.api.backup.CreateBackupRequest;
import io.snapbus.api.backup.LocalSnapshot;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.ObjectMapper;

/** SHOW BACKUP rows and local snapshots become v1 records column by column; a v1 request the shell's body. */
class BackupDtosTest {

    @Test
    void everyColumnOfARowLandsInItsField() {
        ShowBackupRow row = new ShowBackupRow(1, "label", "db", "UPLOADING", "`t`", "c", "s", "u", "f", "tasks",
                "progress", "errors", "[OK]", 86400, 12, 11, 10, 9, 8, "pending");

        BackupJob job = BackupDtos.job(row);

        assertThat(job).isEqualTo(new BackupJob(1, "label", "db", "UPLOADING", "`t`", "c", "s", "u", "f", "tasks",
                "progress", "errors", "[OK]", 86400, 12, 11, 10, 9, 8, "pending"));
    }

    @Test
    void aLocalSnapshotsFilesBecomeJsonObjectsAndStayNullWhenAbsent() {
        ObjectMapper json = new ObjectMapper();
        LocalSnapshotView withFiles = new LocalSnapshotView("l", 5, 100, 200, false, Map.of(20L, 7L), "__info_x",
                json.readTree("{\"tables\":{\"t\":1}}"), json.readTree("{\"name\":\"l\"}"));
        LocalSnapshotView summary = new LocalSnapshotView("l", 5, 100, 200, true, Map.of(), null, null, null);

        LocalSnapshot snapshot = BackupDtos.localSnapshot(withFiles);

        assertThat(snapshot.meta()).isEqualTo(Map.of("tables", Map.of("t", 1)));
        assertThat(snapshot.jobInfo()).isEqualTo(Map.of("name", "l"));
        assertThat(snapshot.tableCommitSeqs()).containsEntry(20L, 7L);
        assertThat(BackupDtos.localSnapshot(summary).meta()).isNull();
        assertThat(BackupDtos.localSnapshot(summary).expired()).isTrue();
    }

    @Test
    void aRequestBecomesTheShellsBody() {
        BackupController.BackupBody body = BackupDtos.body(new CreateBackupRequest("l", "repo",
                List.of(new BackupTable("t", List.of("p1"))), 600L, "METADATA_ONLY", "full", "daily"));

        assertThat(body).isEqualTo(new BackupController.BackupBody("l", "repo",
                List.of(new BackupController.TableBody("t", List.of("p1"))), 600L, "METADATA_ONLY", "full", "daily"));
        assertThat(BackupDtos.body(new CreateBackupRequest("l", "repo", null, null, null)).tables()).isNull();
    }
}
