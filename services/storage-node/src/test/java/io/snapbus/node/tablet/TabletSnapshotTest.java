package io.snapbus.node.tablet;

import io.snapbus.tabletformat.RowsetFile;
import io.snapbus.tabletformat.RowsetMeta;
import io.snapbus.tabletformat.TabletHeader;
import static io.snapbus.node.tablet.TabletFixtures.SCHEMA_HASH;
import static io.snapbus.node.tablet.TabletFixtures.datFiles;
import static io.snapbus.node.tablet.TabletFixtures.expectStatus;
import static io.snapbus.node.tablet.TabletFixtures.idsIn;
import static io.snapbus.node.tablet.TabletFixtures.idsUpTo;
import static io.snapbus.node.tablet.TabletFixtures.inode;
import static io.snapbus.node.tablet.TabletFixtures.list;
import static io.snapbus.node.tablet.TabletFixtures.loadVersions;
import static io.snapbus.node.tablet.TabletFixtures.quietConfig;
import static io.snapbus.node.tablet.TabletFixtures.spec;
import static io.snapbus.node.tablet.TabletFixtures.tabletDir;
import static org.assertj.core.api.Assertions.assertThat;

import io.snapbus.thrift.TStatusCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** MAKE_SNAPSHOT: which rowsets a snapshot holds, how, and every way it refuses. */
class TabletSnapshotTest {
    private static final long TABLET = 15_001;
    private static final int ROWS = 20;

    @TempDir
    Path root;
    private TabletStore store;

