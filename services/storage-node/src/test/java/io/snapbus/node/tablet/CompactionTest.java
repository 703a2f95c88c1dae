package io.snapbus.node.tablet;

import io.snapbus.tabletformat.RowsetMeta;
import static io.snapbus.node.tablet.TabletFixtures.datFiles;
import static io.snapbus.node.tablet.TabletFixtures.idsIn;
import static io.snapbus.node.tablet.TabletFixtures.idsUpTo;
import static io.snapbus.node.tablet.TabletFixtures.loadVersions;
import static io.snapbus.node.tablet.TabletFixtures.quietConfig;
import static io.snapbus.node.tablet.TabletFixtures.ranges;
import static io.snapbus.node.tablet.TabletFixtures.spec;
import static io.snapbus.node.tablet.TabletFixtures.tabletDir;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Compaction: what it merges, what it keeps, and the background scheduler. */
class CompactionTest {
    private static final long TABLET = 15_001;
    private static final int ROWS = 20;

    @TempDir
    Path root;

    @Test
    void similarLoadsAndTheEmptyInitialRowsetMergeIntoOneRowsetWithEveryRowInVersionOrder() throws Exception {
        try (TabletStore store = TabletStore.open(root, quietConfig())) {
            store.create(spec(TABLET).build());
            TabletMeta before = loadVersions(store, TABLET, 2, 4, ROWS);
            assertThat(ranges(before)).containsExactly("[0-1]", "[2-2]", "[3-3]", "[4-4]");

            RowsetMeta merged = store.compact(TABLET).orElseThrow();

            TabletMeta after = store.get(TABLET).orElseThrow();
            assertThat(merged.versionRange()).isEqualTo("[0-4]");
            assertThat(ranges(after)).containsExactly("[0-4]");
            assertThat(after.version()).isEqualTo(4);
            assertThat(after.rowCount()).isEqualTo(before.rowCount()).isEqualTo(3L * ROWS);
            assertThat(merged.files()).hasSize(1);
            assertThat(idsIn(tabletDir(store, TABLET), datFiles(after))).containsExactlyElementsOf(idsUpTo(4, 2, ROWS));
            assertThat(TabletFixtures.list(tabletDir(store, TABLET)))
                    .containsExactlyInAnyOrder(TABLET + ".hdr", merged.files().get(0).name(), "pending");
            assertThat(store.compact(TABLET)).isEmpty();
        }
        try (TabletStore reopened = TabletStore.open(root, quietConfig())) {
            assertThat(ranges(reopened.get(TABLET).orElseThrow())).containsExactly("[0-4]");
            assertThat(loadVersions(reopened, TABLET, 5, 5, ROWS).version()).isEqualTo(5);
        }
    }

    @Test
    void aTabletWithNothingToMergeIsLeftAlone() {
        try (TabletStore store = TabletStore.open(root, quietConfig())) {
            store.create(spec(TABLET).build());

            assertThat(store.compact(TABLET)).isEmpty();
            assertThat(store.compactDue()).isZero();
            assertThat(ranges(store.get(TABLET).orElseThrow())).containsExactly("[0-1]");
        }
    }

    @Test
    void aBigRowsetIsNotRewrittenToAbsorbSmallLoads() {
        List<RowsetMeta> rowsets = List.of(sized(0, 1, 0), sized(2, 2, 10_000), sized(3, 3, 100), sized(4, 4, 120),
                sized(5, 5, 90));

        assertThat(CompactionPolicy.pick(rowsets)).extracting(RowsetMeta::versionRange)
                .containsExactly("[3-3]", "[4-4]", "[5-5]");
        assertThat(CompactionPolicy.pick(rowsets.subList(0, 2))).extracting(RowsetMeta::versionRange)
                .containsExactly("[0-1]", "[2-2]");
        assertThat(CompactionPolicy.pick(List.of(sized(0, 5, 1000), sized(6, 6, 10)))).isEmpty();
        assertThat(CompactionPolicy.pick(List.of(sized(0, 5, 1000)))).isEmpty();
    }

    private static RowsetMeta sized(long start, long end, long bytes) {
        return new RowsetMeta("r" + start, start, end, bytes, bytes, List.of());
    }

    @Test
    void compactDueMergesOnlyTabletsWithEnoughRowsets() {
        try (TabletStore store = TabletStore.open(root, quietConfig())) {
            store.create(spec(TABLET).build());
            store.create(spec(TABLET + 1).build());
            loadVersions(store, TABLET, 2, 5, ROWS);      // 5 rowsets: due
            loadVersions(store, TABLET + 1, 2, 4, ROWS);  // 4 rowsets: not yet

            assertThat(store.compactDue()).isEqualTo(1);

            assertThat(ranges(store.get(TABLET).orElseThrow())).containsExactly("[0-5]");
            assertThat(store.get(TABLET + 1).orElseThrow().versionCount()).isEqualTo(4);
        }
    }

    @Test
    void backgroundCompactionMergesDueTablets() {
        TabletStoreConfig config = TabletStoreConfig.defaults().withCompaction(true, 3, Duration.ofMillis(50));
        try (TabletStore store = TabletStore.open(root, config)) {
            store.create(spec(TABLET).build());
            loadVersions(store, TABLET, 2, 3, ROWS);

            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(ranges(store.get(TABLET).orElseThrow())).containsExactly("[0-3]"));
            assertThat(store.get(TABLET).orElseThrow().rowCount()).isEqualTo(2L * ROWS);
        }
    }
}
