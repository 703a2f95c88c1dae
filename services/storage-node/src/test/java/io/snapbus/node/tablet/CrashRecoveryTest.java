package io.snapbus.node.tablet;

import static io.snapbus.node.tablet.TabletFixtures.datFiles;
import static io.snapbus.node.tablet.TabletFixtures.expectStatus;
import static io.snapbus.node.tablet.TabletFixtures.idsIn;
import static io.snapbus.node.tablet.TabletFixtures.list;
import static io.snapbus.node.tablet.TabletFixtures.loadVersions;
import static io.snapbus.node.tablet.TabletFixtures.ndjson;
import static io.snapbus.node.tablet.TabletFixtures.quietConfig;
import static io.snapbus.node.tablet.TabletFixtures.spec;
import static io.snapbus.node.tablet.TabletFixtures.tabletDir;
import static org.assertj.core.api.Assertions.assertThat;

import io.snapbus.rows.LoadFormat;
import io.snapbus.thrift.TStatusCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a store finds after a process died at an awkward moment: only what a header or a pending manifest lists
 * is visible; everything else is cleaned up when it opens.
 */
class CrashRecoveryTest {
    private static final long TABLET = 15_001;

    @TempDir
    Path root;

    @Test
    void temporaryAndHalfWrittenFilesAreNotVisibleAndAreRemovedOnOpen() throws Exception {
        TabletMeta before;
        Path dir;
        byte[] header;
        try (TabletStore store = TabletStore.open(root, quietConfig())) {
            store.create(spec(TABLET).build());
            before = loadVersions(store, TABLET, 2, 3, 10);
            store.writeRows(TABLET, 7, LoadFormat.NDJSON, ndjson(7000, 3));
            dir = tabletDir(store, TABLET);
            header = Files.readAllBytes(dir.resolve(TABLET + ".hdr"));
        }
        // Died before a rename: a header being rewritten and a rowset being written.
        Files.write(dir.resolve(TABLET + ".hdr.1a2b-3.tmp"), Arrays.copyOf(header, header.length / 2));
        Files.write(dir.resolve("020000000000000fff_0.dat.1a2b-4.tmp"), new byte[] {'O', 'b', 'j', 1, 2});
        // Died after a compaction wrote its output, before the header listed it.
        Files.write(dir.resolve("020000000000000ffe_0.dat"), new byte[] {'O', 'b', 'j', 1, 2});
        // Died in the middle of a load's write: rows on disk, no manifest.
        Path halfWritten = Files.createDirectories(dir.resolve("pending/8"));
        Files.write(halfWritten.resolve("020000000000000ffd_0.dat"), new byte[] {'O', 'b', 'j', 1});
        // Died while re-writing txn 7: its new rowset is there, the manifest still names the old one.
        Files.write(dir.resolve("pending/7/020000000000000ffc_0.dat.77-1.tmp"), new byte[] {'O', 'b', 'j'});
        Files.write(dir.resolve("pending/7/020000000000000ffb_0.dat"), new byte[] {'O', 'b', 'j'});

        try (TabletStore store = TabletStore.open(root, quietConfig())) {
            assertThat(store.get(TABLET)).contains(before);
            assertThat(Files.readAllBytes(dir.resolve(TABLET + ".hdr"))).isEqualTo(header);
            List<String> expected = new java.util.ArrayList<>(datFiles(before));
            expected.addAll(List.of(TABLET + ".hdr", "pending"));
            assertThat(list(dir)).containsExactlyInAnyOrderElementsOf(expected);
            assertThat(list(dir.resolve("pending"))).containsExactly("7");
            assertThat(list(dir.resolve("pending/7"))).hasSize(2);
            assertThat(store.pending(TABLET)).extracting(PendingWrite::txnId).containsExactly(7L);

            TabletMeta published = store.publish(TABLET, 7, 4);
            assertThat(idsIn(dir, datFiles(published))).contains(7000L, 7001L, 7002L);
        }
    }

