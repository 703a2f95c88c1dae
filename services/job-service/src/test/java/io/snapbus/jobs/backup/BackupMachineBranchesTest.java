package io.snapbus.jobs.backup;

import static io.snapbus.jobs.backup.BackupScenario.JOB;
import static io.snapbus.jobs.backup.BackupScenario.T0;
import static io.snapbus.jobs.backup.BackupScenario.finishSnapshots;
import static io.snapbus.jobs.backup.BackupScenario.finishUploads;
import static io.snapbus.jobs.backup.BackupScenario.job;
import static io.snapbus.jobs.backup.BackupScenario.pending;
import static io.snapbus.jobs.backup.BackupScenario.pendingFor;
import static io.snapbus.jobs.backup.BackupScenario.sent;
import static io.snapbus.jobs.backup.BackupScenario.sentTasks;
import static io.snapbus.jobs.backup.BackupScenario.snapshotFailed;
import static io.snapbus.jobs.backup.BackupScenario.snapshotOk;
import static io.snapbus.jobs.backup.BackupScenario.twoTables;
import static io.snapbus.jobs.backup.BackupScenario.uploadOk;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.snapbus.avro.BackupJobHeader;
import io.snapbus.avro.BackupJobRecord;
import io.snapbus.avro.Replica;
import io.snapbus.avro.RepositoryRef;
import io.snapbus.avro.TabletDef;
import io.snapbus.jobs.backup.shell.JobInfoFile;
import io.snapbus.jobs.backup.shell.ShowBackupRow;
import io.snapbus.jobs.engine.AgentWork;
import io.snapbus.jobs.engine.EventKind;
import io.snapbus.jobs.engine.PendingTask;
import io.snapbus.jobs.engine.Status;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every branch of Doris's backup job, plus the bounded retry Doris does not have. */
class BackupMachineBranchesTest {
    private static final int TABLET_MISSING = 72;
    private static final BackupSettings SETTINGS = BackupSettings.defaults();

    private final BackupMachine machine = new BackupMachine(SETTINGS);

    private BackupMachine.Transition snapshoting() {
        return machine.apply(job(), new BackupInput.Planned(twoTables(), T0));
    }

    private BackupMachine.Transition uploading() {
        BackupMachine.Transition t = finishSnapshots(machine, snapshoting(), T0 + 1);
        assertThat(t.job().state()).isEqualTo(BackupState.UPLOADING);
        return t;
    }

    private BackupMachine.Transition finish(BackupMachine.Transition t, long now) {
        t = finishUploads(machine, finishSnapshots(machine, t, now), now);
        t = machine.apply(t.job(), new BackupInput.MetaSaved("/tmp/jobs/5001", now));
        return machine.apply(t.job(), new BackupInput.InfoUploaded("__meta.x", "__info_x.y", now));
    }

    /** A MAKE_SNAPSHOT of the tablet answered TABLET_MISSING, then the shell's catalog answer. */
    private BackupMachine.Transition missingThenLocated(BackupMachine.Transition t, long tabletId, boolean table,
            boolean partition, List<ReplicaInfo> replicas) {
        PendingTask task = pendingFor(t.job(), tabletId);
        t = machine.apply(t.job(), snapshotFailed(task.signature(), TABLET_MISSING, "TABLET_MISSING", T0 + 2));
        assertThat(t.effects()).contains(new BackupEffect.LocateTablet(task.signature(),
                t.job().tablets().get(tabletId).tablet().ref()));
        assertThat(t.job().state()).isEqualTo(BackupState.SNAPSHOTING);
        return machine.apply(t.job(), new BackupInput.TabletLocated(task.signature(), table, partition, replicas,
                T0 + 3));
    }

