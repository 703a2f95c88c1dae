package io.snapbus.jobs.backup;

import static io.snapbus.jobs.backup.BackupScenario.T0;
import static io.snapbus.jobs.backup.BackupScenario.files;
import static io.snapbus.jobs.backup.BackupScenario.pending;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.snapbus.jobs.backup.shell.JobInfoFile;
import io.snapbus.jobs.engine.AgentWork;
import io.snapbus.jobs.engine.PendingTask;
import io.snapbus.rows.ContentChecksum;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The tablets' rows and content checksums a backup records: taken from the MAKE_SNAPSHOT reports, kept through the
 * upload, persisted and restored with the job, and written per tablet into the job info under Doris-ignored keys.
 */
class BackupChecksumsTest {
    private static final long WITHOUT_CHECKSUM = 102L;
    private final BackupMachine machine = new BackupMachine(BackupSettings.defaults());

    private static ContentChecksum checksumOf(long tabletId) {
        return new ContentChecksum(tabletId * 10, -tabletId * 0x1234_5678_9abcL);
    }

    private BackupMachine.Transition snapshottedAndUploaded() {
        BackupMachine.Transition t = machine.start(BackupScenario.job());
        t = machine.apply(t.job(), new BackupInput.Planned(BackupScenario.twoTables(), T0 + 10));
        for (PendingTask task : pending(t.job(), AgentWork.Kind.MAKE_SNAPSHOT)) {
            long tablet = task.tabletIds().get(0);
            Map<Long, ContentChecksum> reported = tablet == WITHOUT_CHECKSUM ? Map.of() : Map.of(tablet,
                    checksumOf(tablet));
            t = machine.apply(t.job(), new BackupInput.SnapshotFinished(task.signature(), 0, "OK", List.of(),
                    "/snap/" + task.signature(), files(tablet), reported, T0 + 20));
        }
        return BackupScenario.finishUploads(machine, t, T0 + 30);
    }

    @Test
    void eachTabletKeepsTheChecksumItsSnapshotReportGaveThroughTheUpload() {
        BackupJob job = snapshottedAndUploaded().job();

        assertThat(job.state()).isEqualTo(BackupState.SAVE_META);
        assertThat(job.tablets()).hasSize(6).allSatisfy((tabletId, progress) -> {
            assertThat(progress.phase()).isEqualTo(TabletProgress.Phase.UPLOADED);
            assertThat(progress.checksum()).isEqualTo(tabletId == WITHOUT_CHECKSUM ? null : checksumOf(tabletId));
        });
    }

    @Test
    void aRestoredJobHasTheSameChecksums() {
        BackupJob job = snapshottedAndUploaded().job();

        BackupJob restored = BackupJobRestorerTest.restore(BackupRecords.of(job));

        assertThat(restored.tablets()).isEqualTo(job.tablets());
        assertThat(restored.tablets().get(101L).checksum()).isEqualTo(checksumOf(101L));
    }

    @Test
    void theJobInfoListsEachIndexsTabletChecksumsUnderASnapbusKey() throws Exception {
        BackupJob job = snapshottedAndUploaded().job();

        JsonNode info = new ObjectMapper().readTree(JobInfoFile.json(job));

        JsonNode p1 = info.at("/backup_objects/orders/partitions/p1/indexes/orders");
        JsonNode checksums = p1.get(BackupJobInfo.TABLET_CHECKSUMS_KEY);
        assertThat(checksums.at("/101/rows").asLong()).isEqualTo(1010L);
        assertThat(checksums.at("/101/checksum").asLong()).isEqualTo(checksumOf(101L).checksum());
        assertThat(checksums.has(Long.toString(WITHOUT_CHECKSUM))).as("a tablet without a reported checksum").isFalse();
        assertThat(p1.get("tablets").has("101")).isTrue();
        JsonNode p9 = info.at("/backup_objects/items/partitions/p9/indexes/items/" + BackupJobInfo.TABLET_CHECKSUMS_KEY);
        assertThat(p9.at("/202/rows").asLong()).isEqualTo(2020L);
        assertThat(p9.at("/202/checksum").asLong()).isEqualTo(checksumOf(202L).checksum());
    }
}