    @Test
    void aPublishInterruptedBeforeItsHeaderWasWrittenCanBeRepeated() throws Exception {
        Path dir;
        Path pendingFile;
        try (TabletStore store = TabletStore.open(root, quietConfig())) {
            store.create(spec(TABLET).build());
            store.writeRows(TABLET, 7, LoadFormat.NDJSON, ndjson(1, 3));
            dir = tabletDir(store, TABLET);
            try (var files = Files.list(dir.resolve("pending/7"))) {
                pendingFile = files.filter(p -> p.toString().endsWith(".dat")).findFirst().orElseThrow();
            }
        }
        Files.createLink(dir.resolve(pendingFile.getFileName()), pendingFile); // linked, header not yet written

        try (TabletStore store = TabletStore.open(root, quietConfig())) {
            assertThat(dir.resolve(pendingFile.getFileName())).doesNotExist();
            assertThat(store.get(TABLET).orElseThrow().version()).isEqualTo(1);
            assertThat(store.publish(TABLET, 7, 2).rowCount()).isEqualTo(3);
        }
    }

    @Test
    void aPublishInterruptedAfterItsHeaderWasWrittenIsComplete() throws Exception {
        Path dir;
        Path saved = root.resolve("saved-pending");
        try (TabletStore store = TabletStore.open(root, quietConfig())) {
            store.create(spec(TABLET).build());
            store.writeRows(TABLET, 7, LoadFormat.NDJSON, ndjson(1, 3));
            dir = tabletDir(store, TABLET);
            copyTree(dir.resolve("pending/7"), saved);
            store.publish(TABLET, 7, 2);
        }
        copyTree(saved, dir.resolve("pending/7")); // the pending dir was not deleted yet

        try (TabletStore store = TabletStore.open(root, quietConfig())) {
            assertThat(dir.resolve("pending/7")).doesNotExist();
            assertThat(store.pending(TABLET)).isEmpty();
            assertThat(store.publish(TABLET, 7, 2).rowCount()).isEqualTo(3);
        }
    }

    @Test
    void aTabletWhoseCreationWasInterruptedIsRemoved() throws Exception {
        TabletStore.open(root, quietConfig()).close();
        Path half = Files.createDirectories(root.resolve("data/" + TABLET + "/" + TabletFixtures.SCHEMA_HASH));
        Files.write(half.resolve(TABLET + ".hdr.5-1.tmp"), new byte[] {'{'});

        try (TabletStore store = TabletStore.open(root, quietConfig())) {
            assertThat(store.all()).isEmpty();
            assertThat(root.resolve("data/" + TABLET)).doesNotExist();
            assertThat(store.create(spec(TABLET).build()).version()).isEqualTo(1);
        }
    }

    @Test
    void aTabletWithAnUnreadableHeaderIsMovedToTheTrashNotDeleted() throws Exception {
        try (TabletStore store = TabletStore.open(root, quietConfig())) {
            store.create(spec(TABLET).build());
            store.create(spec(TABLET + 1).build());
            loadVersions(store, TABLET, 2, 2, 3);
        }
        Files.writeString(root.resolve("data/" + TABLET + "/" + TabletFixtures.SCHEMA_HASH + "/" + TABLET + ".hdr"),
                "{ not json");

        try (TabletStore store = TabletStore.open(root, quietConfig())) {
            assertThat(store.all()).extracting(TabletMeta::tabletId).containsExactly(TABLET + 1);
            assertThat(list(root.resolve("trash"))).singleElement().asString().startsWith("tablet." + TABLET + ".");
            expectStatus(TStatusCode.TABLET_MISSING, () -> store.makeSnapshot(TABLET, TabletFixtures.SCHEMA_HASH, 1, 0));
        }
    }

    @Test
    void aReleaseInterruptedInTheTrashIsFinishedOnOpen() throws Exception {
        TabletStore.open(root, quietConfig()).close();
        Path leftover = Files.createDirectories(root.resolve("trash/released-snapshot.20240101000000.1.60.123/1/2"));
        Files.writeString(leftover.resolve("1.hdr"), "{}");

        TabletStore.open(root, quietConfig()).close();

        assertThat(list(root.resolve("trash"))).isEmpty();
    }

    private static void copyTree(Path from, Path to) throws Exception {
        Files.createDirectories(to);
        try (var files = Files.list(from)) {
            for (Path file : files.toList()) {
                Files.copy(file, to.resolve(file.getFileName()));
            }
        }
    }
}