    @Test
    void aTableDroppedDuringSnapshotLeavesTheBackupTheJobInfoTheMetaFileAndTheCounts() throws Exception {
        BackupMachine.Transition t = snapshoting();
        t = machine.apply(t.job(), snapshotOk(pendingFor(t.job(), 201).signature(), 201, T0 + 1));

        t = missingThenLocated(t, 202, false, false, List.of());

        assertThat(t.job().droppedTables()).containsExactly(6L);
        assertThat(t.job().droppedObjects()).containsExactly("table items (id 6)");
        assertThat(t.effects()).anySatisfy(e -> assertThat(e).isInstanceOfSatisfying(BackupEffect.Publish.class,
                p -> {
                    assertThat(p.kind().name()).isEqualTo("TASK_ERROR");
                    assertThat(p.message()).startsWith("table items (id 6) dropped during backup; its 2 tablets");
                }));
        assertThat(t.job().tablets()).doesNotContainKeys(201L, 202L);
        assertThat(t.job().pendingTasks().values()).noneMatch(p -> p.tabletIds().contains(202L));
        assertThat(sentTasks(t)).as("the snapshot already made of the dropped table is released")
                .singleElement().isInstanceOfSatisfying(AgentWork.Release.class,
                        r -> assertThat(r.tabletId()).isEqualTo(201L));
        t = finish(t, T0 + 4);
        assertThat(t.job().state()).isEqualTo(BackupState.FINISHED);
        JsonNode info = new ObjectMapper().readTree(JobInfoFile.json(t.job()));
        assertThat(info.get("backup_objects").fieldNames()).toIterable().containsExactly("orders");
        assertThat(info.get("tablet_be_map").fieldNames()).toIterable().containsExactly("101", "102", "103", "104");
        assertThat(info.get("table_commit_seq_map").has("6")).isFalse();
        String meta = new String(BackupMetaFile.bytes(t.job()), StandardCharsets.UTF_8);
        assertThat(meta).contains("\"orders\"").doesNotContain("\"items\"").doesNotContain("\"p9\"");
        ShowBackupRow row = ShowBackupRow.of(t.job());
        assertThat(row.tablets()).isEqualTo(4);
        assertThat(row.tabletsUploaded()).isEqualTo(4);
        assertThat(row.status()).isEqualTo("[OK, msg: dropped during backup: table items (id 6)]");
        assertThat(info.get("dropped_during_backup")).hasSize(1);
        assertThat(info.get("dropped_during_backup").get(0).asText()).isEqualTo("table items (id 6)");
        assertThat(new ObjectMapper().readTree(meta).get("dropped_during_backup").get(0).asText())
                .isEqualTo("table items (id 6)");
        BackupJob restored = BackupJobRestorerTest.restore(BackupRecords.of(t.job()));
        assertThat(restored.droppedObjects()).as("a restarted job-service still knows").containsExactly(
                "table items (id 6)");
        assertThat(restored.status()).isEqualTo(t.job().status());
    }

    @Test
    void aPartitionDroppedOrTruncatedDuringSnapshotLeavesTheBackupAndTheJobInfo() throws Exception {
        BackupMachine.Transition t = missingThenLocated(snapshoting(), 103, true, false, List.of());

        assertThat(t.job().droppedPartitions()).containsOnlyKeys(2L);
        assertThat(t.job().droppedPartitions().get(2L)).containsExactly(5L);
        assertThat(t.job().droppedTables()).isEmpty();
        assertThat(t.job().droppedObjects()).containsExactly("partition p2 (id 5) of table orders (id 2)");
        assertThat(t.job().status().message()).isEqualTo(
                "dropped during backup: partition p2 (id 5) of table orders (id 2)");
        assertThat(t.job().tablets()).doesNotContainKeys(103L, 104L).containsKeys(101L, 102L, 201L, 202L);
        t = finish(t, T0 + 4);
        assertThat(t.job().state()).isEqualTo(BackupState.FINISHED);
        JsonNode info = new ObjectMapper().readTree(JobInfoFile.json(t.job()));
        assertThat(info.at("/backup_objects/orders/partitions").fieldNames()).toIterable().containsExactly("p1");
        assertThat(info.at("/backup_objects/items/partitions").fieldNames()).toIterable().containsExactly("p9");
        String meta = new String(BackupMetaFile.bytes(t.job()), StandardCharsets.UTF_8);
        assertThat(meta).contains("\"p1\"").doesNotContain("\"p2\"");
        assertThat(ShowBackupRow.of(t.job()).tablets()).isEqualTo(4);
    }

    @Test
    void everyTableDroppedStillFinishesWithWhatIsLeftAsTheSeedDoes() {
        BackupMachine.Transition t = missingThenLocated(snapshoting(), 101, false, false, List.of());
        t = missingThenLocated(t, 201, false, false, List.of());

        assertThat(t.job().tablets()).isEmpty();
        assertThat(t.job().state()).as("no tablet left to snapshot or upload").isEqualTo(BackupState.SAVE_META);
        t = finish(t, T0 + 4);
        assertThat(t.job().state()).isEqualTo(BackupState.FINISHED);
    }

