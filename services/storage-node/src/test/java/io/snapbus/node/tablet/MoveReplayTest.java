package io.snapbus.node.tablet;

import io.snapbus.tabletformat.RowsetMeta;
import static io.snapbus.node.tablet.TabletFixtures.expectStatus;
import static io.snapbus.node.tablet.TabletFixtures.loadVersions;
import static io.snapbus.node.tablet.TabletFixtures.quietConfig;
import static io.snapbus.node.tablet.TabletFixtures.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snapbus.rows.LoadFormat;
import io.snapbus.thrift.TStatusCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * MOVE's intent replay: a move that dies at any step leaves, after the store opens again, the tablet fully old
 * (before the intent) or fully new (from the intent on), and a repeated MOVE then answers OK with the new data.
 */
class MoveReplayTest {
    private static final long SOURCE = 16_001;
    private static final long TARGET = 16_002;

    @TempDir
    Path root;

    /** What a test hook throws to stop a MOVE dead, skipping every clean-up (an Error: nothing catches it). */
    private static final class SimulatedCrash extends Error {
        SimulatedCrash(MoveStep step) {
            super("crash at " + step);
        }
    }

    @ParameterizedTest
    @EnumSource(MoveStep.class)
    void aMoveThatDiesAtAnyStepIsWhollyOldOrWhollyNewAfterReopenAndARepeatedMoveCompletesIt(MoveStep crashAt)
            throws Exception {
        List<String> backupRows;
        List<String> oldRows;
        Path snapshot;
        try (TabletStore store = TabletStore.open(root, quietConfig(), (step, dir) -> {
            if (step == crashAt) {
                throw new SimulatedCrash(step);
            }
        })) {
            snapshot = downloadedSnapshot(store);
            backupRows = rows(store, SOURCE);
            oldRows = rows(store, TARGET);
            Path snapshotDir = snapshot;
            assertThatThrownBy(() -> store.move(TARGET, TabletFixtures.SCHEMA_HASH, snapshotDir.toString(), 9, true))
                    .isInstanceOf(SimulatedCrash.class);
        }

        try (TabletStore reopened = TabletStore.open(root, quietConfig())) {
            boolean committed = crashAt != MoveStep.STAGED;
            TabletMeta meta = reopened.meta(TARGET);
            assertThat(meta.version()).isEqualTo(committed ? 4 : 2);
            assertThat(rows(reopened, TARGET)).isEqualTo(committed ? backupRows : oldRows);
            assertThat(listRestoreDir()).as("nothing left in restore/").isEmpty();
            assertThat(Files.exists(snapshot.resolve("LOADED"))).isEqualTo(committed);

            TabletMeta moved = reopened.move(TARGET, TabletFixtures.SCHEMA_HASH, snapshot.toString(), 9, true);

            assertThat(moved.version()).isEqualTo(4);
            assertThat(rows(reopened, TARGET)).isEqualTo(backupRows);
            assertThat(moved.tabletId()).isEqualTo(TARGET);
            assertThat(moved.partitionId()).isEqualTo(3001);
        }
        try (TabletStore again = TabletStore.open(root, quietConfig())) {
            assertThat(again.meta(TARGET).version()).isEqualTo(4);
            assertThat(rows(again, TARGET)).isEqualTo(backupRows);
        }
    }

    @Test
    void aMovedTabletTakesTheNextVersionAndItsRowsetIdsAreItsOwn() throws Exception {
        try (TabletStore store = TabletStore.open(root, quietConfig())) {
            Path snapshot = downloadedSnapshot(store);

            TabletMeta moved = store.move(TARGET, TabletFixtures.SCHEMA_HASH, snapshot.toString(), 9, true);

            List<String> sourceIds = store.meta(SOURCE).rowsets().stream().map(RowsetMeta::rowsetId).toList();
            assertThat(moved.rowsets()).extracting(RowsetMeta::rowsetId).doesNotContainAnyElementsOf(sourceIds);
            store.writeRows(TARGET, 77, LoadFormat.NDJSON, TabletFixtures.ndjson(90_000, 5));
            assertThat(store.publish(TARGET, 77, 5).version()).isEqualTo(5);
            expectStatus(TStatusCode.ALREADY_EXIST, () -> {
                store.writeRows(TARGET, 78, LoadFormat.NDJSON, TabletFixtures.ndjson(91_000, 5));
                store.publish(TARGET, 78, 4);
            });
        }
    }

    /**
     * A backup of SOURCE (versions 2-4) and TARGET at version 2 with other rows, and TARGET's restore snapshot dir
     * holding SOURCE's snapshot files as a DOWNLOAD leaves them (header renamed to TARGET's).
     */
    private static Path downloadedSnapshot(TabletStore store) throws Exception {
        store.create(spec(SOURCE).build());
        loadVersions(store, SOURCE, 2, 4, 20);
        store.create(spec(TARGET).replicaId(20_002).build());
        store.writeRows(TARGET, 500, LoadFormat.NDJSON, TabletFixtures.ndjson(50_000, 7));
        store.publish(TARGET, 500, 2);
        Snapshot backup = store.makeSnapshot(SOURCE, TabletFixtures.SCHEMA_HASH, 4, 0);
        Snapshot restore = store.makeSnapshot(TARGET, TabletFixtures.SCHEMA_HASH, 2, 0);
        try (Stream<Path> files = Files.list(restore.tabletDir())) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
        }
        for (String name : backup.files()) {
            String local = name.endsWith(".hdr") ? TARGET + ".hdr" : name;
            Files.copy(backup.tabletDir().resolve(name), restore.tabletDir().resolve(local),
                    StandardCopyOption.COPY_ATTRIBUTES);
        }
        return restore.tabletDir();
    }

    private static List<String> rows(TabletStore store, long tabletId) {
        return store.readRows(tabletId).stream().map(GenericRecord::toString).toList();
    }

    private List<Path> listRestoreDir() throws Exception {
        try (Stream<Path> entries = Files.list(root.resolve("restore"))) {
            return entries.toList();
        }
    }
}
