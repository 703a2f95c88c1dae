package io.snapbus.agent;

import static io.snapbus.agent.AgentTestKit.batch;
import static io.snapbus.agent.AgentTestKit.createRequest;
import static io.snapbus.agent.AgentTestKit.finishedOf;
import static io.snapbus.agent.AgentTestKit.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.snapbus.avro.BackendHeartbeat;
import io.snapbus.avro.BackendStatusRecord;
import io.snapbus.avro.BackupJobHeader;
import io.snapbus.avro.BackupJobRecord;
import io.snapbus.avro.BackupJobState;
import io.snapbus.avro.CheckConsistencyRequest;
import io.snapbus.avro.DownloadRequest;
import io.snapbus.avro.JobErrorCode;
import io.snapbus.avro.JobStatus;
import io.snapbus.avro.LoadWriteRequest;
import io.snapbus.avro.MoveRequest;
import io.snapbus.avro.PublishVersionRequest;
import io.snapbus.avro.RepositoryRef;
import io.snapbus.avro.RowFormat;
import io.snapbus.avro.SnapshotRequest;
import io.snapbus.avro.StorageType;
import io.snapbus.avro.TabletChecksum;
import io.snapbus.avro.TabletInfo;
import io.snapbus.avro.TabletReportChunk;
import io.snapbus.avro.TaskFinished;
import io.snapbus.avro.TaskProgress;
import io.snapbus.avro.TaskResult;
import io.snapbus.avro.TaskType;
import io.snapbus.avro.UploadRequest;
import io.snapbus.contract.TaskSignatures;
import io.snapbus.kafka.SnapbusTopic;
import io.snapbus.local.LocalStack;
import io.snapbus.node.StorageNode;
import io.snapbus.repository.RepositoryLayout;
import io.snapbus.testing.SnapbusInfra;
import io.snapbus.testing.SnapbusInfraExtension;
import io.snapbus.thrift.FrontendService;
import io.snapbus.thrift.TBackend;
import io.snapbus.thrift.TReportRequest;
import io.snapbus.thrift.TSnapshotLoaderReportRequest;
import io.snapbus.thrift.TStatusCode;
import io.snapbus.thrift.TTablet;
import io.snapbus.thrift.TTabletInfo;
import io.snapbus.thrift.TTaskType;
import io.snapbus.thrift.rpc.ThriftClientConfig;
import io.snapbus.thrift.rpc.ThriftClientPool;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/** One agent (as a Spring Boot service) bridging agent-tasks and task-results to a real storage node. */
@SnapbusInfra
class BackendAgentIntegrationTest {
    private static final long BACKEND = 10001;
    private static final long UNREACHABLE_BACKEND = 10099;

    @TempDir
    static Path dir;
    private static AgentTestKit kit;
    private static BackendAgent agent;
    private static StorageNode node;

    @BeforeAll
    static void startAgentAndNode(LocalStack stack) throws Exception {
        kit = new AgentTestKit(stack, SnapbusInfraExtension.uniqueName("agent") + ".");
        try {
            ConfigurableApplicationContext context = kit.startAgent("agent-one",
                    "snapbus.agent.port-file=" + dir.resolve("run/agent-one.port"));
            agent = AgentTestKit.agentOf(context);
            kit.readResults();
            node = kit.startNode(dir.resolve("node"));
            kit.addBackend(BACKEND, node);
            kit.addBackend(UNREACHABLE_BACKEND, "127.0.0.1", 1);
            await().atMost(Duration.ofSeconds(30)).until(() -> node.reportTarget().current()
                    .filter(o -> o.agent().equals(agent.frontendEndpoint()) && o.backendId() == BACKEND)
                    .isPresent());
        } catch (Exception | Error e) {
            kit.close();
            throw e;
        }
    }

    @AfterAll
    static void stop() {
        if (kit != null) {
            kit.close();
        }
    }