    @Test
    void aMissingTabletWithAnotherHealthyReplicaIsSnapshottedThereUnderANewSignature() throws Exception {
        BackupMachine.Transition t = snapshoting();
        PendingTask old = pendingFor(t.job(), 101); // on backend 10003
        List<ReplicaInfo> replicas = List.of(new ReplicaInfo(1, 10003L, 5, -1), // the one that lost it
                new ReplicaInfo(2, 10002L, 5, 4), // failed a version
                new ReplicaInfo(3, 10001L, 4, -1), // behind the backup version
                new ReplicaInfo(4, 10004L, 6, -1)); // healthy

        t = missingThenLocated(t, 101, true, true, replicas);

        AgentWork.Snapshot resent = (AgentWork.Snapshot) sentTasks(t).get(0);
        assertThat(sent(t)).singleElement().satisfies(b -> assertThat(b.backendId()).isEqualTo(10004L));
        assertThat(resent.signature()).isNotEqualTo(old.signature());
        assertThat(t.job().pendingTasks()).doesNotContainKey(old.signature()).containsKey(resent.signature());
        assertThat(t.job().tablets().get(101L).triedBackendIds()).containsExactly(10003L);
        assertThat(t.effects().get(0)).as("persisted before sent").isInstanceOf(BackupEffect.Persist.class);
        BackupJob before = t.job();
        assertThat(machine.apply(before, snapshotOk(old.signature(), 101, T0 + 4)).job())
                .as("a late report of the old signature").isSameAs(before);

        t = finish(t, T0 + 5);
        assertThat(t.job().state()).isEqualTo(BackupState.FINISHED);
        JsonNode info = new ObjectMapper().readTree(JobInfoFile.json(t.job()));
        assertThat(info.at("/tablet_be_map/101").asLong()).isEqualTo(10004L);
    }

    @Test
    void aMissingTabletWithNoOtherUsableReplicaCancelsWithDorissMessage() {
        List<ReplicaInfo> replicas = List.of(new ReplicaInfo(1, 10003L, 5, -1), new ReplicaInfo(2, 10002L, 5, 3));

        BackupMachine.Transition t = missingThenLocated(snapshoting(), 101, true, true, replicas);

        assertThat(t.job().state()).isEqualTo(BackupState.CANCELLED);
        assertThat(t.job().status().toString()).isEqualTo("[NOT_FOUND, msg: make snapshot failed, failed to get "
                + "tablet, table will be dropped or truncated]");
    }

    @Test
    void aReplicaThatLostTheTabletOnceIsNeverChosenAgainForIt() {
        BackupMachine.Transition t = missingThenLocated(snapshoting(), 101, true, true,
                List.of(new ReplicaInfo(1, 10003L, 5, -1), new ReplicaInfo(2, 10001L, 5, -1)));
        assertThat(sent(t).get(0).backendId()).isEqualTo(10001L);

        t = missingThenLocated(t, 101, true, true,
                List.of(new ReplicaInfo(1, 10003L, 5, -1), new ReplicaInfo(2, 10001L, 5, -1)));

        assertThat(t.job().state()).isEqualTo(BackupState.CANCELLED);
    }

    @Test
    void aVersionMergedByCompactionCancelsTheJob() {
        BackupMachine.Transition t = snapshoting();

        t = machine.apply(t.job(), snapshotFailed(pendingFor(t.job(), 102).signature(), 45,
                "OLAP_ERR_VERSION_ALREADY_MERGED", T0 + 1));

        assertThat(t.job().status().toString())
                .isEqualTo("[OLAP_VERSION_ALREADY_MERGED, msg: make snapshot failed, version already merged]");
    }

    @Test
    void aTabletWithCooledDownRemoteDataCancelsTheJob() {
        BackupMachine.Transition t = snapshoting();

        t = machine.apply(t.job(), snapshotFailed(pendingFor(t.job(), 102).signature(), 3, "NOT_IMPLEMENTED_ERROR",
                T0 + 1));

        assertThat(t.job().state()).isEqualTo(BackupState.CANCELLED);
        assertThat(t.job().status().toString()).isEqualTo("[COMMON_ERROR, msg: make snapshot failed, currently not "
                + "support backup tablet with cooldowned remote data]");
        assertThat(t.job().pendingTasks()).isEmpty();
    }

