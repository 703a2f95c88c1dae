package io.snapbus.jobs.restore.shell;

import static org.assertj.core.api.Assertions.assertThat;

import io.snapbus.api.restore.CreateRestoreRequest;
import io.snapbus.api.restore.RestoreJob;
import io.snapbus.api.restore.RestoreTable;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** SHOW RESTORE rows become v1 records column by column; "on" and "exclude" keep absent apart from empty. */
class RestoreDtosTest {

    @Test
    void everyColumnOfARowLandsInItsField() {
        ShowRestoreRow row = new ShowRestoreRow(1, "l", "ts", "db", "DOWNLOADING", "false", "3", "alloc", "true",
                "false", "ALL", "c", "m", "s", "d", "f", "tasks", "progress", "errors", "[OK]", 86400, "SWAP", 9, 8,
                7, 6, 5, 4, "pending");

        assertThat(RestoreDtos.job(row)).isEqualTo(new RestoreJob(1, "l", "ts", "db", "DOWNLOADING", "false", "3",
                "alloc", "true", "false", "ALL", "c", "m", "s", "d", "f", "tasks", "progress", "errors", "[OK]",
                86400, "SWAP", 9, 8, 7, 6, 5, 4, "pending"));
    }

    @Test
    void aRequestBecomesTheShellsBodyWithAbsentListsAbsent() {
        RestoreController.RestoreBody body = RestoreDtos.body(new CreateRestoreRequest("l", "repo",
                List.of(new RestoreTable("t", null, "t2")), null, Map.of("backup_timestamp", "x")));

        assertThat(body.on()).containsExactly(new RestoreController.TableBody("t", null, "t2"));
        assertThat(body.exclude()).isNull();
        assertThat(body.properties()).containsEntry("backup_timestamp", "x");
    }
}
