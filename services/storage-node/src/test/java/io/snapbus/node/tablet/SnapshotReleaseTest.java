package io.snapbus.node.tablet;

import static io.snapbus.node.tablet.TabletFixtures.SCHEMA_HASH;
import static io.snapbus.node.tablet.TabletFixtures.expectStatus;
import static io.snapbus.node.tablet.TabletFixtures.loadVersions;
import static io.snapbus.node.tablet.TabletFixtures.quietConfig;
import static io.snapbus.node.tablet.TabletFixtures.spec;
import static io.snapbus.node.tablet.TabletFixtures.tabletDir;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.snapbus.thrift.TStatusCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** RELEASE_SNAPSHOT, the upload path check and the expired-snapshot sweeper never touch anything else. */
class SnapshotReleaseTest {
    private static final long TABLET = 15_001;

    @TempDir
    Path root;
    @TempDir
    Path elsewhere;
    private TabletStore store;
    private Path victim;

    @BeforeEach
    void open() throws Exception {
        store = TabletStore.open(root, quietConfig());
        store.create(spec(TABLET).build());
        loadVersions(store, TABLET, 2, 2, 5);
        Files.createDirectories(elsewhere.resolve("victim"));
        victim = Files.writeString(elsewhere.resolve("victim/precious.txt"), "keep me");
    }

    @AfterEach
    void close() {
        store.close();
    }

    private Snapshot snapshot() {
        return store.makeSnapshot(TABLET, SCHEMA_HASH, 2, 60);
    }

    @Test
    void releasingASnapshotDeletesItsRootAndReleasingAgainIsFine() {
        Snapshot snapshot = snapshot();
        Snapshot other = snapshot();

        store.releaseSnapshot(snapshot.root().toString());
        store.releaseSnapshot(snapshot.root().toString());

        assertThat(snapshot.root()).doesNotExist();
        assertThat(store.snapshots()).containsExactly(other.root());
        assertThat(tabletDir(store, TABLET)).isDirectory();
        assertThat(store.get(TABLET).orElseThrow().rowCount()).isEqualTo(5);
    }

    @Test
    void aPathThatClimbsOutOfTheSnapshotAreaIsRefusedAndNothingIsDeleted() {
        Snapshot snapshot = snapshot();
        Path header = tabletDir(store, TABLET).resolve(TABLET + ".hdr");

        refused(store.snapshotRoot() + "/../data/" + TABLET);
        refused(snapshot.root() + "/../../data");
        refused(snapshot.root() + "/../..");
        refused(store.snapshotRoot() + "/../../" + elsewhere.getFileName() + "/victim");

        assertThat(header).isRegularFile();
        assertThat(snapshot.root()).isDirectory();
    }

    @Test
    void aSiblingDirectoryTheAreaItselfOrANestedDirectoryIsRefused() {
        Snapshot snapshot = snapshot();

        refused(store.root().resolve("data").toString());
        refused(store.root().resolve("trash").toString());
        refused(store.snapshotRoot().toString());
        refused(snapshot.tabletDir().toString());
        refused(snapshot.root().resolve(Long.toString(TABLET)).toString());

        assertThat(snapshot.tabletDir().resolve(TABLET + ".hdr")).isRegularFile();
        assertThat(tabletDir(store, TABLET)).isDirectory();
    }

    @Test
    void aPathOutsideTheStoreOrARelativePathIsRefused() {
        refused(victim.getParent().toString());
        refused(victim.toString());
        refused("/");
        refused("snapshot/20240101000000.1.60");
        refused("");

        assertThat(victim).hasContent("keep me");
    }

    @Test
    void aSymlinkInTheSnapshotAreaPointingOutIsRefused() throws Exception {
        Path link = Files.createSymbolicLink(store.snapshotRoot().resolve("20240101000000.9.60"), victim.getParent());

        refused(link.toString());
        refused(link.resolve("precious.txt").toString());

        assertThat(victim).hasContent("keep me");
        assertThat(Files.isSymbolicLink(link)).isTrue();
    }

