package io.snapbus.jobs.backup.shell;

import static org.assertj.core.api.Assertions.assertThat;

import io.snapbus.avro.TabletRef;
import io.snapbus.jobs.backup.BackupPlan;
import io.snapbus.jobs.backup.TabletProgress;
import io.snapbus.jobs.restore.SnapshotInfo;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which files an incremental backup takes from which earlier snapshot. */
class BaseSeedingTest {
    private static final String A = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    private static final String B = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
    private static final String TABLET_101 = "__palo_repository_r/__ss_%s/__ss_content/__db_1/__tbl_2/__part_3/__idx_4/"
            + "__101";

    @Test
    void theNewestSnapshotHoldingATabletGivesTheRowsetsTheNewSnapshotStillHasButNeverTheHeader() {
        Map<Long, TabletProgress> wanted = Map.of(101L, tablet(101, "101.hdr", "02aa_0.dat", "02bb_0.dat"));
        List<BaseSeeding.Finished> finished = List.of(
                finished("tuesday", 101, "101.hdr." + A, "02aa_0.dat." + A, "02cc_0.dat." + B),
                finished("monday", 101, "101.hdr." + B, "02aa_0.dat." + A, "02bb_0.dat." + B));

        BaseSeeding.Plan plan = BaseSeeding.plan("r", "wednesday", wanted, finished);

        assertThat(plan.copies()).containsExactly(new BaseSeeding.Copy(
                TABLET_101.formatted("tuesday") + "/02aa_0.dat." + A,
                TABLET_101.formatted("wednesday") + "/02aa_0.dat." + A));
        assertThat(plan.labels()).containsExactly("tuesday");
    }

    @Test
    void aTabletNoEarlierSnapshotHoldsIsUploadedWhole() {
        Map<Long, TabletProgress> wanted = Map.of(101L, tablet(101, "101.hdr", "02aa_0.dat"));

        BaseSeeding.Plan plan = BaseSeeding.plan("r", "wednesday", wanted,
                List.of(finished("monday", 999, "02aa_0.dat." + A)));

        assertThat(plan.copies()).isEmpty();
        assertThat(plan.labels()).isEmpty();
    }

    private static TabletProgress tablet(long id, String... files) {
        BackupPlan.PlannedTablet planned = new BackupPlan.PlannedTablet(new TabletRef(1L, 2L, 3L, 4L, id, 77), 5,
                10001L, id * 10);
        return new TabletProgress(planned, TabletProgress.Phase.SNAPSHOT_DONE, "/snap/1", List.of(files));
    }

    private static BaseSeeding.Finished finished(String label, long tabletId, String... files) {
        SnapshotInfo.Index index = new SnapshotInfo.Index("orders", 4, 77, List.of(tabletId),
                Map.of(tabletId, List.of(files)));
        SnapshotInfo.Partition partition = new SnapshotInfo.Partition("p1", 3, 5, Map.of("orders", index));
        SnapshotInfo.Table table = new SnapshotInfo.Table("orders", 2, Map.of("p1", partition));
        return new BaseSeeding.Finished(label, new SnapshotInfo(label, "sales", 1, 0, SnapshotInfo.Content.ALL,
                Map.of("orders", table), List.of(), List.of(), List.of(), 1, List.of()));
    }
}
