package io.snapbus.node.tablet;

import static io.snapbus.node.tablet.TabletFixtures.SCHEMA_HASH;
import static io.snapbus.node.tablet.TabletFixtures.loadVersions;
import static io.snapbus.node.tablet.TabletFixtures.quietConfig;
import static io.snapbus.node.tablet.TabletFixtures.spec;
import static org.assertj.core.api.Assertions.assertThat;

import io.snapbus.repository.FileSystemFlush;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CREATE and MAKE_SNAPSHOT from many threads with the grouped syncfs: every tablet and snapshot is whole when its call
 * returns and after the store opens again, and the flushes ran (on Linux) or the store fell back to an fsync of each
 * file; a store told not to group never flushes the filesystem.
 */
class GroupedDurabilityTest {
    private static final int THREADS = 8;
    private static final int TABLETS = 160;
    private static final long FIRST = 40_001;

    @TempDir
    Path root;

    @Test
    void tabletsAndSnapshotsMadeByManyThreadsAtOnceAreWholeAndSurviveAReopen() throws Exception {
        Map<Long, Snapshot> snapshots = new ConcurrentHashMap<>();
        ExecutorService threads = Executors.newFixedThreadPool(THREADS);
        long flushes;
        try (TabletStore store = TabletStore.open(root, quietConfig())) {
            List<Future<?>> work = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                work.add(threads.submit(() -> {
                    for (long id = FIRST + thread; id < FIRST + TABLETS; id += THREADS) {
                        store.create(spec(id).build());
                        loadVersions(store, id, 2, 2, 3);
                        snapshots.put(id, store.makeSnapshot(id, SCHEMA_HASH, 2, 0));
                    }
                    return null;
                }));
            }
            for (Future<?> done : work) {
                done.get(2, TimeUnit.MINUTES);
            }
            flushes = store.durability().flushes();
        } finally {
            threads.shutdownNow();
        }

        if (FileSystemFlush.available()) {
            assertThat(flushes).as("syncfs flushes for %d CREATEs and snapshots", TABLETS).isPositive()
                    .isLessThanOrEqualTo(4L * TABLETS);
        } else {
            assertThat(flushes).isZero();
        }
        try (TabletStore reopened = TabletStore.open(root, quietConfig())) {
            assertThat(reopened.all()).hasSize(TABLETS);
            for (long id = FIRST; id < FIRST + TABLETS; id++) {
                assertThat(reopened.meta(id).version()).isEqualTo(2);
                assertThat(reopened.readRows(id)).hasSize(3);
                Snapshot snapshot = snapshots.get(id);
                for (String file : snapshot.files()) {
                    assertThat(snapshot.tabletDir().resolve(file)).isRegularFile();
                }
                assertThat(reopened.recordedFiles(snapshot.tabletDir())).hasSize(snapshot.files().size() - 1);
            }
        }
        try (var leftovers = Files.walk(root)) {
            assertThat(leftovers.filter(DurableFiles::isTemp)).as("temporary files left").isEmpty();
        }
    }

    @Test
    void aStoreToldNotToGroupFsyncsEachFileAndNeverFlushesTheFilesystem() throws Exception {
        try (TabletStore store = TabletStore.open(root, quietConfig().withSyncFileSystem(false))) {
            store.create(spec(FIRST).build());
            loadVersions(store, FIRST, 2, 3, 2);
            store.makeSnapshot(FIRST, SCHEMA_HASH, 3, 0);

            assertThat(store.durability()).isSameAs(Durability.EACH_FILE);
            assertThat(store.durability().flushes()).isZero();
        }
        try (TabletStore reopened = TabletStore.open(root, quietConfig().withSyncFileSystem(false))) {
            assertThat(reopened.meta(FIRST).version()).isEqualTo(3);
        }
    }
}
