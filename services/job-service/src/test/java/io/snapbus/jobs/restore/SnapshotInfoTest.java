package io.snapbus.jobs.restore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SnapshotInfoTest {
    /** The shape Doris writes (doris-backup-facts.md §2.4), with an old file's missing tablet order. */
    static final String DORIS_INFO = """
            {"name":"snap1","database":"db1","id":10001,"backup_time":1704067200000,"content":"ALL",
             "backup_objects":{"t1":{"id":10010,"partitions":{"p1":{"id":10011,"version":5,
               "indexes":{"t1":{"id":10012,"schema_hash":123456789,
                 "tablets":{"10014":["10014.hdr.aa"],"10013":["10013.hdr.bb","0200_0.dat.cc"]}}}},
               "p2":{"id":10021,"version":7,"indexes":{"t1":{"id":10012,"schema_hash":123456789,
                 "tablets":{"10023":[]},"tablets_order":[10023]}}}}}},
             "new_backup_objects":{"views":[{"id":10030,"name":"v1"}],"odbc_tables":[],
               "odbc_resources":[{"name":"pg"}]},
             "backup_result":"succeed","meta_version":130,"major_version":2,"minor_version":1,"patch_version":0,
             "tablet_be_map":{"10013":10002},"tablet_snapshot_path_map":{"10013":"/data/snapshot/x"},
             "table_commit_seq_map":{"10010":42}}
            """;

    static SnapshotInfo dorisInfo() {
        return SnapshotInfo.parse("__info_2024-01-01-00-00-00.md5", DORIS_INFO.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsDorisJobInfoAndOrdersTabletsAscendingWhenTheFileHasNoOrder() {
        SnapshotInfo info = dorisInfo();

        assertThat(info.metaVersion()).isEqualTo(130);
        SnapshotInfo.Table t1 = info.tables().get("t1");
        assertThat(t1.partitions().keySet()).containsExactly("p1", "p2");
        SnapshotInfo.Index index = t1.partitions().get("p1").indexes().get("t1");
        assertThat(index.tabletOrder()).containsExactly(10013L, 10014L);
        assertThat(index.tabletFiles().get(10013L)).containsExactly("10013.hdr.bb", "0200_0.dat.cc");
        assertThat(t1.partitions().get("p2").version()).isEqualTo(7);
        assertThat(info.views()).containsExactly(new SnapshotInfo.NamedObject(10030, "v1"));
        assertThat(info.odbcResources()).containsExactly("pg");
        assertThat(info.tabletBackends()).containsEntry(10013L, 10002L);
    }

    @Test
    void refusesWhatIsNoJobInfoWithDorissMessage() {
        assertThatThrownBy(() -> SnapshotInfo.parse("__info_a", "[1]".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(RestoreRequestException.class)
                .hasMessage("Failed to create job info from file: __info_a. msg: not a JSON object");
        assertThatThrownBy(() -> SnapshotInfo.parse("__info_b", "{\"name\":".getBytes(StandardCharsets.UTF_8)))
                .hasMessageStartingWith("Failed to create job info from file: __info_b. msg: ");
        assertThatThrownBy(() -> SnapshotInfo.parse("__info_c", DORIS_INFO.replace("\"succeed\"", "\"failed\"")
                .getBytes(StandardCharsets.UTF_8))).hasMessage("Failed to create job info from file: __info_c. msg: "
                        + "backup_result is failed, not succeed");
        assertThatThrownBy(() -> SnapshotInfo.parse("__info_d", DORIS_INFO.replace("\"id\":10011,", "")
                .getBytes(StandardCharsets.UTF_8))).hasMessage("Failed to create job info from file: __info_d. msg: "
                        + "missing id");
    }
}
