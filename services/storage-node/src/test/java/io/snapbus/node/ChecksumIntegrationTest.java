package io.snapbus.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.snapbus.rows.CanonicalRow;
import io.snapbus.rows.ContentChecksum;
import io.snapbus.rows.LoadFormat;
import io.snapbus.rows.ParsedRow;
import io.snapbus.rows.RowColumn;
import io.snapbus.rows.RowReader;
import io.snapbus.rows.RowSchema;
import io.snapbus.thrift.TFinishTaskRequest;
import io.snapbus.thrift.TSnapbusReadRowsRequest;
import io.snapbus.thrift.TSnapbusReadRowsResult;
import io.snapbus.thrift.TSnapbusTabletChecksum;
import io.snapbus.thrift.TStatusCode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node over Thrift: MAKE_SNAPSHOT reports the tablet's rows and content checksum at the snapshot version,
 * CHECK_CONSISTENCY answers the same by reading the rows back, and snapbus_read_rows pages the rows out in the load
 * format; all equal to what a verifier computes from the loaded rows alone.
 */
class ChecksumIntegrationTest {
    private static final long TABLET = 52001L;
    private static final RowSchema SALES = new RowSchema(List.of(RowColumn.of("id", "BIGINT", false, null),
            RowColumn.of("city", "VARCHAR(32)", true, null), RowColumn.of("amount", "DECIMAL(18,2)", true, null)));

    @TempDir
    Path dir;
    private NodeFixture fixture;

    @BeforeEach
    void startNodeWithThreeVersions() throws Exception {
        fixture = new NodeFixture(dir.resolve("node"));
        fixture.createTablet(TABLET);
        fixture.load(TABLET, 2, NodeFixture.rows(0, 300));
        fixture.load(TABLET, 3, NodeFixture.rows(300, 200) + "{\"id\":-1,\"city\":null}\n");
        fixture.load(TABLET, 4, NodeFixture.rows(500, 100));
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    private static ContentChecksum recomputed(String ndjson) {
        List<Object[]> rows = RowReader.readAll(SALES, LoadFormat.NDJSON, ndjson.getBytes(StandardCharsets.UTF_8))
                .stream().map(ParsedRow::values).toList();
        return new CanonicalRow(SALES).checksum(rows);
    }

    private static ContentChecksum of(TSnapbusTabletChecksum checksum) {
        return new ContentChecksum(checksum.getRow_count(), checksum.getChecksum());
    }

    @Test
    void snapshotReportAndConsistencyCheckCarryTheChecksumOfTheLoadedRows() throws Exception {
        ContentChecksum loadedUpTo3 = recomputed(NodeFixture.rows(0, 500) + "{\"id\":-1}\n");

        TFinishTaskRequest snapshot = fixture.run(Tasks.snapshot(fixture.nextSignature(), TABLET,
                NodeFixture.SCHEMA_HASH, 3));
        TFinishTaskRequest check = fixture.run(Tasks.checkConsistency(fixture.nextSignature(), TABLET,
                NodeFixture.SCHEMA_HASH, 3));

        assertThat(snapshot.getTask_status().getStatus_code()).isEqualTo(TStatusCode.OK);
        assertThat(snapshot.getSnapbus_tablet_checksums()).containsOnlyKeys(TABLET);
        assertThat(of(snapshot.getSnapbus_tablet_checksums().get(TABLET))).isEqualTo(loadedUpTo3);
        assertThat(check.getTask_status().getStatus_code()).as("%s", check.getTask_status())
                .isEqualTo(TStatusCode.OK);
        assertThat(check.getTablet_checksum()).isEqualTo(loadedUpTo3.checksum());
        assertThat(check.getSnapbus_row_count()).isEqualTo(501);
        assertThat(check.getRequest_version()).isEqualTo(3);
        assertThat(of(check.getSnapbus_tablet_checksums().get(TABLET))).isEqualTo(loadedUpTo3);
        assertThat(of(check.getSnapbus_recorded_checksum())).isEqualTo(loadedUpTo3);
    }

    @Test
    void aConsistencyCheckOfAnUnknownTabletOrVersionFails() throws Exception {
        TFinishTaskRequest missing = fixture.run(Tasks.checkConsistency(fixture.nextSignature(), 99_999L,
                NodeFixture.SCHEMA_HASH, 3));
        TFinishTaskRequest tooNew = fixture.run(Tasks.checkConsistency(fixture.nextSignature(), TABLET,
                NodeFixture.SCHEMA_HASH, 5));

        assertThat(missing.getTask_status().getStatus_code()).isEqualTo(TStatusCode.TABLET_MISSING);
        assertThat(missing.isSetTablet_checksum()).isFalse();
        assertThat(tooNew.getTask_status().getStatus_code()).isEqualTo(TStatusCode.INVALID_ARGUMENT);
    }

    @Test
    void rowsReadBackPageByPageAreTheLoadedRows() throws Exception {
        StringBuilder read = new StringBuilder();
        long offset = 0;
        int pages = 0;
        TSnapbusReadRowsResult page;
        do {
            TSnapbusReadRowsRequest request = new TSnapbusReadRowsRequest(TABLET, 4, offset, 128);
            page = fixture.backends.call(fixture.endpoint(), c -> c.snapbus_read_rows(request));
            assertThat(page.getStatus().getStatus_code()).as("%s", page.getStatus()).isEqualTo(TStatusCode.OK);
            read.append(StandardCharsets.UTF_8.decode(page.bufferForRows()));
            offset = page.getNext_offset();
            pages++;
        } while (!page.isEof());

        assertThat(pages).isEqualTo(5);
        assertThat(offset).isEqualTo(601);
        List<String> loaded = new ArrayList<>(List.of((NodeFixture.rows(0, 500) + "{\"id\":-1,\"city\":null}\n"
                + NodeFixture.rows(500, 100)).split("\n")));
        assertThat(canonicalTexts(read.toString())).containsExactlyInAnyOrderElementsOf(
                canonicalTexts(String.join("\n", loaded)));
        TSnapbusReadRowsResult unknown = fixture.backends.call(fixture.endpoint(),
                c -> c.snapbus_read_rows(new TSnapbusReadRowsRequest(99_999L, 1, 0, 10)));
        assertThat(unknown.getStatus().getStatus_code()).isEqualTo(TStatusCode.TABLET_MISSING);
    }

    private static List<String> canonicalTexts(String ndjson) {
        return RowReader.readAll(SALES, LoadFormat.NDJSON, ndjson.getBytes(StandardCharsets.UTF_8)).stream()
                .map(row -> String.join("|", java.util.Arrays.stream(SALES.canonical(row.values()))
                        .map(String::valueOf).toList())).toList();
    }
}