    @Test
    void createThenSnapshotRunOnTheNodeAndTheirResultsArePublishedUnderTheOwningJob() throws Exception {
        long job = 501;
        long tablet = 7001;
        long create = TaskSignatures.of(job, 1);
        kit.send(batch(job, BACKEND, TaskType.CREATE, task(create, tablet, createRequest(tablet))));
        TaskResult created = kit.awaitFinished(create);
        assertThat(finishedOf(created).getStatus().getCode()).as("%s", created).isZero();
        assertThat(created.getJobId()).isEqualTo(job);
        assertThat(created.getBackendId()).isEqualTo(BACKEND);
        assertThat(created.getAgentId()).isEqualTo("agent-one");
        assertThat(created.getTaskType()).isEqualTo(TaskType.CREATE);

        long snapshot = TaskSignatures.of(job, 2);
        kit.send(batch(job, BACKEND, TaskType.MAKE_SNAPSHOT, task(snapshot, tablet, snapshotRequest(1))));
        TaskResult snapshotted = kit.awaitFinished(snapshot);
        TaskFinished finished = finishedOf(snapshotted);
        assertThat(finished.getStatus().getCodeName()).as("%s", snapshotted).isEqualTo("OK");
        assertThat(snapshotted.getJobId()).isEqualTo(job);
        assertThat(snapshotted.getBackendId()).isEqualTo(BACKEND);
        assertThat(finished.getSnapshotPath()).isNotBlank();
        assertThat(Path.of(finished.getSnapshotPath(), Long.toString(tablet), Integer.toString(AgentTestKit.SCHEMA_HASH)))
                .isDirectory();
        assertThat(finished.getSnapshotFiles()).isNotEmpty();
    }

    @Test
    void loadWriteAndPublishAreCalledDirectlyAndReportTheTabletState() throws Exception {
        long job = 502;
        long tablet = 7002;
        createTablet(job, tablet);
        TabletInfo published = load(job, tablet, 2, 25);
        assertThat(published.getTabletId()).isEqualTo(tablet);
        assertThat(published.getVersion()).isEqualTo(2);
        assertThat(published.getRowCount()).isEqualTo(25);
        assertThat(published.getLastFailedVersion()).isEqualTo(-1);
    }

    @Test
    void snapshotAndConsistencyCheckResultsCarryTheTabletsRowsAndChecksum() throws Exception {
        long job = 508;
        long tablet = 7008;
        createTablet(job, tablet);
        load(job, tablet, 2, 25);
        long snapshot = TaskSignatures.of(job, 4);
        long check = TaskSignatures.of(job, 5);

        kit.send(batch(job, BACKEND, TaskType.MAKE_SNAPSHOT, task(snapshot, tablet, snapshotRequest(2))));
        kit.send(batch(job, BACKEND, TaskType.CHECK_CONSISTENCY, task(check, tablet,
                CheckConsistencyRequest.newBuilder().setVersion(2).build())));
        TaskFinished snapshotted = finishedOf(kit.awaitFinished(snapshot));
        TaskResult checkedResult = kit.awaitFinished(check);
        TaskFinished checked = finishedOf(checkedResult);

        assertThat(snapshotted.getTabletChecksums()).containsOnlyKeys(Long.toString(tablet));
        TabletChecksum atSnapshot = snapshotted.getTabletChecksums().get(Long.toString(tablet));
        assertThat(atSnapshot.getRowCount()).isEqualTo(25);
        assertThat(checkedResult.getTaskType()).isEqualTo(TaskType.CHECK_CONSISTENCY);
        assertThat(checked.getStatus().getCodeName()).as("%s", checked).isEqualTo("OK");
        assertThat(checked.getTabletChecksums()).containsEntry(Long.toString(tablet), atSnapshot);
        assertThat(checked.getRecordedChecksum()).isEqualTo(atSnapshot);
        assertThat(checked.getCheckedVersion()).isEqualTo(2);
        assertThat(snapshotted.getCheckedVersion()).isEqualTo(-1);
    }

