package io.snapbus.jobs.backup;

import static org.assertj.core.api.Assertions.assertThat;

import io.snapbus.avro.TabletRef;
import io.snapbus.rows.ContentChecksum;
import java.util.List;
import org.junit.jupiter.api.Test;

class TabletProgressTest {
    private static final BackupPlan.PlannedTablet TABLET = new BackupPlan.PlannedTablet(
            new TabletRef(1L, 2L, 3L, 4L, 101L, 55), 7, 10001, 9001);
    private static final String MD5 = "d41d8cd98f00b204e9800998ecf8427e";

    @Test
    void givesBackEveryValueItWasMadeWith() {
        TabletProgress snapshotted = TabletProgress.pending(TABLET).snapshotted(
                "/data/node-1/snapshot/20261207100000.12.86400", List.of("101.hdr", "0200000000000001_0.dat"),
                new ContentChecksum(40, -123456789L));
        TabletProgress uploaded = snapshotted.uploaded(List.of("101.hdr." + MD5, "0200000000000001_0.dat." + MD5),
                2048);

        assertThat(uploaded.tablet()).isEqualTo(TABLET);
        assertThat(uploaded.phase()).isEqualTo(TabletProgress.Phase.UPLOADED);
        assertThat(uploaded.snapshotPath()).isEqualTo("/data/node-1/snapshot/20261207100000.12.86400");
        assertThat(uploaded.files()).containsExactly("101.hdr." + MD5, "0200000000000001_0.dat." + MD5);
        assertThat(uploaded.fileCount()).isEqualTo(2);
        assertThat(uploaded.bytes()).isEqualTo(2048);
        assertThat(uploaded.checksum()).isEqualTo(new ContentChecksum(40, -123456789L));
        assertThat(snapshotted.files()).containsExactly("101.hdr", "0200000000000001_0.dat");
    }

    @Test
    void aPendingTabletHasNoPathFilesOrChecksum() {
        TabletProgress pending = TabletProgress.pending(TABLET);
        assertThat(pending.snapshotPath()).isNull();
        assertThat(pending.files()).isEmpty();
        assertThat(pending.fileCount()).isZero();
        assertThat(pending.checksum()).isNull();
        assertThat(new TabletProgress(TABLET, TabletProgress.Phase.SNAPSHOT_DONE, "relative", null).snapshotPath())
                .isEqualTo("relative");
    }

    @Test
    void isEqualByValueAsARecordWas() {
        TabletProgress a = new TabletProgress(TABLET, TabletProgress.Phase.SNAPSHOT_DONE, new String("/a/b/c"),
                List.of("f"), List.of(3L), 0, new ContentChecksum(1, 2));
        TabletProgress b = new TabletProgress(TABLET, TabletProgress.Phase.SNAPSHOT_DONE, "/a/b/c", List.of("f"),
                List.of(3L), 0, new ContentChecksum(1, 2));
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a).isNotEqualTo(new TabletProgress(TABLET, TabletProgress.Phase.SNAPSHOT_DONE, "/a/b/c",
                List.of("f"), List.of(3L), 0, null));
        assertThat(a).isNotEqualTo(new TabletProgress(TABLET, TabletProgress.Phase.SNAPSHOT_DONE, "/a/b/d",
                List.of("f"), List.of(3L), 0, new ContentChecksum(1, 2)));
        assertThat(a.toString()).contains("/a/b/c", "f");
    }
}