    @Test
    void theReplicaChosenIsTheLowestIdWithNoFailedVersionAndTheVisibleVersion() {
        TabletDef tablet = TabletDef.newBuilder().setId(101L).setReplicas(List.of(
                replica(7, 10001, 5, -1), replica(3, 10002, 5, 4), replica(2, 10003, 4, -1),
                replica(5, 10004, 6, -1))).build();

        assertThat(BackupPlanner.chooseReplica(tablet, 5)).get().extracting(Replica::getId).isEqualTo(5L);
        assertThat(BackupPlanner.chooseReplica(tablet, 7)).isEmpty();
        List<ReplicaInfo> infos = List.of(new ReplicaInfo(7, 10001, 5, -1), new ReplicaInfo(5, 10004, 6, -1));
        assertThat(BackupPlanner.chooseReplica(infos, 5, Set.of(10004L))).get().extracting(ReplicaInfo::replicaId)
                .isEqualTo(7L);
    }

    @Test
    void aPlanWithMoreTabletsThanTheLimitIsCancelledWithDorissMessage() {
        BackupMachine small = new BackupMachine(new BackupSettings(10, 5_000, 5));

        BackupMachine.Transition t = small.apply(job(), new BackupInput.Planned(twoTables(), T0));

        assertThat(t.job().state()).isEqualTo(BackupState.CANCELLED);
        assertThat(t.job().status().message()).isEqualTo("too many tablets in backup job. expect: 5, actual: 6");
        assertThat(sent(t)).isEmpty();
    }

    @Test
    void aJobPastItsTimeoutIsCancelledWhateverTheInput() {
        BackupMachine.Transition t = uploading();

        t = machine.apply(t.job(), uploadOk(pending(t.job(), AgentWork.Kind.UPLOAD).get(0), T0 + 3_600_001));

        assertThat(t.job().state()).isEqualTo(BackupState.CANCELLED);
        assertThat(t.job().status().code()).isEqualTo(Status.Code.TIMEOUT);
    }

    @Test
    void aUserCancelStopsTasksReleasesSnapshotsAfterPersistingAndASecondCancelIsRefused() {
        BackupMachine.Transition t = uploading();

        BackupMachine.CancelOutcome outcome = machine.cancelByUser(t.job(), T0 + 5);

        BackupMachine.Transition cancelled = outcome.transition();
        assertThat(outcome.status().ok()).isTrue();
        assertThat(cancelled.job().state()).isEqualTo(BackupState.CANCELLED);
        assertThat(cancelled.job().pendingTasks()).isEmpty();
        assertThat(sentTasks(cancelled)).hasSize(6).allMatch(task -> task instanceof AgentWork.Release);
        int persist = indexOf(cancelled, BackupEffect.Persist.class);
        int release = indexOf(cancelled, BackupEffect.SendTasks.class);
        assertThat(persist).as("the CANCELLED header is persisted before anything is released").isLessThan(release);
        assertThat(((BackupEffect.Persist) cancelled.effects().get(persist)).job().state())
                .isEqualTo(BackupState.CANCELLED);

        BackupMachine.CancelOutcome again = machine.cancelByUser(cancelled.job(), T0 + 6);
        assertThat(again.status().toString())
                .isEqualTo("[COMMON_ERROR, msg: Job with label snap1 can not be cancelled. state: CANCELLED]");
        assertThat(again.transition().effects()).isEmpty();
    }

    @Test
    void aCancelAfterSaveMetaAlsoDeletesTheLocalFiles() {
        BackupMachine.Transition t = finishUploads(machine, uploading(), T0 + 2);
        t = machine.apply(t.job(), new BackupInput.MetaSaved("/tmp/jobs/5001", T0 + 3));

        t = machine.cancelByUser(t.job(), T0 + 4).transition();

        assertThat(t.effects()).contains(new BackupEffect.DeleteLocalFiles("/tmp/jobs/5001"));
    }

