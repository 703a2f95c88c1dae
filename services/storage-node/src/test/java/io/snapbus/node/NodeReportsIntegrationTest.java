package io.snapbus.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.snapbus.thrift.TAgentTaskRequest;
import io.snapbus.thrift.TFinishTaskRequest;
import io.snapbus.thrift.TMasterInfo;
import io.snapbus.thrift.TNetworkAddress;
import io.snapbus.thrift.TReportRequest;
import io.snapbus.thrift.TStatusCode;
import io.snapbus.thrift.TTabletInfo;
import io.snapbus.thrift.TTaskType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeReportsIntegrationTest {
    private static final long TABLET = 80001L;
    /** A second tablet, for marker tasks whose snapshot is told apart from those of {@link #TABLET}. */
    private static final long MARKER_TABLET = 80002L;

    @TempDir
    Path dir;
    private NodeFixture fixture;

    @BeforeEach
    void startNodeReportingOften() throws Exception {
        fixture = new NodeFixture(dir.resolve("node"), StorageNodeConfig.defaults(dir.resolve("node")).toBuilder()
                .bePort(0).reportTaskInterval(Duration.ofMillis(200)).reportTabletInterval(Duration.ofMillis(300))
                .finishReportMaxBackoff(Duration.ofMillis(400)).makeSnapshotWorkerCount(1).build());
        fixture.createTablet(TABLET);
        fixture.createTablet(MARKER_TABLET);
        fixture.load(TABLET, 2, NodeFixture.rows(0, 250));
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void theOwningAgentGetsPeriodicTabletAndTaskReports() {
        TReportRequest tablets = Awaitility.await().atMost(Duration.ofSeconds(10)).until(
                () -> fixture.agent.reports.stream().filter(r -> r.isSetTablets()
                        && r.getTablets().containsKey(TABLET)
                        && r.getTablets().get(TABLET).getTablet_infos().get(0).getVersion() == 2)
                        .findFirst().orElse(null), r -> r != null);

        TTabletInfo info = tablets.getTablets().get(TABLET).getTablet_infos().get(0);
        assertThat(info.getRow_count()).isEqualTo(250);
        assertThat(info.getData_size()).isPositive();
        assertThat(info.getLast_failed_version()).isEqualTo(-1);
        assertThat(info.getSchema_hash()).isEqualTo(NodeFixture.SCHEMA_HASH);
        assertThat(tablets.getBackend().getBe_port()).isEqualTo(fixture.endpoint().port());
        assertThat(tablets.getBackend().getId()).isEqualTo(10002L);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(
                () -> fixture.agent.reports.stream().anyMatch(TReportRequest::isSetTasks));
    }

    @Test
    void aFinishReportTheOwnerCouldNotTakeReachesTheNextOwner() throws Exception {
        fixture.agent.close();
        TAgentTaskRequest task = Tasks.snapshot(fixture.nextSignature(), TABLET, NodeFixture.SCHEMA_HASH, 2);
        fixture.submit(task);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> fixture.node.store().snapshots().size() == 1);
        String snapshot = fixture.node.store().snapshots().get(0).toString();
        // Barrier: two sends failed since the report was queued, so it was tried, refused and retried.
        long failedBefore = fixture.node.failedFinishReportAttempts();
        Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> fixture.node.failedFinishReportAttempts() >= failedBefore + 2);
        assertThat(fixture.node.pendingFinishReports()).as("undelivered while no agent listens").isEqualTo(1);

        fixture.submit(task.deepCopy());
        // submit_tasks admits (or refuses) each task before it answers: a copy of the waiting report would be queued.
        assertThat(fixture.node.pendingFinishReports()).as("a re-sent task whose report waits queues no copy")
                .isEqualTo(1);
        // Barrier: a later snapshot task, run by the node's one MAKE_SNAPSHOT worker after any second run of the task.
        fixture.submit(Tasks.snapshot(fixture.nextSignature(), MARKER_TABLET, NodeFixture.SCHEMA_HASH, 1));
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> fixture.node.store().snapshots().stream()
                .anyMatch(root -> Files.isDirectory(root.resolve(Long.toString(MARKER_TABLET)))));
        assertThat(fixture.node.store().snapshots()).as("nor runs again: the task's snapshot and the marker's")
                .hasSize(2);

        try (RecordingAgent next = new RecordingAgent()) {
            TMasterInfo info = new TMasterInfo(new TNetworkAddress("127.0.0.1", next.endpoint().port()), 1, 2);
            fixture.heartbeats.call(fixture.endpoint(), c -> c.heartbeat(info));

            TFinishTaskRequest delivered = next.awaitFinish(TTaskType.MAKE_SNAPSHOT, task.getSignature());

            assertThat(delivered.getTask_status().getStatus_code()).isEqualTo(TStatusCode.OK);
            assertThat(delivered.getSnapshot_path()).isEqualTo(snapshot);
            Awaitility.await().until(() -> fixture.node.pendingFinishReports() == 0);
        }
    }

    @Test
    void aHeartbeatFromAnOlderEpochDoesNotTakeTheNodeBack() throws Exception {
        fixture.heartbeat(5);
        TMasterInfo stale = new TMasterInfo(new TNetworkAddress("127.0.0.1", 1), 1, 4);

        var answer = fixture.heartbeats.call(fixture.endpoint(), c -> c.heartbeat(stale));

        assertThat(answer.getStatus().getStatus_code()).isEqualTo(TStatusCode.CANCELLED);
        assertThat(fixture.node.reportTarget().current().orElseThrow().agent().port())
                .isEqualTo(fixture.agent.endpoint().port());
    }
}
