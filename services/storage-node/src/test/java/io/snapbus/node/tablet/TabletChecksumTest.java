package io.snapbus.node.tablet;

import io.snapbus.tabletformat.RowsetMeta;
import io.snapbus.tabletformat.TabletColumn;
import io.snapbus.tabletformat.TabletSchema;
import io.snapbus.tabletformat.TabletKeysType;
import static io.snapbus.node.tablet.TabletFixtures.SCHEMA_HASH;
import static io.snapbus.node.tablet.TabletFixtures.quietConfig;
import static io.snapbus.node.tablet.TabletFixtures.spec;
import static io.snapbus.node.tablet.TabletFixtures.tabletDir;
import static io.snapbus.node.tablet.TabletFixtures.text;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.snapbus.rows.CanonicalRow;
import io.snapbus.rows.ContentChecksum;
import io.snapbus.rows.LoadFormat;
import io.snapbus.rows.NdjsonWriter;
import io.snapbus.rows.ParsedRow;
import io.snapbus.rows.RowReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rowset checksums: computed when a rowset is written, summed along the version path, kept by compaction and MOVE,
 * recomputed from the rows by CHECK_CONSISTENCY, and computed from the rows for rowsets written before them.
 */
class TabletChecksumTest {
    private static final long TABLET = 16_001;
    private static final long TARGET = 16_002;

    /** Every column type, all but the key nullable. */
    static TabletSchema everyTypeSchema() {
        return new TabletSchema(List.of(
                new TabletColumn("k", "INT", true, false),
                new TabletColumn("flag", "BOOLEAN", false, true),
                new TabletColumn("tiny", "TINYINT", false, true),
                new TabletColumn("small", "SMALLINT", false, true),
                new TabletColumn("big", "BIGINT", false, true),
                new TabletColumn("f", "FLOAT", false, true),
                new TabletColumn("d", "DOUBLE", false, true),
                new TabletColumn("amount", "DECIMAL(10,3)", false, true),
                new TabletColumn("day", "DATE", false, true),
                new TabletColumn("at", "DATETIME", false, true),
                new TabletColumn("code", "CHAR(4)", false, true),
                new TabletColumn("name", "VARCHAR(16)", false, true),
                new TabletColumn("note", "STRING", false, true)), TabletKeysType.DUP_KEYS);
    }

    /** {@code count} rows from key {@code first}; every third row has NULL in all its value columns. */
    static String rows(int first, int count) {
        StringBuilder body = new StringBuilder();
        for (int k = first; k < first + count; k++) {
            if (k % 3 == 0) {
                body.append("{\"k\":").append(k).append("}\n");
                continue;
            }
            body.append("{\"k\":").append(k).append(",\"flag\":").append(k % 2 == 0)
                    .append(",\"tiny\":").append(k % 100 - 50).append(",\"small\":").append(k * 7 % 30000)
                    .append(",\"big\":").append(k * 1_000_003L).append(",\"f\":").append(k / 4.0)
                    .append(",\"d\":").append(k * 1.5e10).append(",\"amount\":\"").append(k).append(".5\"")
                    .append(",\"day\":\"2024-02-").append(10 + k % 19).append("\",\"at\":\"2024-02-29 13:14:")
                    .append(10 + k % 50).append(".123\",\"code\":\"c").append(k % 10).append("\",\"name\":\"n\u00e9")
                    .append(k).append("\",\"note\":\"").append(k % 5 == 0 ? "" : "note " + k).append("\"}\n");
        }
        return body.toString();
    }

    /** The checksum of rows as loaded, computed without the store: what a verifier computes. */
    static ContentChecksum expected(String... bodies) {
        CanonicalRow canonical = new CanonicalRow(everyTypeSchema().rowSchema());
        List<Object[]> values = new ArrayList<>();
        for (String body : bodies) {
            RowReader.readAll(everyTypeSchema().rowSchema(), LoadFormat.NDJSON, text(body)).stream()
                    .map(ParsedRow::values).forEach(values::add);
        }
        return canonical.checksum(values);
    }

    private static void load(TabletStore store, long tabletId, long version, String body) {
        store.writeRows(tabletId, version * 100, LoadFormat.NDJSON, text(body));
        store.publish(tabletId, version * 100, version);
    }

