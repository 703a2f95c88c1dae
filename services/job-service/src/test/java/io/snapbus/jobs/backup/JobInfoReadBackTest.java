package io.snapbus.jobs.backup;

import static io.snapbus.jobs.backup.BackupScenario.T0;
import static io.snapbus.jobs.backup.BackupScenario.finishSnapshots;
import static io.snapbus.jobs.backup.BackupScenario.finishUploads;
import static io.snapbus.jobs.backup.BackupScenario.job;
import static io.snapbus.jobs.backup.BackupScenario.twoTables;
import static org.assertj.core.api.Assertions.assertThat;

import io.snapbus.jobs.backup.shell.JobInfoFile;
import io.snapbus.jobs.restore.SnapshotInfo;
import io.snapbus.jobs.restore.shell.SnapshotInfoFile;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** What a backup writes as its job info, a restore reads back whole. */
class JobInfoReadBackTest {
    @Test
    void aRestoreReadsEveryTablePartitionVersionAndFileTheBackupWrote() {
        BackupMachine machine = new BackupMachine(BackupSettings.defaults());
        BackupMachine.Transition t = finishUploads(machine, finishSnapshots(machine,
                machine.apply(job(), new BackupInput.Planned(twoTables(), T0)), T0), T0);
        BackupJob done = t.job();

        SnapshotInfo info = SnapshotInfoFile.parse("__info_x", JobInfoFile.json(done).getBytes(StandardCharsets.UTF_8));

        assertThat(info.label()).isEqualTo("snap1");
        assertThat(info.dbName()).isEqualTo("sales");
        assertThat(info.backupTimeMs()).isEqualTo(T0);
        assertThat(info.content()).isEqualTo(SnapshotInfo.Content.ALL);
        assertThat(info.tables().keySet()).containsExactly("orders", "items");
        SnapshotInfo.Table orders = info.tables().get("orders");
        assertThat(orders.id()).isEqualTo(2);
        assertThat(orders.partitions().keySet()).containsExactly("p1", "p2");
        SnapshotInfo.Partition p1 = orders.partitions().get("p1");
        assertThat(p1.version()).isEqualTo(BackupScenario.VERSION);
        SnapshotInfo.Index base = p1.indexes().get("orders");
        assertThat(base.tabletOrder()).containsExactly(101L, 102L);
        for (long tablet : base.tabletOrder()) {
            assertThat(base.tabletFiles().get(tablet)).isEqualTo(done.tablets().get(tablet).files()).isNotEmpty();
        }
        assertThat(info.droppedDuringBackup()).isEmpty();
    }

    @Test
    void aStreamedReadWithoutFilesSeesTheSameTablesPartitionsVersionsAndTabletOrders() throws Exception {
        BackupMachine machine = new BackupMachine(BackupSettings.defaults());
        BackupJob done = finishUploads(machine, finishSnapshots(machine,
                machine.apply(job(), new BackupInput.Planned(twoTables(), T0)), T0), T0).job();
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        JobInfoFile.write(done, file);

        SnapshotInfo whole = SnapshotInfoFile.parse("__info_x", file.toByteArray());
        SnapshotInfo bare = SnapshotInfoFile.parse("__info_x", new ByteArrayInputStream(file.toByteArray()), false);

        whole.tables().forEach((name, table) -> table.partitions().forEach((partition, p) -> {
            SnapshotInfo.Partition streamed = bare.tables().get(name).partitions().get(partition);
            assertThat(streamed.withoutFiles()).isEqualTo(p.withoutFiles());
            streamed.indexes().values().forEach(i -> assertThat(i.tabletFiles()).isEmpty());
        }));
    }
}