    @Test
    void aSymlinkInsideASnapshotIsDeletedWithoutFollowingIt() throws Exception {
        Snapshot snapshot = snapshot();
        Files.createSymbolicLink(snapshot.tabletDir().resolve("escape"), victim.getParent());

        store.releaseSnapshot(snapshot.root().toString());

        assertThat(snapshot.root()).doesNotExist();
        assertThat(victim).hasContent("keep me");
    }

    @Test
    void aPathReachingTheAreaThroughASymlinkIsAccepted() throws Exception {
        Snapshot snapshot = snapshot();
        Path storeLink = Files.createSymbolicLink(elsewhere.resolve("store-link"), store.root());

        store.releaseSnapshot(storeLink.resolve("snapshot").resolve(snapshot.root().getFileName()).toString());

        assertThat(snapshot.root()).doesNotExist();
    }

    private void refused(String path) {
        expectStatus(TStatusCode.INVALID_ARGUMENT, () -> store.releaseSnapshot(path));
    }

    @Test
    void anUploadMayOnlyReadASnapshotTabletDir() {
        Snapshot snapshot = snapshot();

        assertThat(store.requireSnapshotTabletDir(snapshot.tabletDir().toString())).isEqualTo(snapshot.tabletDir());
        assertThat(store.requireSnapshotTabletDir(snapshot.root() + "/" + TABLET + "/./" + SCHEMA_HASH))
                .isEqualTo(snapshot.tabletDir());
        expectStatus(TStatusCode.NOT_FOUND,
                () -> store.requireSnapshotTabletDir(snapshot.root() + "/" + TABLET + "/1"));
        expectStatus(TStatusCode.INVALID_ARGUMENT, () -> store.requireSnapshotTabletDir(snapshot.root().toString()));
        expectStatus(TStatusCode.INVALID_ARGUMENT,
                () -> store.requireSnapshotTabletDir(tabletDir(store, TABLET).toString()));
        expectStatus(TStatusCode.INVALID_ARGUMENT,
                () -> store.requireSnapshotTabletDir(snapshot.tabletDir() + "/" + TABLET + ".hdr"));
        expectStatus(TStatusCode.INVALID_ARGUMENT, () -> store.requireSnapshotTabletDir(victim.getParent().toString()));
        expectStatus(TStatusCode.INVALID_ARGUMENT, () -> store.requireSnapshotTabletDir("relative/1/2"));
    }

    @Test
    void theSweeperDeletesOnlyExpiredSnapshotRoots() throws Exception {
        Snapshot minute = store.makeSnapshot(TABLET, SCHEMA_HASH, 2, 60);
        Snapshot hour = store.makeSnapshot(TABLET, SCHEMA_HASH, 2, 3600);
        Path ancient = Files.createDirectory(store.snapshotRoot().resolve("20000101000000.3.60"));
        Path unparseable = Files.createDirectory(store.snapshotRoot().resolve("not-a-snapshot"));
        Path badDate = Files.createDirectory(store.snapshotRoot().resolve("20001301000000.3.60"));
        Instant now = Instant.now();

        assertThat(store.sweepExpiredSnapshots(now)).isEqualTo(1);
        assertThat(ancient).doesNotExist();
        assertThat(store.snapshots()).contains(minute.root(), hour.root());

        assertThat(store.sweepExpiredSnapshots(now.plusSeconds(61))).isEqualTo(1);
        assertThat(store.snapshots()).containsExactlyInAnyOrder(hour.root(), unparseable, badDate);
        assertThat(tabletDir(store, TABLET)).isDirectory();
    }

    @Test
    void theBackgroundSweeperDeletesExpiredSnapshots() throws Exception {
        store.close();
        store = TabletStore.open(root, quietConfig().withSnapshotExpiry(172_800, Duration.ofMillis(50)));
        Path expired = Files.createDirectories(store.snapshotRoot().resolve("20000101000000.1.60/" + TABLET));
        Snapshot live = snapshot();

        await().atMost(Duration.ofSeconds(10)).until(() -> !Files.exists(expired.getParent()));
        assertThat(live.root()).isDirectory();
    }
}
