package io.snapbus.jobs.backup;

import static io.snapbus.jobs.backup.BackupScenario.T0;
import static io.snapbus.jobs.backup.BackupScenario.finishSnapshots;
import static io.snapbus.jobs.backup.BackupScenario.finishUploads;
import static io.snapbus.jobs.backup.BackupScenario.job;
import static io.snapbus.jobs.backup.BackupScenario.twoTables;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snapbus.avro.OlapTableDef;
import io.snapbus.avro.PartitionDef;
import io.snapbus.jobs.restore.RestoreRequestException;
import io.snapbus.jobs.restore.SnapshotMeta;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** What a backup writes as its meta file, a restore reads back as the same catalog records. */
class MetaFileReadBackTest {
    private BackupJob finished() {
        BackupMachine machine = new BackupMachine(BackupSettings.defaults());
        return finishUploads(machine, finishSnapshots(machine,
                machine.apply(job(), new BackupInput.Planned(twoTables(), T0)), T0), T0).job();
    }

    @Test
    void everyBackedUpDefinitionReadsBackEqual() {
        BackupJob done = finished();

        SnapshotMeta meta = SnapshotMeta.parse("__meta.x", BackupMetaFile.bytes(done), -1);

        assertThat(meta.tables().keySet()).containsExactly("orders", "items");
        for (Object object : done.plan().metaObjects()) {
            if (object instanceof OlapTableDef table) {
                assertThat(meta.tables().get(table.getName())).isEqualTo(table);
            } else if (object instanceof PartitionDef partition) {
                assertThat(meta.partitions().get(partition.getTableId())).contains(partition);
            }
        }
        assertThat(meta.partition("orders", "p2")).map(PartitionDef::getId).contains(5L);
    }

    @Test
    void aMetaVersionThisBuildCannotReadIsRefusedNotHung() {
        byte[] bytes = BackupMetaFile.bytes(finished());
        assertThatThrownBy(() -> SnapshotMeta.parse("__meta.x", bytes, 93)).isInstanceOf(RestoreRequestException.class)
                .hasMessage("Could not set meta version to 93 since this build reads meta version 1 only");
        byte[] broken = new String(bytes, StandardCharsets.UTF_8).replace("\"keysType\":\"DUP_KEYS\"",
                "\"keysType\":\"NO_KEYS\"").getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> SnapshotMeta.parse("__meta.x", broken, -1))
                .hasMessageStartingWith("Failed to read meta info from file: __meta.x. msg: ")
                .hasMessageContaining("keysType");
    }
}