    @Test
    void uploadInfoFailuresAreRetriedUntilTheyWorkAndNeverCancel() {
        BackupMachine.Transition t = finishUploads(machine, uploading(), T0 + 2);
        t = machine.apply(t.job(), new BackupInput.MetaSaved("/tmp/jobs/5001", T0 + 3));
        for (int i = 0; i < 20; i++) {
            t = machine.apply(t.job(), new BackupInput.InfoUploadFailed("connection refused", T0 + 10 + i * 10_000));
            assertThat(t.job().state()).isEqualTo(BackupState.UPLOAD_INFO);
            t = machine.apply(t.job(), new BackupInput.Tick(T0 + 10 + i * 10_000 + SETTINGS.infoRetryIntervalMs()));
            assertThat(t.effects()).anyMatch(e -> e instanceof BackupEffect.UploadInfo);
        }

        t = machine.apply(t.job(), new BackupInput.InfoUploaded("__meta.x", "__info_x.y", T0 + 300_000));

        assertThat(t.job().state()).isEqualTo(BackupState.FINISHED);
    }

    @Test
    void aLostResultIsSentAgainUnderTheSameSignatureAfterTheBackoffWhichDoubles() {
        BackupMachine.Transition t = snapshoting();
        PendingTask task = pendingFor(t.job(), 101);

        assertThat(machine.apply(t.job(), new BackupInput.Tick(T0 + 9_999)).effects()).isEmpty();
        t = machine.apply(t.job(), new BackupInput.Tick(T0 + 10_000));

        assertThat(sentTasks(t)).hasSize(6).extracting(AgentWork.Task::signature)
                .contains(task.signature());
        PendingTask again = t.job().pendingTasks().get(task.signature());
        assertThat(again.attempt()).isEqualTo(2);
        assertThat(again.nextRetryMs()).isEqualTo(T0 + 30_000);
        assertThat(t.effects().get(0)).isInstanceOf(BackupEffect.Persist.class);
        assertThat(machine.apply(t.job(), new BackupInput.Tick(T0 + 29_999)).effects()).isEmpty();
        assertThat(sentTasks(machine.apply(t.job(), new BackupInput.Tick(T0 + 30_000)))).hasSize(6);
    }

    @Test
    void progressOfATaskPostponesItsResend() {
        BackupMachine.Transition t = uploading();
        PendingTask upload = pending(t.job(), AgentWork.Kind.UPLOAD).get(0);

        t = machine.apply(t.job(), new BackupInput.Progress(upload.signature(), 1, 4, T0 + 9_000));

        assertThat(t.job().pendingTasks().get(upload.signature()).nextRetryMs()).isEqualTo(T0 + 19_000);
    }

    @Test
    void aFailedUploadIsSentAgainUnderANewSignatureAfterTheBackoff() {
        BackupMachine.Transition t = uploading();
        PendingTask upload = pending(t.job(), AgentWork.Kind.UPLOAD).get(0);
        t = machine.apply(t.job(), new BackupInput.UploadFinished(upload.signature(), 6, "IO_ERROR",
                List.of("disk full"), Map.of(), T0 + 2));
        assertThat(t.job().taskErrors()).containsEntry(upload.signature(), "IO_ERROR: disk full");
        assertThat(t.job().pendingTasks().get(upload.signature()).status()).isEqualTo(PendingTask.Status.FAILED);
        assertThat(sentTasks(machine.apply(t.job(), new BackupInput.Tick(T0 + 10_001)))).as("before the backoff")
                .noneMatch(task -> ((AgentWork.Upload) task).tabletIds().equals(upload.tabletIds()));

        t = machine.apply(t.job(), new BackupInput.Tick(T0 + 10_002));

        AgentWork.Upload resent = sentTasks(t).stream().map(AgentWork.Upload.class::cast)
                .filter(u -> u.tabletIds().equals(upload.tabletIds())).findFirst().orElseThrow();
        assertThat(resent.signature()).isNotEqualTo(upload.signature());
        assertThat(t.job().pendingTasks()).doesNotContainKey(upload.signature());
        assertThat(t.job().pendingTasks().get(resent.signature()).attempt()).isEqualTo(2);
        assertThat(t.job().taskErrors()).doesNotContainKey(upload.signature());
        t = finishUploads(machine, t, T0 + 10_003);
        assertThat(t.job().state()).isEqualTo(BackupState.SAVE_META);
    }

