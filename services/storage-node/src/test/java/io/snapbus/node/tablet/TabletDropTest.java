package io.snapbus.node.tablet;

import static io.snapbus.node.tablet.TabletFixtures.SCHEMA_HASH;
import static io.snapbus.node.tablet.TabletFixtures.expectStatus;
import static io.snapbus.node.tablet.TabletFixtures.idsIn;
import static io.snapbus.node.tablet.TabletFixtures.idsUpTo;
import static io.snapbus.node.tablet.TabletFixtures.list;
import static io.snapbus.node.tablet.TabletFixtures.loadVersions;
import static io.snapbus.node.tablet.TabletFixtures.quietConfig;
import static io.snapbus.node.tablet.TabletFixtures.spec;
import static io.snapbus.node.tablet.TabletFixtures.tabletDir;
import static org.assertj.core.api.Assertions.assertThat;

import io.snapbus.node.task.DropTabletRunner;
import io.snapbus.thrift.TAgentServiceVersion;
import io.snapbus.thrift.TAgentTaskRequest;
import io.snapbus.thrift.TDropTabletReq;
import io.snapbus.thrift.TFinishTaskRequest;
import io.snapbus.thrift.TStatusCode;
import io.snapbus.thrift.TTaskType;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DROP: the tablet leaves the data dir durably and idempotently; snapshots made of it stay readable. */
class TabletDropTest {
    private static final long TABLET = 16_001;
    private static final long OTHER = 16_002;

    @TempDir
    Path root;
    private TabletStore store;

    @BeforeEach
    void open() {
        store = TabletStore.open(root, quietConfig());
        store.create(spec(TABLET).build());
        loadVersions(store, TABLET, 2, 3, 4);
        store.create(spec(OTHER).build());
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void aDroppedTabletLeavesTheDataDirAndAnswersTabletMissing() {
        Path dir = tabletDir(store, TABLET);

        assertThat(store.drop(TABLET, SCHEMA_HASH, 0)).isTrue();

        assertThat(dir).doesNotExist();
        assertThat(dir.getParent()).doesNotExist();
        assertThat(store.get(TABLET)).isEmpty();
        expectStatus(TStatusCode.TABLET_MISSING, () -> store.makeSnapshot(TABLET, SCHEMA_HASH, 3, 60));
        assertThat(store.get(OTHER)).as("other tablets are untouched").isPresent();
        assertThat(tabletDir(store, OTHER)).isDirectory();
    }

    @Test
    void droppingAMissingOrAlreadyDroppedTabletSucceedsAndChangesNothing() {
        assertThat(store.drop(TABLET, SCHEMA_HASH, 0)).isTrue();

        assertThat(store.drop(TABLET, SCHEMA_HASH, 0)).isFalse();
        assertThat(store.drop(99_999, 0, 0)).isFalse();
        assertThat(store.all()).extracting(TabletMeta::tabletId).containsExactly(OTHER);
    }

    @Test
    void aDropNamingAnotherSchemaHashOrReplicaKeepsTheTablet() {
        assertThat(store.drop(TABLET, SCHEMA_HASH + 1, 0)).isFalse();
        assertThat(store.drop(TABLET, SCHEMA_HASH, 777)).isFalse();

        assertThat(store.get(TABLET)).isPresent();
        assertThat(tabletDir(store, TABLET)).isDirectory();
    }

    @Test
    void aSnapshotMadeBeforeTheDropStaysReadable() throws Exception {
        Snapshot snapshot = store.makeSnapshot(TABLET, SCHEMA_HASH, 3, 60);

        store.drop(TABLET, SCHEMA_HASH, 0);

        assertThat(snapshot.tabletDir().resolve(TABLET + ".hdr")).isRegularFile();
        assertThat(idsIn(snapshot.tabletDir(), snapshot.files())).containsExactlyElementsOf(idsUpTo(3, 2, 4));
        store.releaseSnapshot(snapshot.root().toString());
        assertThat(snapshot.root()).doesNotExist();
    }

    @Test
    void aDroppedTabletStaysDroppedAfterAReopenAndTheTrashIsEmptied() throws Exception {
        store.drop(TABLET, SCHEMA_HASH, 0);
        // What a crash between the rename into the trash and its deletion leaves.
        Path leftover = Files.createDirectories(root.resolve("trash").resolve("dropped-tablet-16003.1.42"));
        Files.writeString(leftover.resolve("x_0.dat"), "rows");
        store.close();

        store = TabletStore.open(root, quietConfig());

        assertThat(store.get(TABLET)).isEmpty();
        assertThat(store.get(OTHER)).isPresent();
        assertThat(list(root.resolve("trash"))).isEmpty();
    }

    @Test
    void theDropRunnerDropsTheNamedTabletAndIsHarmlessWhenRunAgain() {
        DropTabletRunner runner = new DropTabletRunner(store);
        TDropTabletReq request = new TDropTabletReq(TABLET);
        request.setSchema_hash(SCHEMA_HASH);
        request.setIs_drop_table_or_partition(true);
        TAgentTaskRequest task = new TAgentTaskRequest(TAgentServiceVersion.V1, TTaskType.DROP, 5);
        task.setDrop_tablet_req(request);

        assertThat(runner.validate(task)).isEmpty();
        runner.run(task, new TFinishTaskRequest());
        runner.run(task, new TFinishTaskRequest());

        assertThat(store.get(TABLET)).isEmpty();
        assertThat(tabletDir(store, TABLET)).doesNotExist();
        assertThat(runner.validate(new TAgentTaskRequest(TAgentServiceVersion.V1, TTaskType.DROP, 6)))
                .hasValueSatisfying(reason -> assertThat(reason).contains("drop_tablet_req is missing"));
    }
}