    @TempDir
    Path root;

    @Test
    void aTabletsChecksumAtAVersionIsTheChecksumOfTheRowsLoadedUpToIt() {
        try (TabletStore store = TabletStore.open(root, quietConfig())) {
            store.create(spec(TABLET).schema(everyTypeSchema()).build());
            assertThat(store.checksum(TABLET, 1)).isEqualTo(ContentChecksum.EMPTY);
            load(store, TABLET, 2, rows(0, 40));
            load(store, TABLET, 3, rows(40, 25));
            load(store, TABLET, 4, rows(65, 1));

            assertThat(store.checksum(TABLET, 2)).isEqualTo(expected(rows(0, 40)));
            assertThat(store.checksum(TABLET, 3)).isEqualTo(expected(rows(0, 40), rows(40, 25)));
            assertThat(store.checksum(TABLET, 4)).isEqualTo(expected(rows(0, 66))).extracting(ContentChecksum::rows)
                    .isEqualTo(66L);
            ConsistencyCheck check = store.checkConsistency(TABLET, SCHEMA_HASH, 3);
            assertThat(check.recomputed()).isEqualTo(expected(rows(0, 65)));
            assertThat(check.recorded()).contains(check.recomputed());
            assertThat(check.matchesRecorded()).isTrue();
            assertThat(store.makeSnapshot(TABLET, SCHEMA_HASH, 3, 0).checksum()).isEqualTo(expected(rows(0, 65)));
        }
    }

    @Test
    void compactionKeepsTheChecksumOfTheVersionsItMerges() {
        try (TabletStore store = TabletStore.open(root, quietConfig())) {
            store.create(spec(TABLET).schema(everyTypeSchema()).build());
            load(store, TABLET, 2, rows(0, 30));
            load(store, TABLET, 3, rows(30, 30));
            load(store, TABLET, 4, rows(60, 30));
            ContentChecksum before = store.checksum(TABLET, 4);

            RowsetMeta merged = store.compact(TABLET).orElseThrow();

            assertThat(merged.versionRange()).isEqualTo("[0-4]");
            assertThat(merged.recordedChecksum()).contains(before);
            assertThat(store.checksum(TABLET, 4)).isEqualTo(before).isEqualTo(expected(rows(0, 90)));
            assertThat(store.checkConsistency(TABLET, SCHEMA_HASH, 4).recomputed()).isEqualTo(before);
        }
        try (TabletStore reopened = TabletStore.open(root, quietConfig())) {
            assertThat(reopened.checksum(TABLET, 4)).isEqualTo(expected(rows(0, 90)));
        }
    }

    @Test
    void aMovedTabletKeepsTheBackupsChecksums() throws Exception {
        try (TabletStore store = TabletStore.open(root, quietConfig())) {
            store.create(spec(TABLET).schema(everyTypeSchema()).build());
            load(store, TABLET, 2, rows(0, 20));
            load(store, TABLET, 3, rows(20, 20));
            store.create(spec(TARGET).schema(everyTypeSchema()).replicaId(20_002).build());
            Snapshot backup = store.makeSnapshot(TABLET, SCHEMA_HASH, 3, 0);
            Snapshot restore = store.makeSnapshot(TARGET, SCHEMA_HASH, 1, 0);
            try (Stream<Path> files = Files.list(restore.tabletDir())) {
                for (Path file : files.toList()) {
                    Files.delete(file);
                }
            }
            for (String name : backup.files()) {
                Files.copy(backup.tabletDir().resolve(name),
                        restore.tabletDir().resolve(name.endsWith(".hdr") ? TARGET + ".hdr" : name));
            }

            TabletMeta moved = store.move(TARGET, SCHEMA_HASH, restore.tabletDir().toString(), 9, true);

            assertThat(moved.rowsets()).allSatisfy(r -> assertThat(r.contentChecksum()).isNotNull());
            assertThat(store.checksum(TARGET, 3)).isEqualTo(backup.checksum()).isEqualTo(expected(rows(0, 40)));
            assertThat(store.checkConsistency(TARGET, SCHEMA_HASH, 3).recorded()).contains(backup.checksum());
        }
    }