    @Test
    void anUploadToAFilesystemRepositoryReportsTheUploadedFilesPerTablet() throws Exception {
        long job = 503;
        long tablet = 7003;
        createTablet(job, tablet);
        load(job, tablet, 2, 40);
        long snapshot = TaskSignatures.of(job, 10);
        kit.send(batch(job, BACKEND, TaskType.MAKE_SNAPSHOT, task(snapshot, tablet, snapshotRequest(2))));
        TaskFinished snapshotted = finishedOf(kit.awaitFinished(snapshot));
        assertThat(snapshotted.getStatus().getCode()).as("%s", snapshotted).isZero();

        Path repo = dir.resolve("repo");
        String location = repo.toUri().toString();
        String src = Path.of(snapshotted.getSnapshotPath(), Long.toString(tablet),
                Integer.toString(AgentTestKit.SCHEMA_HASH)).toString();
        String dest = location + "/" + RepositoryLayout.tabletDir("local_repo", "snap1", 1001, 2001, 3001, 4001,
                tablet);
        RepositoryRef repository = RepositoryRef.newBuilder().setRepoId(1).setName("local_repo")
                .setStorageType(StorageType.FILESYSTEM).setLocation(location).build();
        long upload = TaskSignatures.of(job, 11);
        kit.send(batch(job, BACKEND, TaskType.UPLOAD, task(upload, -1, UploadRequest.newBuilder()
                .setSrcDestMap(Map.of(src, dest)).setRepository(repository).setTabletIds(List.of(tablet)).build())));

        TaskResult uploaded = kit.awaitFinished(upload);
        TaskFinished finished = finishedOf(uploaded);
        assertThat(finished.getStatus().getCode()).as("%s", uploaded).isZero();
        assertThat(uploaded.getJobId()).isEqualTo(job);
        assertThat(finished.getTabletFiles()).containsOnlyKeys(Long.toString(tablet));
        assertThat(finished.getTabletFiles().get(Long.toString(tablet)))
                .hasSameSizeAs(snapshotted.getSnapshotFiles())
                .allSatisfy(name -> assertThat(name).matches(".+\\.[0-9a-f]{32}"));
        assertThat(finished.getBytesTransferred()).isPositive();
        try (Stream<Path> files = Files.walk(repo)) {
            assertThat(files.filter(Files::isRegularFile).map(p -> p.getFileName().toString()))
                    .containsAll(finished.getTabletFiles().get(Long.toString(tablet)));
        }
    }

    @Test
    void aRestoreDownloadsAndMovesABackupIntoANewReplicaWithProgressAndDownloadedTabletIdsPublished()
            throws Exception {
        long job = 511;
        long source = 7006;
        long target = 7106;
        createTablet(job, source);
        load(job, source, 2, 30);
        long snapshot = TaskSignatures.of(job, 10);
        kit.send(batch(job, BACKEND, TaskType.MAKE_SNAPSHOT, task(snapshot, source, snapshotRequest(2))));
        TaskFinished snapshotted = finishedOf(kit.awaitFinished(snapshot));
        Path repo = dir.resolve("restore-repo");
        String location = repo.toUri().toString();
        String remote = location + "/" + RepositoryLayout.tabletDir("local_repo", "snap6", 1001, 2001, 3001, 4001,
                source);
        RepositoryRef repository = RepositoryRef.newBuilder().setRepoId(1).setName("local_repo")
                .setStorageType(StorageType.FILESYSTEM).setLocation(location).build();
        long upload = TaskSignatures.of(job, 11);
        kit.send(batch(job, BACKEND, TaskType.UPLOAD, task(upload, -1, UploadRequest.newBuilder()
                .setSrcDestMap(Map.of(Path.of(snapshotted.getSnapshotPath(), Long.toString(source),
                        Integer.toString(AgentTestKit.SCHEMA_HASH)).toString(), remote))
                .setRepository(repository).build())));
        assertThat(finishedOf(kit.awaitFinished(upload)).getStatus().getCode()).isZero();

        long restoreJob = 512;
        long create = TaskSignatures.of(restoreJob, 1);
        kit.send(batch(restoreJob, BACKEND, TaskType.CREATE, task(create, target, createRequest(target))));
        assertThat(finishedOf(kit.awaitFinished(create)).getStatus().getCode()).isZero();
        long restoreSnapshot = TaskSignatures.of(restoreJob, 2);
        kit.send(batch(restoreJob, BACKEND, TaskType.MAKE_SNAPSHOT, task(restoreSnapshot, target,
                snapshotRequest(-1))));
        TaskFinished empty = finishedOf(kit.awaitFinished(restoreSnapshot));
        assertThat(empty.getSnapshotFiles()).containsExactly(target + ".hdr");
        String restoreDir = Path.of(empty.getSnapshotPath(), Long.toString(target),
                Integer.toString(AgentTestKit.SCHEMA_HASH)).toString();

        long download = TaskSignatures.of(restoreJob, 3);
        kit.send(batch(restoreJob, BACKEND, TaskType.DOWNLOAD, task(download, -1, DownloadRequest.newBuilder()
                .setSrcDestMap(Map.of(remote, restoreDir)).setRepository(repository)
                .setTabletIds(List.of(target)).build())));
        TaskResult downloaded = kit.awaitFinished(download);
        assertThat(finishedOf(downloaded).getStatus().getCode()).as("%s", downloaded).isZero();
        assertThat(downloaded.getTaskType()).isEqualTo(TaskType.DOWNLOAD);
        assertThat(finishedOf(downloaded).getDownloadedTabletIds()).containsExactly(target);
        assertThat(finishedOf(downloaded).getBytesTransferred()).isPositive();
        await().atMost(Duration.ofSeconds(30)).until(() -> kit.results.stream().anyMatch(r ->
                r.getSignature() == download && r.getTaskType() == TaskType.DOWNLOAD
                        && r.getBackendId() == BACKEND && r.getEvent() instanceof TaskProgress));

        long move = TaskSignatures.of(restoreJob, 4);
        kit.send(batch(restoreJob, BACKEND, TaskType.MOVE, task(move, target,
                MoveRequest.newBuilder().setSrc(restoreDir).build())));
        TaskFinished moved = finishedOf(kit.awaitFinished(move));
        assertThat(moved.getStatus().getCode()).as("%s", moved).isZero();
        assertThat(moved.getFinishTabletInfos().get(0).getVersion()).isEqualTo(2);
        assertThat(moved.getFinishTabletInfos().get(0).getRowCount()).isEqualTo(30);
        assertThat(node.store().readRows(target).toString()).isEqualTo(node.store().readRows(source).toString());
    }