    @Test
    void aTaskFailingMaxTaskAttemptsTimesCancelsTheJobNamingTaskBackendAndError() {
        BackupMachine limited = new BackupMachine(new BackupSettings(10, 5_000, 300_000, 1_000, 4_000, 3));
        BackupMachine.Transition t = finishSnapshots(limited, limited.apply(job(),
                new BackupInput.Planned(twoTables(), T0)), T0 + 1);
        List<Long> tablets = pending(t.job(), AgentWork.Kind.UPLOAD).get(0).tabletIds();
        long now = T0 + 2;
        PendingTask last = null;
        for (int attempt = 1; attempt <= 3; attempt++) {
            last = pendingFor(t.job(), tablets.get(0));
            assertThat(last.attempt()).isEqualTo(attempt);
            t = limited.apply(t.job(), new BackupInput.UploadFinished(last.signature(), 6, "IO_ERROR",
                    List.of("disk full"), Map.of(), now));
            now += 5_000;
            t = limited.apply(t.job(), new BackupInput.Tick(now));
        }

        assertThat(t.job().state()).isEqualTo(BackupState.CANCELLED);
        assertThat(t.job().status().toString()).isEqualTo("[COMMON_ERROR, msg: UPLOAD task " + last.signature()
                + " on backend " + last.backendId() + " failed 3 times, last error: IO_ERROR: disk full]");
    }

    @Test
    void aTaskWhoseResultNeverComesCancelsTheJobAfterMaxTaskAttempts() {
        BackupMachine limited = new BackupMachine(new BackupSettings(10, 5_000, 300_000, 1_000, 2_000, 3));
        BackupMachine.Transition t = limited.apply(job(), new BackupInput.Planned(twoTables(), T0));
        PendingTask task = pendingFor(t.job(), 101);

        t = limited.apply(t.job(), new BackupInput.Tick(T0 + 1_000)); // attempt 2, waits 2 s
        t = limited.apply(t.job(), new BackupInput.Tick(T0 + 3_000)); // attempt 3, waits 2 s
        assertThat(t.job().state()).isEqualTo(BackupState.SNAPSHOTING);
        t = limited.apply(t.job(), new BackupInput.Tick(T0 + 5_000));

        assertThat(t.job().state()).isEqualTo(BackupState.CANCELLED);
        // Tablet 101 is planned first, so its task has the lowest signature and is the one named.
        assertThat(t.job().status().message()).isEqualTo("MAKE_SNAPSHOT task " + task.signature() + " on backend "
                + task.backendId() + " failed 3 times, last error: no result 2000 ms after sending it");
    }

    @Test
    void duplicateAndUnknownResultsChangeNothing() {
        BackupMachine.Transition t = uploading();
        PendingTask upload = pending(t.job(), AgentWork.Kind.UPLOAD).get(0);
        BackupInput.UploadFinished failure = new BackupInput.UploadFinished(upload.signature(), 6, "IO_ERROR",
                List.of("disk full"), Map.of(), T0 + 2);
        BackupJob failedOnce = machine.apply(t.job(), failure).job();

        assertThat(machine.apply(failedOnce, failure).job()).as("the same failure again").isSameAs(failedOnce);
        assertThat(machine.apply(failedOnce, uploadOk(new PendingTask(JOB << 24 | 999_999, AgentWork.Kind.UPLOAD,
                10001, List.of(101L), T0), T0 + 3)).job()).as("an unknown signature").isSameAs(failedOnce);
        assertThat(machine.apply(failedOnce, snapshotOk(pendingFor(failedOnce, 101).signature(), 101, T0 + 3))
                .job()).as("a snapshot report for an upload").isSameAs(failedOnce);
        BackupJob done = machine.apply(t.job(), uploadOk(upload, T0 + 3)).job();
        assertThat(machine.apply(done, uploadOk(upload, T0 + 4)).job()).as("a duplicate success").isSameAs(done);
    }

