package io.snapbus.node;

import static io.snapbus.thrift.TypesConstants.TPREFER_SNAPSHOT_REQ_VERSION;
import static org.assertj.core.api.Assertions.assertThat;

import io.snapbus.repository.RepositoryLayout;
import io.snapbus.thrift.TAgentResult;
import io.snapbus.thrift.TAgentTaskRequest;
import io.snapbus.thrift.TFinishTaskRequest;
import io.snapbus.thrift.TSnapshotRequest;
import io.snapbus.thrift.TStatusCode;
import io.snapbus.thrift.TTaskType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotErrorsIntegrationTest {
    private static final long TABLET = 60001L;

    @TempDir
    Path dir;
    private NodeFixture fixture;

    @BeforeEach
    void startNodeWithThreeLoads() throws Exception {
        // One MAKE_SNAPSHOT worker: a later snapshot task runs after an earlier one (the barrier of the duplicate test).
        fixture = new NodeFixture(dir.resolve("node"), StorageNodeConfig.defaults(dir.resolve("node")).toBuilder()
                .bePort(0).makeSnapshotWorkerCount(1).build());
        fixture.createTablet(TABLET);
        fixture.load(TABLET, 2, NodeFixture.rows(0, 100));
        fixture.load(TABLET, 3, NodeFixture.rows(100, 100));
        fixture.load(TABLET, 4, NodeFixture.rows(200, 100));
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void aSnapshotAtAnOlderVersionHoldsOnlyTheRowsetsUpToIt() throws Exception {
        TFinishTaskRequest snapshot = snapshot(TABLET, 3);

        assertThat(snapshot.getTask_status().getStatus_code()).isEqualTo(TStatusCode.OK);
        Path tabletDir = Path.of(snapshot.getSnapshot_path(), Long.toString(TABLET),
                Integer.toString(NodeFixture.SCHEMA_HASH));
        List<Long> ids = new ArrayList<>();
        for (String file : snapshot.getSnapshot_files()) {
            if (file.endsWith(".dat")) {
                try (DataFileReader<GenericRecord> reader = new DataFileReader<>(tabletDir.resolve(file).toFile(),
                        new GenericDatumReader<>())) {
                    reader.forEach(row -> ids.add((Long) row.get("id")));
                }
            }
        }
        assertThat(ids).hasSize(200).allSatisfy(id -> assertThat(id).isLessThan(200L));
        assertThat(snapshot.getSnapshot_files()).contains(TABLET + ".hdr");
    }

    @Test
    void aSnapshotBelowAVersionThatCompactionMergedFailsWithVersionAlreadyMerged() throws Exception {
        assertThat(fixture.node.store().compact(TABLET)).isPresent();

        assertThat(snapshot(TABLET, 3).getTask_status().getStatus_code())
                .isEqualTo(TStatusCode.OLAP_ERR_VERSION_ALREADY_MERGED);
        assertThat(snapshot(TABLET, 4).getTask_status().getStatus_code()).isEqualTo(TStatusCode.OK);
    }

    @Test
    void aMissingTabletFailsWithTabletMissing() throws Exception {
        assertThat(snapshot(99999L, 1).getTask_status().getStatus_code()).isEqualTo(TStatusCode.TABLET_MISSING);
    }

    @Test
    void aCooledDownTabletFailsWithNotImplemented() throws Exception {
        fixture.node.store().setCooledDown(TABLET, true);

        TFinishTaskRequest snapshot = snapshot(TABLET, 4);

        assertThat(snapshot.getTask_status().getStatus_code()).isEqualTo(TStatusCode.NOT_IMPLEMENTED_ERROR);
        assertThat(snapshot.getTask_status().getError_msgs().get(0)).contains("cooldown");
    }

    @Test
    void negativeAndFutureVersionsFailWithInvalidArgumentAndLeaveNoSnapshot() throws Exception {
        assertThat(snapshot(TABLET, -1).getTask_status().getStatus_code()).isEqualTo(TStatusCode.INVALID_ARGUMENT);
        assertThat(snapshot(TABLET, 5).getTask_status().getStatus_code()).isEqualTo(TStatusCode.INVALID_ARGUMENT);
        assertThat(fixture.node.store().snapshots()).isEmpty();
    }

    @Test
    void anUnsupportedTaskTypeIsRefusedAtSubmissionWithAClearStatus() throws Exception {
        TAgentTaskRequest clone = Tasks.task(TTaskType.CLONE, fixture.nextSignature());

        TAgentResult answer = fixture.submit(clone);

        assertThat(answer.getStatus().getStatus_code()).isEqualTo(TStatusCode.INVALID_ARGUMENT);
        assertThat(answer.getStatus().getError_msgs().get(0)).contains("CLONE", "not supported");
        // submit_tasks decides on each task before it answers, so a report of the refused task would be queued by
        // now. Barrier: every report the node queued has reached the agent.
        org.awaitility.Awaitility.await().until(() -> fixture.node.pendingFinishReports() == 0);
        assertThat(fixture.agent.finishCount(TTaskType.CLONE, clone.getSignature())).isZero();
    }

    @Test
    void releasingAPathOutsideTheSnapshotDirIsRefusedAndDeletesNothing() throws Exception {
        Path data = fixture.node.store().root().resolve("data");
        long filesBefore = countFiles(data);
        String[] attacks = {
            fixture.node.store().snapshotRoot().resolve("..").resolve("data").toString(),
            data.toString(),
            dir.toString(),
            fixture.node.store().snapshotRoot().toString(),
        };
        for (String attack : attacks) {
            TFinishTaskRequest released = fixture.run(Tasks.release(fixture.nextSignature(), attack));
            assertThat(released.getTask_status().getStatus_code()).as(attack)
                    .isEqualTo(TStatusCode.INVALID_ARGUMENT);
        }
        assertThat(countFiles(data)).isEqualTo(filesBefore);
        assertThat(snapshot(TABLET, 4).getTask_status().getStatus_code()).isEqualTo(TStatusCode.OK);
    }

    @Test
    void uploadingFromOutsideTheSnapshotDirOrToOutsideTheRepositoryIsRefused() throws Exception {
        TFinishTaskRequest snapshot = snapshot(TABLET, 4);
        String location = dir.resolve("repo").toUri().toString();
        Path tabletDir = Path.of(snapshot.getSnapshot_path(), Long.toString(TABLET),
                Integer.toString(NodeFixture.SCHEMA_HASH));
        Path dataDir = fixture.node.store().root().resolve("data").resolve(Long.toString(TABLET))
                .resolve(Integer.toString(NodeFixture.SCHEMA_HASH));
        String inside = location + "/" + RepositoryLayout.tabletDir("r", "l", 1, 2, 3, 4, TABLET);

        TFinishTaskRequest fromData = fixture.run(Tasks.upload(fixture.nextSignature(), 1, location,
                Map.of(dataDir.toString(), inside), Map.of()));
        TFinishTaskRequest escaping = fixture.run(Tasks.upload(fixture.nextSignature(), 1, location,
                Map.of(tabletDir.toString(), location + "/../elsewhere"), Map.of()));

        assertThat(fromData.getTask_status().getStatus_code()).isEqualTo(TStatusCode.INVALID_ARGUMENT);
        assertThat(escaping.getTask_status().getStatus_code()).isEqualTo(TStatusCode.INVALID_ARGUMENT);
        assertThat(dir.resolve("elsewhere")).doesNotExist();
        assertThat(dir.resolve("repo")).doesNotExist();
    }

    @Test
    void anUnwritableRepositoryFailsTheUploadWithAClearStatus() throws Exception {
        TFinishTaskRequest snapshot = snapshot(TABLET, 4);
        Path blocker = Files.writeString(dir.resolve("not-a-dir"), "a file where the repository should be");
        String location = blocker.resolve("repo").toUri().toString();
        Path tabletDir = Path.of(snapshot.getSnapshot_path(), Long.toString(TABLET),
                Integer.toString(NodeFixture.SCHEMA_HASH));

        TFinishTaskRequest upload = fixture.run(Tasks.upload(fixture.nextSignature(), 1, location,
                Map.of(tabletDir.toString(), location + "/" + RepositoryLayout.tabletDir("r", "l", 1, 2, 3, 4,
                        TABLET)), Map.of()));

        assertThat(upload.getTask_status().getStatus_code()).isEqualTo(TStatusCode.IO_ERROR);
        assertThat(upload.getTask_status().getError_msgs().get(0)).contains("not-a-dir");
        assertThat(Files.readString(blocker)).isEqualTo("a file where the repository should be");
        assertThat(tabletDir).isDirectory();
    }

    @Test
    void aDuplicateSignatureRunsOnceAndAResendAfterFinishingGetsTheSameReport() throws Exception {
        TAgentTaskRequest task = Tasks.snapshot(fixture.nextSignature(), TABLET, NodeFixture.SCHEMA_HASH, 4);
        fixture.submit(task, task.deepCopy());
        TFinishTaskRequest first = fixture.agent.awaitFinish(TTaskType.MAKE_SNAPSHOT, task.getSignature());
        // Barrier: a later snapshot task has run on the node's one MAKE_SNAPSHOT worker (so after any second run of
        // the task) and every report queued until then, a second run's included, has reached the agent.
        TAgentTaskRequest marker = Tasks.snapshot(fixture.nextSignature(), TABLET, NodeFixture.SCHEMA_HASH, 4);
        TFinishTaskRequest markerReport = fixture.run(marker);
        org.awaitility.Awaitility.await().until(() -> fixture.node.pendingFinishReports() == 0);
        assertThat(fixture.agent.finishCount(TTaskType.MAKE_SNAPSHOT, task.getSignature())).isEqualTo(1);
        assertThat(fixture.node.store().snapshots()).as("the task's snapshot and the marker's").hasSize(2);

        fixture.submit(task.deepCopy());

        org.awaitility.Awaitility.await().until(() ->
                fixture.agent.finishCount(TTaskType.MAKE_SNAPSHOT, task.getSignature()) == 2);
        assertThat(fixture.node.store().snapshots()).as("no snapshot made for the resend").hasSize(2)
                .extracting(Path::toString).contains(first.getSnapshot_path(), markerReport.getSnapshot_path());
        assertThat(fixture.agent.finished.stream().filter(f -> f.getSignature() == task.getSignature())
                .map(TFinishTaskRequest::getSnapshot_path).distinct()).containsExactly(first.getSnapshot_path());
    }

    @Test
    void theDirectMakeSnapshotCallAnswersWithThePreferredSnapshotVersionAsDorisDoes() throws Exception {
        TSnapshotRequest asked = new TSnapshotRequest(TABLET, NodeFixture.SCHEMA_HASH);
        asked.setVersion(4);
        asked.setPreferred_snapshot_version(3);
        TSnapshotRequest unstated = new TSnapshotRequest(TABLET, NodeFixture.SCHEMA_HASH);
        unstated.setVersion(4);
        TSnapshotRequest missing = new TSnapshotRequest(99999L, NodeFixture.SCHEMA_HASH);
        missing.setVersion(1);
        missing.setPreferred_snapshot_version(2);

        TAgentResult made = fixture.backends.call(fixture.endpoint(), c -> c.make_snapshot(asked));
        TAgentResult byDefault = fixture.backends.call(fixture.endpoint(), c -> c.make_snapshot(unstated));
        TAgentResult failed = fixture.backends.call(fixture.endpoint(), c -> c.make_snapshot(missing));

        assertThat(made.getStatus().getStatus_code()).isEqualTo(TStatusCode.OK);
        assertThat(made.isSetSnapshot_version()).isTrue();
        assertThat(made.getSnapshot_version()).isEqualTo(3);
        assertThat(made.isSetAllow_incremental_clone()).isTrue();
        assertThat(made.isAllow_incremental_clone()).isFalse();
        assertThat(Path.of(made.getSnapshot_path())).isDirectory();
        // Unset on the wire, the request's field reads as Types.TPREFER_SNAPSHOT_REQ_VERSION, as in Doris's BE.
        assertThat(byDefault.isSetSnapshot_version()).isTrue();
        assertThat(byDefault.getSnapshot_version()).isEqualTo(TPREFER_SNAPSHOT_REQ_VERSION);
        assertThat(failed.getStatus().getStatus_code()).isEqualTo(TStatusCode.TABLET_MISSING);
        assertThat(failed.isSetSnapshot_path()).isFalse();
        assertThat(failed.isSetSnapshot_version()).isTrue();
        assertThat(failed.getSnapshot_version()).isEqualTo(2);
    }

    private TFinishTaskRequest snapshot(long tabletId, long version) throws Exception {
        return fixture.run(Tasks.snapshot(fixture.nextSignature(), tabletId, NodeFixture.SCHEMA_HASH, version));
    }

    private static long countFiles(Path root) throws Exception {
        try (var files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).count();
        }
    }
}