    @BeforeEach
    void open() {
        store = TabletStore.open(root, quietConfig());
        store.create(spec(TABLET).build());
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void aSnapshotAtAnOlderVersionHoldsHardLinksOfExactlyTheRowsetsUpToIt() throws Exception {
        TabletMeta meta = loadVersions(store, TABLET, 2, 5, ROWS);

        Snapshot snapshot = store.makeSnapshot(TABLET, SCHEMA_HASH, 3, 60);

        List<RowsetMeta> upTo3 = meta.rowsets().subList(0, 3);
        List<String> expectedFiles = new ArrayList<>(upTo3.stream()
                .flatMap(r -> r.files().stream()).map(RowsetFile::name).toList());
        expectedFiles.add(TABLET + ".hdr");
        assertThat(snapshot.files()).containsExactlyInAnyOrderElementsOf(expectedFiles).isSorted();
        assertThat(list(snapshot.tabletDir())).isEqualTo(snapshot.files());
        assertThat(snapshot.tabletDir()).isEqualTo(snapshot.root().resolve(TABLET + "/" + SCHEMA_HASH));
        assertThat(snapshot.root().getParent()).isEqualTo(store.snapshotRoot());
        for (String name : expectedFiles.subList(0, expectedFiles.size() - 1)) {
            assertThat(inode(snapshot.tabletDir().resolve(name)))
                    .isEqualTo(inode(tabletDir(store, TABLET).resolve(name)));
        }
        TabletHeader header = TabletFiles.readHeader(snapshot.tabletDir().resolve(TABLET + ".hdr"));
        assertThat(header.version()).isEqualTo(3);
        assertThat(header.rowsets()).isEqualTo(upTo3);
        assertThat(header.schema()).isEqualTo(TabletFixtures.salesSchema());
        assertThat(idsIn(snapshot.tabletDir(), snapshot.files())).containsExactlyInAnyOrderElementsOf(idsUpTo(3, 2, ROWS));
    }

    @Test
    void aSnapshotRootIsNamedByTimeSequenceAndTimeoutWithTheConfiguredDefault() {
        loadVersions(store, TABLET, 2, 2, ROWS);

        Snapshot withTimeout = store.makeSnapshot(TABLET, SCHEMA_HASH, 2, 60);
        Snapshot withDefault = store.makeSnapshot(TABLET, SCHEMA_HASH, 2, 0);

        assertThat(withTimeout.root().getFileName().toString()).matches("\\d{14}\\.\\d+\\.60");
        assertThat(withDefault.root().getFileName().toString()).matches("\\d{14}\\.\\d+\\.172800");
        assertThat(store.snapshots()).containsExactlyInAnyOrder(withTimeout.root(), withDefault.root());
    }

    @Test
    void aSnapshotOfTheInitialVersionHasOnlyTheHeader() throws Exception {
        Snapshot snapshot = store.makeSnapshot(TABLET, SCHEMA_HASH, 1, 60);

        assertThat(snapshot.files()).containsExactly(TABLET + ".hdr");
        assertThat(TabletFiles.readHeader(snapshot.tabletDir().resolve(TABLET + ".hdr")).rowsets())
                .extracting(RowsetMeta::versionRange).containsExactly("[0-1]");
    }

    @Test
    void anAbsentTabletOrAnotherSchemaHashIsTabletMissingAndLeavesNoSnapshot() {
        expectStatus(TStatusCode.TABLET_MISSING, () -> store.makeSnapshot(TABLET + 1, SCHEMA_HASH, 1, 60));
        expectStatus(TStatusCode.TABLET_MISSING, () -> store.makeSnapshot(TABLET, SCHEMA_HASH + 1, 1, 60));

        assertThat(store.snapshots()).isEmpty();
    }

    @Test
    void aVersionAboveTheTabletsOrNegativeIsInvalidArgumentAndLeavesNoSnapshot() throws Exception {
        loadVersions(store, TABLET, 2, 3, ROWS);

        StoreException above = expectStatus(TStatusCode.INVALID_ARGUMENT,
                () -> store.makeSnapshot(TABLET, SCHEMA_HASH, 4, 60));
        expectStatus(TStatusCode.INVALID_ARGUMENT, () -> store.makeSnapshot(TABLET, SCHEMA_HASH, -1, 60));

        assertThat(above).hasMessageContaining("above the tablet's version 3");
        assertThat(list(store.snapshotRoot())).isEmpty();
    }

    @Test
    void aCooledDownTabletIsNotImplementedAndLeavesNoSnapshot() {
        store.setCooledDown(TABLET, true);

        StoreException e = expectStatus(TStatusCode.NOT_IMPLEMENTED_ERROR,
                () -> store.makeSnapshot(TABLET, SCHEMA_HASH, 1, 60));

        assertThat(e).hasMessage("currently not support backup tablet with cooldowned remote data");
        assertThat(store.snapshots()).isEmpty();
        store.setCooledDown(TABLET, false);
        assertThat(store.makeSnapshot(TABLET, SCHEMA_HASH, 1, 60).files()).hasSize(1);
    }

    @Test
    void compactionAcrossTheVersionMakesItAlreadyMergedWhileTheMaxVersionStillWorks() throws Exception {
        loadVersions(store, TABLET, 2, 4, ROWS);
        assertThat(store.compact(TABLET)).isPresent();

        StoreException e = expectStatus(TStatusCode.OLAP_ERR_VERSION_ALREADY_MERGED,
                () -> store.makeSnapshot(TABLET, SCHEMA_HASH, 3, 60));
        Snapshot atMax = store.makeSnapshot(TABLET, SCHEMA_HASH, 4, 60);

        assertThat(e).hasMessageContaining("version 3 was already merged");
        assertThat(store.snapshots()).containsExactly(atMax.root());
        assertThat(idsIn(atMax.tabletDir(), atMax.files())).containsExactlyElementsOf(idsUpTo(4, 2, ROWS));
    }

    @Test
    void aSnapshotMadeBeforeCompactionStaysReadableAfterTheOriginalsAreDeleted() throws Exception {
        TabletMeta before = loadVersions(store, TABLET, 2, 4, ROWS);
        Snapshot snapshot = store.makeSnapshot(TABLET, SCHEMA_HASH, 4, 60);

        store.compact(TABLET).orElseThrow();

        for (String name : datFiles(before)) {
            assertThat(tabletDir(store, TABLET).resolve(name)).doesNotExist();
            Path linked = snapshot.tabletDir().resolve(name);
            RowsetFile recorded = before.rowsets().stream().flatMap(r -> r.files().stream())
                    .filter(f -> f.name().equals(name)).findFirst().orElseThrow();
            assertThat(TabletLoadTest.md5(linked)).isEqualTo(recorded.md5());
        }
        assertThat(idsIn(snapshot.tabletDir(), snapshot.files())).containsExactlyInAnyOrderElementsOf(idsUpTo(4, 2, ROWS));
    }

    @Test
    void aSnapshotThatFailsHalfwayRemovesItsWholeRoot() throws Exception {
        TabletMeta meta = loadVersions(store, TABLET, 2, 3, ROWS);
        Files.delete(tabletDir(store, TABLET).resolve(datFiles(meta).get(1)));

        expectStatus(TStatusCode.IO_ERROR, () -> store.makeSnapshot(TABLET, SCHEMA_HASH, 3, 60));

        assertThat(list(store.snapshotRoot())).isEmpty();
        assertThat(store.makeSnapshot(TABLET, SCHEMA_HASH, 2, 60).files()).hasSize(2);
    }

    @Test
    void theShortestChainOfRowsetsIsCaptured() {
        List<RowsetMeta> rowsets = List.of(rowset(0, 1), rowset(2, 2), rowset(3, 3), rowset(2, 5), rowset(4, 4),
                rowset(5, 5), rowset(6, 6));

        assertThat(VersionPath.capture(1, rowsets, 5)).extracting(RowsetMeta::versionRange)
                .containsExactly("[0-1]", "[2-5]");
        assertThat(VersionPath.capture(1, rowsets, 3)).extracting(RowsetMeta::versionRange)
                .containsExactly("[0-1]", "[2-2]", "[3-3]");
        expectStatus(TStatusCode.INTERNAL_ERROR,
                () -> VersionPath.capture(1, List.of(rowset(0, 1), rowset(3, 3)), 3));
        expectStatus(TStatusCode.OLAP_ERR_VERSION_ALREADY_MERGED,
                () -> VersionPath.capture(1, List.of(rowset(0, 1), rowset(2, 4)), 3));
    }

    private static RowsetMeta rowset(long start, long end) {
        return new RowsetMeta("r" + start + "_" + end, start, end, 0, 0, List.of());
    }
}