    @Test
    void progressOfAnUploadIsPublishedAndAnsweredCancelledOnceItsJobWasCancelled() throws Exception {
        long job = 504;
        long signature = TaskSignatures.of(job, 3);
        try (ThriftClientPool<FrontendService.Client> frontend = ThriftClientPool.frontendService(
                ThriftClientConfig.defaults())) {
            TSnapshotLoaderReportRequest report = new TSnapshotLoaderReportRequest(job, signature, TTaskType.UPLOAD);
            report.setFinished_num(2);
            report.setTotal_num(5);
            assertThat(frontend.call(agent.frontendEndpoint(), c -> c.snapshotLoaderReport(report)).getStatus_code())
                    .isEqualTo(TStatusCode.OK);
            await().atMost(Duration.ofSeconds(30)).until(() -> kit.results.stream().anyMatch(r ->
                    r.getSignature() == signature && r.getJobId() == job
                            && r.getEvent() instanceof TaskProgress p && p.getFinishedNum() == 2
                            && p.getTotalNum() == 5));

            kit.sendRecord(SnapbusTopic.BACKUP_JOBS, Long.toString(job), jobHeader(job, 7, BackupJobState.CANCELLED));

            await().atMost(Duration.ofSeconds(30)).until(() ->
                    frontend.call(agent.frontendEndpoint(), c -> c.snapshotLoaderReport(report)).getStatus_code()
                            == TStatusCode.CANCELLED);
            // An older state write (lower stateSeq) does not un-cancel it.
            int partition = kit.sendRecord(SnapbusTopic.BACKUP_JOBS, Long.toString(job),
                    jobHeader(job, 3, BackupJobState.UPLOADING)).partition();
            // Barrier: another job cancelled by a record behind the stale one on its partition; once the agent
            // answers that job CANCELLED, it has read the stale record too (a partition is read in order).
            long marker = job + 1000;
            kit.sendRecord(SnapbusTopic.BACKUP_JOBS, partition, Long.toString(marker),
                    jobHeader(marker, 1, BackupJobState.CANCELLED));
            TSnapshotLoaderReportRequest markerReport = new TSnapshotLoaderReportRequest(marker,
                    TaskSignatures.of(marker, 1), TTaskType.UPLOAD);
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    frontend.call(agent.frontendEndpoint(), c -> c.snapshotLoaderReport(markerReport))
                            .getStatus_code() == TStatusCode.CANCELLED);
            assertThat(frontend.call(agent.frontendEndpoint(), c -> c.snapshotLoaderReport(report)).getStatus_code())
                    .isEqualTo(TStatusCode.CANCELLED);
        }
    }

    @Test
    void theBoundFrontendPortIsWrittenToThePortFile() throws Exception {
        assertThat(Files.readString(dir.resolve("run/agent-one.port")).trim())
                .isEqualTo(Integer.toString(agent.frontendEndpoint().port()));
        assertThat(agent.frontendEndpoint().port()).isPositive();
    }

    @Test
    void aBatchForAnUnreachableNodeFailsEveryTaskWithAnRpcError() throws Exception {
        long job = 505;
        long first = TaskSignatures.of(job, 1);
        long second = TaskSignatures.of(job, 2);
        kit.send(batch(job, UNREACHABLE_BACKEND, TaskType.MAKE_SNAPSHOT, task(first, 7005, snapshotRequest(1)),
                task(second, 7006, snapshotRequest(1))));
        for (long signature : List.of(first, second)) {
            TaskResult failed = kit.awaitFinished(signature);
            assertThat(failed.getJobId()).isEqualTo(job);
            assertThat(failed.getBackendId()).isEqualTo(UNREACHABLE_BACKEND);
            assertThat(finishedOf(failed).getStatus().getCode()).isEqualTo(TStatusCode.THRIFT_RPC_ERROR.getValue());
            assertThat(finishedOf(failed).getStatus().getErrorMsgs()).isNotEmpty();
        }
    }

    @Test
    void aBatchPastItsDeadlineIsDropped() throws Exception {
        long job = 506;
        long late = TaskSignatures.of(job, 1);
        long onTime = TaskSignatures.of(job, 2);
        var expired = batch(job, BACKEND, TaskType.CREATE, task(late, 7007, createRequest(7007)));
        expired.setDeadlineMs(System.currentTimeMillis() - 1);
        kit.send(expired);
        kit.send(batch(job, BACKEND, TaskType.CREATE, task(onTime, 7008, createRequest(7008))));
        kit.awaitFinished(onTime);
        assertThat(kit.finished(late)).isEmpty();
        assertThat(node.store().get(7007)).isEmpty();
    }

    @Test
    void nodeReportsBecomeBackendStatusPartsWithTabletReportsInChunks() throws Exception {
        // The node's own reports: its heartbeat status and running tasks under the backend's key.
        kit.<BackendStatusRecord>readUntil(SnapbusTopic.BACKENDS, records -> records.stream()
                .anyMatch(r -> r.key().equals(Long.toString(BACKEND)) && r.value() != null
                        && r.value().getAgentId().equals("agent-one")
                        && r.value().getPart() instanceof BackendHeartbeat h && h.getAlive()
                        && h.getBePort() == node.port() && !h.getVersion().isEmpty()
                        && h.getNodeStartTimeMs() > 0));

        // A tablet report larger than a chunk is split into keyed parts of at most 5000 tablets.
        TReportRequest report = new TReportRequest(
                new TBackend(node.endpoint().host(), node.port(), 0));
        report.setReport_version(777);
        Map<Long, TTablet> tablets = new java.util.HashMap<>();
        for (long id = 1; id <= 12_001; id++) {
            tablets.put(id, new TTablet(List.of(
                    new TTabletInfo(id, 1, 2, 0, 10, 100))));
        }
        report.setTablets(tablets);
        report.setTasks(Map.of(TTaskType.UPLOAD, java.util.Set.of(41L, 42L)));
        try (ThriftClientPool<FrontendService.Client> frontend = ThriftClientPool.frontendService(
                ThriftClientConfig.defaults())) {
            assertThat(frontend.call(agent.frontendEndpoint(), c -> c.report(report)).getStatus().getStatus_code())
                    .isEqualTo(TStatusCode.OK);
        }
        var records = kit.<BackendStatusRecord>readUntil(SnapbusTopic.BACKENDS, read -> read.stream()
                .filter(r -> r.value() != null && r.value().getPart() instanceof TabletReportChunk c
                        && c.getReportVersion() == 777).count() == 3
                && read.stream().anyMatch(r -> r.value() != null
                        && r.value().getPart() instanceof BackendHeartbeat h
                        && h.getRunningTasks().containsKey("UPLOAD")));
        var chunks = records.stream().filter(r -> r.value() != null
                && r.value().getPart() instanceof TabletReportChunk c && c.getReportVersion() == 777)
                .toList();
        assertThat(chunks).extracting(r -> r.key())
                .containsExactlyInAnyOrder(BACKEND + "/tablets/0", BACKEND + "/tablets/1", BACKEND + "/tablets/2");
        assertThat(chunks).allSatisfy(r -> {
            var chunk = (TabletReportChunk) r.value().getPart();
            assertThat(chunk.getChunkCount()).isEqualTo(3);
            assertThat(chunk.getTablets().size()).isLessThanOrEqualTo(5000);
            assertThat(r.value().getBackendId()).as("found by host and port").isEqualTo(BACKEND);
        });
        assertThat(chunks.stream().mapToInt(r -> ((TabletReportChunk) r.value().getPart())
                .getTablets().size()).sum()).isEqualTo(12_001);
        assertThat(records.stream().filter(r -> r.value() != null
                        && r.value().getPart() instanceof BackendHeartbeat h
                        && h.getRunningTasks().containsKey("UPLOAD"))
                .map(r -> ((BackendHeartbeat) r.value().getPart()).getRunningTasks().get("UPLOAD")))
                .anySatisfy(signatures -> assertThat(signatures).containsExactlyInAnyOrder(41L, 42L));
    }

    private static void createTablet(long job, long tablet) throws Exception {
        long signature = TaskSignatures.of(job, 1);
        kit.send(batch(job, BACKEND, TaskType.CREATE, task(signature, tablet, createRequest(tablet))));
        TaskResult created = kit.awaitFinished(signature);
        assertThat(finishedOf(created).getStatus().getCode()).as("%s", created).isZero();
    }

    /** Writes rows as a load transaction, publishes them as the version and returns the published tablet state. */
    private static TabletInfo load(long job, long tablet, long version, int rows) throws Exception {
        long write = TaskSignatures.of(job, 2);
        long publish = TaskSignatures.of(job, 3);
        long txn = job * 100 + version;
        kit.send(batch(job, BACKEND, TaskType.LOAD_WRITE, task(write, tablet, LoadWriteRequest.newBuilder()
                .setTxnId(txn).setFormat(RowFormat.NDJSON).setRowCount(rows)
                .setRows(ByteBuffer.wrap(AgentTestKit.ndjson(1, rows).getBytes(StandardCharsets.UTF_8))).build())));
        TaskResult written = kit.awaitFinished(write);
        assertThat(finishedOf(written).getStatus().getCode()).as("%s", written).isZero();
        assertThat(written.getTaskType()).isEqualTo(TaskType.LOAD_WRITE);
        assertThat(written.getJobId()).isEqualTo(job);

        kit.send(batch(job, BACKEND, TaskType.PUBLISH_VERSION, task(publish, tablet,
                PublishVersionRequest.newBuilder().setTxnId(txn).setVersion(version).build())));
        TaskResult published = kit.awaitFinished(publish);
        TaskFinished finished = finishedOf(published);
        assertThat(finished.getStatus().getCode()).as("%s", published).isZero();
        assertThat(published.getBackendId()).isEqualTo(BACKEND);
        assertThat(finished.getFinishTabletInfos()).hasSize(1);
        return finished.getFinishTabletInfos().get(0);
    }

    private static SnapshotRequest snapshotRequest(long version) {
        return SnapshotRequest.newBuilder().setVersion(version).setTimeoutSeconds(3600).build();
    }

    private static BackupJobRecord jobHeader(long job, long stateSeq, BackupJobState state) {
        RepositoryRef repository = RepositoryRef.newBuilder().setRepoId(1).setName("repo")
                .setStorageType(StorageType.FILESYSTEM).setLocation("file:///tmp/none").build();
        BackupJobHeader header = BackupJobHeader.newBuilder()
                .setLabel("snap_" + job).setDbId(1001).setDbName("db").setRepository(repository).setState(state)
                .setTableRefs(List.of()).setCreateTimeMs(System.currentTimeMillis()).setTimeoutMs(86_400_000)
                .setStatus(JobStatus.newBuilder().setCode(JobErrorCode.OK).build())
                .build();
        return BackupJobRecord.newBuilder().setJobId(job).setStateSeq(stateSeq).setPart(header).build();
    }
}
