package io.snapbus.jobs.restore.shell;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snapbus.jobs.restore.RestoreRequestException;
import io.snapbus.jobs.restore.SnapshotInfo;
import io.snapbus.rows.ContentChecksum;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

public class SnapshotInfoFileTest {
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

    public static SnapshotInfo dorisInfo() {
        return SnapshotInfoFile.parse("__info_2024-01-01-00-00-00.md5", DORIS_INFO.getBytes(StandardCharsets.UTF_8));
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
    }

    @Test
    void aStreamedReadWithoutFilesKeepsEveryOrderAndChecksumAndOnlyTheIdsOfTabletsOutsideTheOrder() {
        String json = DORIS_INFO.replace("\"tablets\":{\"10023\":[]},\"tablets_order\":[10023]",
                "\"tablets\":{\"10023\":[],\"10024\":[\"10024.hdr.dd\"]},\"tablets_order\":[10023],"
                        + "\"snapbus_tablet_checksums\":{\"10023\":{\"rows\":4,\"checksum\":-9}}");
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        SnapshotInfo whole = SnapshotInfoFile.parse("__info_x", bytes);
        AtomicBoolean closed = new AtomicBoolean();
        InputStream in = new FilterInputStream(new ByteArrayInputStream(bytes)) {
            @Override
            public void close() {
                closed.set(true);
            }
        };

        SnapshotInfo bare = SnapshotInfoFile.parse("__info_x", in, false);

        assertThat(closed).isFalse(); // its reader drains the rest for the file's md5
        SnapshotInfo.Index p1 = bare.tables().get("t1").partitions().get("p1").indexes().get("t1");
        SnapshotInfo.Index p2 = bare.tables().get("t1").partitions().get("p2").indexes().get("t1");
        assertThat(p1.tabletOrder()).containsExactly(10013L, 10014L);
        assertThat(p1.tabletFiles()).isEmpty();
        assertThat(p2.tabletOrder()).containsExactly(10023L);
        assertThat(p2.tabletFiles()).containsExactly(Map.entry(10024L, List.of()));
        assertThat(bare.tabletChecksums()).containsExactly(Map.entry(10023L, new ContentChecksum(4, -9)))
                .isEqualTo(whole.tabletChecksums());
        assertThat(whole.tables().get("t1").partitions().get("p2").indexes().get("t1").tabletFiles())
                .containsEntry(10024L, List.of("10024.hdr.dd"));
        assertThat(withoutFiles(bare)).isEqualTo(withoutFiles(whole));
        assertThat(List.of(bare.label(), bare.dbId(), bare.metaVersion(), bare.views(), bare.odbcResources()))
                .isEqualTo(List.of(whole.label(), whole.dbId(), whole.metaVersion(), whole.views(),
                        whole.odbcResources()));
    }

    /** Every table's partitions with their ids, versions and tablet orders. */
    private static Map<String, List<SnapshotInfo.Partition>> withoutFiles(SnapshotInfo info) {
        Map<String, List<SnapshotInfo.Partition>> tables = new LinkedHashMap<>();
        info.tables().forEach((name, table) -> tables.put(name, table.partitions().values().stream()
                .map(SnapshotInfo.Partition::withoutFiles).toList()));
        return tables;
    }

    @Test
    void refusesWhatIsNoJobInfoWithDorissMessage() {
        assertThatThrownBy(() -> SnapshotInfoFile.parse("__info_a", "[1]".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(RestoreRequestException.class)
                .hasMessage("Failed to create job info from file: __info_a. msg: not a JSON object");
        assertThatThrownBy(() -> SnapshotInfoFile.parse("__info_b", "{\"name\":".getBytes(StandardCharsets.UTF_8)))
                .hasMessageStartingWith("Failed to create job info from file: __info_b. msg: ");
        assertThatThrownBy(() -> SnapshotInfoFile.parse("__info_c", DORIS_INFO.replace("\"succeed\"", "\"failed\"")
                .getBytes(StandardCharsets.UTF_8))).hasMessage("Failed to create job info from file: __info_c. msg: "
                        + "backup_result is failed, not succeed");
        assertThatThrownBy(() -> SnapshotInfoFile.parse("__info_d", DORIS_INFO.replace("\"id\":10011,", "")
                .getBytes(StandardCharsets.UTF_8))).hasMessage("Failed to create job info from file: __info_d. msg: "
                        + "missing id");
    }
}
