package io.snapbus.node.tablet;

import static io.snapbus.node.tablet.TabletFixtures.SCHEMA_HASH;
import static io.snapbus.node.tablet.TabletFixtures.idsIn;
import static io.snapbus.node.tablet.TabletFixtures.idsUpTo;
import static io.snapbus.node.tablet.TabletFixtures.loadVersions;
import static io.snapbus.node.tablet.TabletFixtures.quietConfig;
import static io.snapbus.node.tablet.TabletFixtures.spec;
import static org.assertj.core.api.Assertions.assertThat;

import io.snapbus.thrift.TStatusCode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loads, compactions and snapshots of one tablet at the same time: every snapshot is exact or refused. */
class ConcurrentTabletTest {
    private static final long TABLET = 15_001;
    private static final int ROWS = 5;
    private static final long LAST_VERSION = 40;

    @TempDir
    Path root;

    @Test
    void everySnapshotTakenDuringLoadsAndCompactionsHoldsExactlyTheRowsOfItsVersion() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(3);
        try (TabletStore store = TabletStore.open(root, quietConfig())) {
            store.create(spec(TABLET).build());
            AtomicBoolean loading = new AtomicBoolean(true);
            Future<?> loads = threads.submit(() -> {
                try {
                    loadVersions(store, TABLET, 2, LAST_VERSION, ROWS);
                } finally {
                    loading.set(false);
                }
            });
            Future<Integer> compactions = threads.submit(() -> {
                int merged = 0;
                while (loading.get()) {
                    merged += store.compact(TABLET).isPresent() ? 1 : 0;
                }
                return merged;
            });
            Future<List<String>> snapshots = threads.submit(() -> {
                List<String> outcomes = new ArrayList<>();
                while (loading.get()) {
                    long max = store.get(TABLET).orElseThrow().version();
                    long version = ThreadLocalRandom.current().nextLong(1, max + 1);
                    try {
                        Snapshot snapshot = store.makeSnapshot(TABLET, SCHEMA_HASH, version, 60);
                        assertThat(idsIn(snapshot.tabletDir(), snapshot.files()))
                                .as("snapshot of version %d", version)
                                .containsExactlyInAnyOrderElementsOf(idsUpTo(version, 2, ROWS));
                        store.releaseSnapshot(snapshot.root().toString());
                        outcomes.add("ok");
                    } catch (StoreException e) {
                        assertThat(e.code()).isEqualTo(TStatusCode.OLAP_ERR_VERSION_ALREADY_MERGED);
                        outcomes.add("merged");
                    }
                }
                return outcomes;
            });

            loads.get(30, TimeUnit.SECONDS);
            assertThat(compactions.get(30, TimeUnit.SECONDS)).isPositive();
            assertThat(snapshots.get(30, TimeUnit.SECONDS)).contains("ok");
            TabletMeta meta = store.get(TABLET).orElseThrow();
            assertThat(meta.version()).isEqualTo(LAST_VERSION);
            assertThat(meta.rowCount()).isEqualTo((LAST_VERSION - 1) * ROWS);
            assertThat(store.snapshots()).isEmpty();
            Snapshot last = store.makeSnapshot(TABLET, SCHEMA_HASH, LAST_VERSION, 60);
            assertThat(idsIn(last.tabletDir(), last.files()))
                    .containsExactlyInAnyOrderElementsOf(idsUpTo(LAST_VERSION, 2, ROWS));
        } finally {
            threads.shutdownNow();
        }
    }

    /**
     * CREATE and DROP run at once on different tablets (each id under its own lock): 4 threads create 400 tablets,
     * most ids twice (a re-sent CREATE), while another thread drops every 4th one as soon as it exists. Each tablet
     * ends either present with its header on disk or dropped with no directory, and a reopened store agrees.
     */
    @Test
    void concurrentCreatesAndDropsOfManyTabletsLeaveEachOneWholeOrGone() throws Exception {
        int tablets = 400;
        ExecutorService threads = Executors.newFixedThreadPool(5);
        List<Long> dropped = new ArrayList<>();
        try (TabletStore store = TabletStore.open(root, quietConfig())) {
            List<Future<?>> creators = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int offset = t;
                creators.add(threads.submit(() -> {
                    for (int i = 0; i < tablets; i++) {
                        // Every 4th tablet is created once (then dropped); the others by two threads at about the
                        // same moment, the second CREATE of an identical spec answered from the first.
                        boolean doomed = i % 4 == 0;
                        boolean mine = doomed ? (i / 4) % 4 == offset : i % 4 == offset || (i + 1) % 4 == offset;
                        if (mine) {
                            store.create(spec(20_000 + i).build());
                        }
                    }
                    return null;
                }));
            }
            Future<?> dropper = threads.submit(() -> {
                for (long id = 20_000; id < 20_000 + tablets; id += 4) {
                    while (store.get(id).isEmpty()) {
                        Thread.onSpinWait();
                    }
                    assertThat(store.drop(id, SCHEMA_HASH, -1)).isTrue();
                    dropped.add(id);
                }
                return null;
            });
            for (Future<?> creator : creators) {
                creator.get(60, TimeUnit.SECONDS);
            }
            dropper.get(60, TimeUnit.SECONDS);
            assertThat(dropped).hasSize(tablets / 4);
        } finally {
            threads.shutdownNow();
        }
        try (TabletStore reopened = TabletStore.open(root, quietConfig())) {
            for (long id = 20_000; id < 20_000 + tablets; id++) {
                Path dir = root.resolve("data").resolve(Long.toString(id)).resolve(Integer.toString(SCHEMA_HASH));
                if (dropped.contains(id)) {
                    assertThat(reopened.get(id)).as("tablet %d", id).isEmpty();
                    assertThat(dir).as("tablet %d", id).doesNotExist();
                } else {
                    assertThat(reopened.get(id)).as("tablet %d", id).isPresent();
                    assertThat(reopened.get(id).orElseThrow().version()).isEqualTo(1);
                }
            }
        }
    }
}