    @Test
    void rowsetsWrittenBeforeChecksumsAreSummedFromTheirRows() throws Exception {
        try (TabletStore store = TabletStore.open(root, quietConfig())) {
            store.create(spec(TABLET).schema(everyTypeSchema()).build());
            load(store, TABLET, 2, rows(0, 30));
            load(store, TABLET, 3, rows(30, 10));
        }
        Path header = rewriteHeader(node -> node.withArray("rowsets").forEach(r -> ((ObjectNode) r)
                .remove("contentChecksum")));
        assertThat(Files.readString(header)).doesNotContain("contentChecksum");

        try (TabletStore store = TabletStore.open(root, quietConfig())) {
            assertThat(store.checksum(TABLET, 3)).isEqualTo(expected(rows(0, 40)));
            ConsistencyCheck check = store.checkConsistency(TABLET, SCHEMA_HASH, 3);
            assertThat(check.recomputed()).isEqualTo(expected(rows(0, 40)));
            assertThat(check.recorded()).isEmpty();
            assertThat(store.makeSnapshot(TABLET, SCHEMA_HASH, 3, 0).checksum()).isEqualTo(expected(rows(0, 40)));
            load(store, TABLET, 4, rows(40, 5));
            assertThat(store.compact(TABLET).orElseThrow().recordedChecksum()).contains(expected(rows(0, 45)));
        }
    }

    @Test
    void rowsThatNoLongerMatchTheirRecordedChecksumAreReportedNotRepaired() throws Exception {
        try (TabletStore store = TabletStore.open(root, quietConfig())) {
            store.create(spec(TABLET).schema(everyTypeSchema()).build());
            load(store, TABLET, 2, rows(0, 30));
        }
        Path header = rewriteHeader(node -> node.withArray("rowsets").forEach(r -> {
            if (((ObjectNode) r).get("endVersion").asLong() == 2) {
                ((ObjectNode) r).put("contentChecksum", 12345L);
            }
        }));
        String tampered = Files.readString(header);

        try (TabletStore store = TabletStore.open(root, quietConfig())) {
            ConsistencyCheck check = store.checkConsistency(TABLET, SCHEMA_HASH, 2);

            assertThat(check.recomputed()).isEqualTo(expected(rows(0, 30)));
            assertThat(check.recorded()).contains(new ContentChecksum(30, 12345L));
            assertThat(check.matchesRecorded()).isFalse();
        }
        assertThat(Files.readString(header)).isEqualTo(tampered);
    }

    @Test
    void pagesOfRowsListEveryRowOnceInTheLoadFormat() {
        try (TabletStore store = TabletStore.open(root, quietConfig())) {
            store.create(spec(TABLET).schema(everyTypeSchema()).build());
            load(store, TABLET, 2, rows(0, 25));
            load(store, TABLET, 3, rows(25, 25));
            load(store, TABLET, 4, rows(50, 25));

            StringBuilder read = new StringBuilder();
            long offset = 0;
            int pages = 0;
            RowPage page;
            do {
                page = store.readRows(TABLET, 3, offset, 7);
                for (Object[] row : page.rows()) {
                    read.append(NdjsonWriter.line(page.schema(), row)).append('\n');
                }
                offset = page.nextOffset();
                pages++;
            } while (!page.end());

            assertThat(pages).isEqualTo(8);
            assertThat(offset).isEqualTo(50);
            assertThat(expected(read.toString())).isEqualTo(expected(rows(0, 50)));
            assertThat(store.readRows(TABLET, 3, 50, 7).rows()).isEmpty();
        }
    }

    private Path rewriteHeader(java.util.function.Consumer<ObjectNode> edit) throws Exception {
        Path header;
        try (TabletStore store = TabletStore.open(root, quietConfig())) {
            header = tabletDir(store, TABLET).resolve(TABLET + ".hdr");
        }
        ObjectMapper json = new ObjectMapper();
        ObjectNode node = (ObjectNode) json.readTree(header.toFile());
        edit.accept(node);
        Path temp = header.resolveSibling("edited.tmp");
        json.writeValue(temp.toFile(), node);
        Files.move(temp, header, StandardCopyOption.REPLACE_EXISTING);
        return header;
    }
}