    @Test
    void sendsRetriedUploadsWithTheAlteredRepository() {
        BackupMachine.Transition t = uploading();
        PendingTask upload = pending(t.job(), AgentWork.Kind.UPLOAD).get(0);
        t = machine.apply(t.job(), new BackupInput.UploadFinished(upload.signature(), 9, "NOT_AUTHORIZED",
                List.of("denied (403 SignatureDoesNotMatch)"), Map.of(), T0 + 2));
        assertThat(sentTasks(machine.apply(t.job(), new BackupInput.Tick(T0 + 3)))).as("within the backoff")
                .isEmpty();

        t = machine.apply(t.job(), new BackupInput.RepositoryAltered(rotated(t.job().repository()), T0 + 3));

        assertThat(t.job().repository().getCredentialRef()).isEqualTo("rotated");
        assertThat(t.job().repository().getRevision()).isEqualTo(1);
        assertThat(t.effects()).first().isEqualTo(new BackupEffect.Persist(t.job()));
        assertThat(t.effects()).contains(new BackupEffect.Publish(EventKind.PROGRESS,
                BackupState.UPLOADING, BackupState.UPLOADING, "repository nightly altered to revision 1"));
        assertThat(t.job().pendingTasks().get(upload.signature()).nextRetryMs()).as("due at once")
                .isEqualTo(T0 + 3);
        t = machine.apply(t.job(), new BackupInput.Tick(T0 + 3));
        AgentWork.Upload resent = sentTasks(t).stream().map(AgentWork.Upload.class::cast).filter(u -> u.tabletIds()
                .equals(upload.tabletIds())).findFirst().orElseThrow();
        assertThat(resent.signature()).isNotEqualTo(upload.signature());
        // The shell builds every UPLOAD request from the job's repository: the re-send carries the new revision.
        assertThat(t.job().repository().getCredentialRef()).isEqualTo("rotated");
        assertThat(finishUploads(machine, t, T0 + 4).job().state()).isEqualTo(BackupState.SAVE_META);
    }

    @Test
    void keepsRunningUploadsWhenTheRepositoryIsAltered() {
        BackupMachine.Transition t = uploading();
        Map<Long, PendingTask> running = t.job().pendingTasks();

        t = machine.apply(t.job(), new BackupInput.RepositoryAltered(rotated(t.job().repository()), T0 + 3));

        assertThat(sentTasks(t)).isEmpty();
        assertThat(t.job().pendingTasks()).as("same signatures, same waits").isEqualTo(running);
        t = finishUploads(machine, t, T0 + 4);
        t = machine.apply(t.job(), new BackupInput.MetaSaved("/tmp/jobs/5001", T0 + 5));
        assertThat(t.effects()).anyMatch(e -> e instanceof BackupEffect.UploadInfo info
                && info.job().repository().getCredentialRef().equals("rotated"));
    }

    @Test
    void ignoresAnAlterationOfAnotherRepositoryOrOfARevisionTheJobHas() {
        BackupMachine.Transition t = uploading();
        RepositoryRef current = t.job().repository();

        assertThat(machine.apply(t.job(), new BackupInput.RepositoryAltered(current, T0 + 3)).job())
                .isSameAs(t.job());
        assertThat(machine.apply(t.job(), new BackupInput.RepositoryAltered(RepositoryRef.newBuilder(
                rotated(current)).setRepoId(current.getRepoId() + 1).build(), T0 + 3)).job())
                .as("dropped and created again under the same name").isSameAs(t.job());
        BackupJob altered = machine.apply(t.job(), new BackupInput.RepositoryAltered(rotated(current), T0 + 3)).job();
        assertThat(machine.apply(altered, new BackupInput.RepositoryAltered(current, T0 + 4)).job())
                .as("an older revision").isSameAs(altered);
    }

    @Test
    void persistsTheAlteredRepositoryForARestart() {
        BackupMachine.Transition t = uploading();
        t = machine.apply(t.job(), new BackupInput.RepositoryAltered(rotated(t.job().repository()), T0 + 3));

        BackupJobRecord header = BackupRecords.of(t.job()).get(Long.toString(JOB));

        assertThat(((BackupJobHeader) header.getPart()).getRepository()).isEqualTo(t.job().repository());
        assertThat(header.getStateSeq()).isEqualTo(t.job().stateSeq());
    }

    private static RepositoryRef rotated(RepositoryRef repository) {
        return RepositoryRef.newBuilder(repository).setCredentialRef("rotated")
                .setRevision(repository.getRevision() + 1).build();
    }

    private static Replica replica(long id, long backend, long version, long lastFailed) {
        return Replica.newBuilder().setId(id).setBackendId(backend).setVersion(version)
                .setLastFailedVersion(lastFailed).setLastSuccessVersion(version).build();
    }

    private static int indexOf(BackupMachine.Transition t, Class<?> type) {
        for (int i = 0; i < t.effects().size(); i++) {
            if (type.isInstance(t.effects().get(i))) {
                return i;
            }
        }
        return -1;
    }
}
