package io.snapbus.node.restore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snapbus.node.tablet.StoreException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DownloadDecisionsTest {
    private static final String MD5_A = "0123456789abcdef0123456789abcdef";
    private static final String MD5_B = "fedcba9876543210fedcba9876543210";

    @Test
    void theHeaderTakesTheLocalTabletIdAndRowsetFilesKeepTheirNames() {
        assertThat(TabletFileNames.toLocal("50001.hdr", 60002)).isEqualTo("60002.hdr");
        assertThat(TabletFileNames.toLocal("02000000000000a1b2_0.dat", 60002)).isEqualTo("02000000000000a1b2_0.dat");
        assertThat(TabletFileNames.toLocal("02000000000000a1b2_0_1.idx", 60002)).isEqualTo("02000000000000a1b2_0_1.idx");
        assertThat(TabletFileNames.toRemote("60002.hdr", 50001)).hasValue("50001.hdr");
        assertThat(TabletFileNames.toRemote("LOADED", 50001)).isEmpty();
    }

    @Test
    void anyOtherFileInARepositoryTabletDirIsAnInvalidTabletFileName() {
        assertThatThrownBy(() -> TabletFileNames.toLocal("rowset_meta.pb", 60002))
                .isInstanceOf(StoreException.class).hasMessage("invalid tablet file name: rowset_meta.pb");
    }

    @Test
    void theRemoteTabletIdIsTheNumberAfterTheLastUnderscore() {
        assertThat(TabletFileNames.remoteTabletId("file:///r/__palo_repository_r/__ss_s/__ss_content/__db_1/__tbl_2"
                + "/__part_3/__idx_4/__50001")).isEqualTo(50001);
        assertThat(TabletFileNames.remoteTabletId("s3://b/p/__idx_4/__50001/")).isEqualTo(50001);
        assertThatThrownBy(() -> TabletFileNames.remoteTabletId("s3://b/p/tablet"))
                .hasMessage("failed to get tablet id from remote path: s3://b/p/tablet");
    }

    @Test
    void aFileIsFetchedWhenAbsentWhenItIsTheHeaderOrWhenItsLocalMd5Differs() {
        var files = DownloadDecisions.remoteFiles(Map.of(
                "50001.hdr." + MD5_A, 10L,
                "02a_0.dat." + MD5_A, 20L,
                "02b_0.dat." + MD5_A, 30L,
                "02c_0.dat." + MD5_A, 40L,
                "02d_0.dat.part", 50L), 60002);
        Map<String, String> local = Map.of("60002.hdr", MD5_A, "02a_0.dat", MD5_A, "02b_0.dat", MD5_B);

        List<String> fetched = files.stream()
                .filter(f -> DownloadDecisions.mustFetch(f, name -> Optional.ofNullable(local.get(name))))
                .map(DownloadDecisions.RemoteFile::localName).sorted().toList();

        assertThat(files).as("names without an md5 suffix are not snapshot files").hasSize(4);
        assertThat(fetched).containsExactly("02b_0.dat", "02c_0.dat", "60002.hdr");
    }

    @Test
    void staleLocalFilesAreThoseTheRepositoryDoesNotListAndLeftoverTemporaries() {
        List<String> stale = DownloadDecisions.stale(
                List.of("60002.hdr", "02a_0.dat", "02old_0.dat", "02a_0.dat.123" + DownloadDecisions.TEMP_SUFFIX,
                        "LOADED"),
                Set.of("50001.hdr", "02a_0.dat"), 50001);

        assertThat(stale).containsExactly("02old_0.dat", "02a_0.dat.123" + DownloadDecisions.TEMP_SUFFIX);
    }
}
