package io.snapbus.jobs.backup;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.snapbus.avro.RepositoryRef;
import io.snapbus.avro.StorageType;
import io.snapbus.avro.TabletRef;
import io.snapbus.contract.TaskSignatures;
import io.snapbus.jobs.backup.shell.JobInfoFile;
import io.snapbus.jobs.engine.AgentWork;
import io.snapbus.jobs.engine.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Walks the backup state machine with no broker, node or file: inputs in, job and effects out. */
class BackupMachineTest {
    private static final long JOB = 5001L;
    private static final long T0 = 1_700_000_000_000L;
    private static final String MD5 = "0123456789abcdef0123456789abcdef";

    private final BackupMachine machine = new BackupMachine(BackupSettings.defaults());

    @Test
    void theHappyPathWalksEveryStateAndEndsFinishedWithEveryFileListed() throws Exception {
        BackupMachine.Transition t = machine.start(job(BackupRequest.Content.ALL));
        assertThat(events(t)).containsExactly("CREATED:null->PENDING");

        t = machine.apply(t.job(), new BackupInput.Planned(plan(), T0 + 10));
        assertThat(t.job().state()).isEqualTo(BackupState.SNAPSHOTING);
        List<AgentWork.Batch> snapshots = sent(t);
        assertThat(snapshots).extracting(AgentWork.Batch::backendId).containsExactly(10002L, 10003L);
        assertThat(snapshots).allSatisfy(b -> assertThat(b.kind()).isEqualTo(AgentWork.Kind.MAKE_SNAPSHOT));
        List<AgentWork.Snapshot> tasks = snapshots.stream().flatMap(b -> b.tasks().stream())
                .map(AgentWork.Snapshot.class::cast).toList();
        assertThat(tasks).hasSize(4).allSatisfy(task -> {
            assertThat(TaskSignatures.owner(task.signature())).isEqualTo(JOB);
            assertThat(task.version()).isEqualTo(5);
        });

        for (AgentWork.Snapshot task : tasks) {
            assertThat(t.job().state()).isEqualTo(BackupState.SNAPSHOTING);
            t = machine.apply(t.job(), new BackupInput.SnapshotFinished(task.signature(), 0, "OK", List.of(),
                    "/node/snapshot/20240101000000.1.86400", files(task.tablet().getTabletId()), T0 + 20));
        }
        assertThat(t.job().state()).isEqualTo(BackupState.UPLOADING);
        assertThat(t.job().snapshotFinishedTimeMs()).isEqualTo(T0 + 20);
        List<AgentWork.Upload> uploads = sent(t).stream().flatMap(b -> b.tasks().stream())
                .map(AgentWork.Upload.class::cast).toList();
        assertThat(uploads).hasSize(2);
        assertThat(uploads.get(0).srcDest()).containsEntry(
                "/node/snapshot/20240101000000.1.86400/101/77",
                "file:///repo/__palo_repository_nightly/__ss_snap1/__ss_content/__db_1/__tbl_2/__part_3/__idx_4/__101");

        for (AgentWork.Upload upload : uploads) {
            Map<Long, List<String>> uploaded = new java.util.HashMap<>();
            upload.tabletIds().forEach(id -> uploaded.put(id, files(id).stream().map(f -> f + "." + MD5).toList()));
            t = machine.apply(t.job(), new BackupInput.UploadFinished(upload.signature(), 0, "OK", List.of(),
                    uploaded, T0 + 30));
        }
        assertThat(t.job().state()).isEqualTo(BackupState.SAVE_META);
        assertThat(t.effects()).anyMatch(e -> e instanceof BackupEffect.SaveMeta);

        t = machine.apply(t.job(), new BackupInput.MetaSaved("/tmp/jobs/5001", T0 + 40));
        assertThat(t.job().state()).isEqualTo(BackupState.UPLOAD_INFO);
        assertThat(sent(t)).allSatisfy(b -> assertThat(b.kind()).isEqualTo(AgentWork.Kind.RELEASE_SNAPSHOT))
                .flatMap(AgentWork.Batch::tasks).hasSize(4);
        assertThat(t.effects()).anyMatch(e -> e instanceof BackupEffect.UploadInfo);

        t = machine.apply(t.job(), new BackupInput.InfoUploaded("__meta." + MD5, "__info_x." + MD5, T0 + 50));
        assertThat(t.job().state()).isEqualTo(BackupState.FINISHED);
        assertThat(t.effects()).contains(new BackupEffect.DeleteLocalFiles("/tmp/jobs/5001"));

        JsonNode info = new ObjectMapper().readTree(JobInfoFile.json(t.job()));
        assertThat(info.get("name").asText()).isEqualTo("snap1");
        assertThat(info.get("backup_result").asText()).isEqualTo("succeed");
        JsonNode index = info.at("/backup_objects/orders/partitions/p1/indexes/orders");
        assertThat(index.get("schema_hash").asInt()).isEqualTo(77);
        assertThat(index.at("/tablets/101").get(0).asText()).isEqualTo("101.hdr." + MD5);
        assertThat(index.get("tablets_order").toString()).isEqualTo("[101,102]");
        assertThat(info.at("/tablet_be_map/102").asLong()).isEqualTo(10003L);
        assertThat(info.at("/table_commit_seq_map/2").asLong()).isEqualTo(42L);
    }

    @Test
    void everyTransitionIsPersistedAndAnnounced() {
        List<String> seen = new ArrayList<>();
        List<Long> persisted = new ArrayList<>();
        BackupMachine.Transition t = machine.start(job(BackupRequest.Content.METADATA_ONLY));
        seen.addAll(events(t));
        persisted.addAll(persisted(t));
        t = machine.apply(t.job(), new BackupInput.Planned(plan(), T0 + 1));
        seen.addAll(events(t));
        persisted.addAll(persisted(t));
        assertThat(t.job().state()).as("no tablet to snapshot or upload").isEqualTo(BackupState.SAVE_META);
        assertThat(t.effects()).noneMatch(e -> e instanceof BackupEffect.SendTasks);
        t = machine.apply(t.job(), new BackupInput.MetaSaved("/tmp/j", T0 + 2));
        seen.addAll(events(t));
        persisted.addAll(persisted(t));
        t = machine.apply(t.job(), new BackupInput.InfoUploaded("m", "i", T0 + 3));
        seen.addAll(events(t));
        persisted.addAll(persisted(t));

        assertThat(seen).containsExactly("CREATED:null->PENDING", "STATE_CHANGED:PENDING->SNAPSHOTING",
                "STATE_CHANGED:SNAPSHOTING->UPLOAD_SNAPSHOT", "STATE_CHANGED:UPLOAD_SNAPSHOT->UPLOADING",
                "STATE_CHANGED:UPLOADING->SAVE_META", "STATE_CHANGED:SAVE_META->UPLOAD_INFO",
                "FINISHED:UPLOAD_INFO->FINISHED");
        assertThat(persisted).as("one persisted state per input, each with a higher sequence")
                .containsExactly(1L, 2L, 3L, 4L);
    }

    @Test
    void aDuplicateSnapshotReportChangesNothing() {
        BackupMachine.Transition t = machine.apply(job(BackupRequest.Content.ALL), new BackupInput.Planned(plan(), T0));
        AgentWork.Snapshot first = (AgentWork.Snapshot) sent(t).get(0).tasks().get(0);
        var report = new BackupInput.SnapshotFinished(first.signature(), 0, "OK", List.of(), "/s", List.of("a"), T0);
        BackupJob once = machine.apply(t.job(), report).job();

        BackupMachine.Transition twice = machine.apply(once, report);

        assertThat(twice.job()).isSameAs(once);
        assertThat(twice.effects()).isEmpty();
    }

    @Test
    void aVersionMergedByCompactionCancelsWithDorissMessageAndReleasesMadeSnapshots() {
        BackupMachine.Transition t = machine.apply(job(BackupRequest.Content.ALL), new BackupInput.Planned(plan(), T0));
        List<AgentWork.Task> tasks = sent(t).stream().flatMap(b -> b.tasks().stream()).toList();
        t = machine.apply(t.job(), new BackupInput.SnapshotFinished(tasks.get(0).signature(), 0, "OK", List.of(),
                "/s1", List.of("a"), T0));

        t = machine.apply(t.job(), new BackupInput.SnapshotFinished(tasks.get(1).signature(), 45,
                "OLAP_ERR_VERSION_ALREADY_MERGED", List.of("merged"), null, null, T0));

        assertThat(t.job().state()).isEqualTo(BackupState.CANCELLED);
        assertThat(t.job().status().toString())
                .isEqualTo("[OLAP_VERSION_ALREADY_MERGED, msg: make snapshot failed, version already merged]");
        assertThat(sent(t)).flatMap(AgentWork.Batch::tasks).singleElement()
                .isInstanceOfSatisfying(AgentWork.Release.class, r -> assertThat(r.snapshotPath()).isEqualTo("/s1"));
    }

    @Test
    void aJobRunningPastItsTimeoutIsCancelledWithTimeout() {
        BackupMachine.Transition t = machine.apply(job(BackupRequest.Content.ALL), new BackupInput.Planned(plan(), T0));

        t = machine.apply(t.job(), new BackupInput.Tick(T0 + 3_600_001));

        assertThat(t.job().state()).isEqualTo(BackupState.CANCELLED);
        assertThat(t.job().status().code()).isEqualTo(Status.Code.TIMEOUT);
    }

    @Test
    void aFinishedJobCannotBeCancelled() {
        BackupJob finished = machine.apply(machine.apply(machine.apply(job(BackupRequest.Content.METADATA_ONLY),
                new BackupInput.Planned(plan(), T0)).job(), new BackupInput.MetaSaved("/d", T0)).job(),
                new BackupInput.InfoUploaded("m", "i", T0)).job();

        BackupMachine.CancelOutcome outcome = machine.cancelByUser(finished, T0 + 5);

        assertThat(outcome.status().toString())
                .isEqualTo("[COMMON_ERROR, msg: Job with label snap1 can not be cancelled. state: FINISHED]");
        assertThat(outcome.transition().job()).isSameAs(finished);
    }

    @Test
    void anUploadWhoseFilesDifferFromTheSnapshotIsAnErrorAndTheJobKeepsWaiting() {
        BackupMachine.Transition t = machine.apply(job(BackupRequest.Content.ALL), new BackupInput.Planned(plan(), T0));
        for (AgentWork.Task task : sent(t).stream().flatMap(b -> b.tasks().stream()).toList()) {
            long tablet = ((AgentWork.Snapshot) task).tablet().getTabletId();
            t = machine.apply(t.job(), new BackupInput.SnapshotFinished(task.signature(), 0, "OK", List.of(), "/s",
                    files(tablet), T0));
        }
        AgentWork.Upload upload = (AgentWork.Upload) sent(t).get(0).tasks().get(0);
        long tablet = upload.tabletIds().get(0);

        t = machine.apply(t.job(), new BackupInput.UploadFinished(upload.signature(), 0, "OK", List.of(),
                Map.of(tablet, List.of("101.hdr." + MD5)), T0));

        assertThat(t.job().state()).isEqualTo(BackupState.UPLOADING);
        assertThat(t.job().taskErrors()).containsKey(upload.signature());
        assertThat(t.job().pendingTasks()).containsKey(upload.signature());
    }

    private static BackupJob job(BackupRequest.Content content) {
        BackupRequest request = new BackupRequest("snap1", "sales", "nightly",
                List.of(new BackupRequest.TableRequest("orders", List.of())), 3_600_000L, content,
                Map.of("type", "full"));
        RepositoryRef repo = new RepositoryRef(30001L, "nightly", StorageType.FILESYSTEM, "file:///repo", Map.of(),
                null, false, 0L);
        return BackupJob.created(JOB, request, repo, T0);
    }

    /** orders: partition p1 (tablets 101, 102) and p2 (103, 104), replicas on backends 10002 and 10003. */
    private static BackupPlan plan() {
        List<BackupPlan.PlannedTablet> tablets = new ArrayList<>();
        for (long id = 101; id <= 104; id++) {
            long partition = id <= 102 ? 3 : 5;
            tablets.add(new BackupPlan.PlannedTablet(new TabletRef(1L, 2L, partition, 4L, id, 77), 5,
                    id % 2 == 1 ? 10002L : 10003L, id * 10));
        }
        List<BackupPlan.PlannedPartition> partitions = List.of(
                new BackupPlan.PlannedPartition(3, "p1", 5, List.of(new BackupPlan.PlannedIndex(4, "orders", 77,
                        List.of(101L, 102L)))),
                new BackupPlan.PlannedPartition(5, "p2", 5, List.of(new BackupPlan.PlannedIndex(4, "orders", 77,
                        List.of(103L, 104L)))));
        return new BackupPlan(1L, "sales", null, List.of(new BackupPlan.PlannedTable(2, "orders", partitions)),
                tablets, List.of(), List.of(), List.of(), Map.of(2L, 42L), List.of());
    }

    private static List<String> files(long tabletId) {
        return List.of(tabletId + ".hdr", "0200000000" + tabletId + "_0.dat");
    }

    private static List<AgentWork.Batch> sent(BackupMachine.Transition t) {
        return t.effects().stream().filter(e -> e instanceof BackupEffect.SendTasks)
                .flatMap(e -> ((BackupEffect.SendTasks) e).batches().stream()).toList();
    }

    private static List<Long> persisted(BackupMachine.Transition t) {
        return t.effects().stream().filter(e -> e instanceof BackupEffect.Persist)
                .map(e -> ((BackupEffect.Persist) e).job().stateSeq()).toList();
    }

    private static List<String> events(BackupMachine.Transition t) {
        return t.effects().stream().filter(e -> e instanceof BackupEffect.Publish).map(e -> (BackupEffect.Publish) e)
                .map(p -> p.kind() + ":" + p.from() + "->" + p.to()).toList();
    }
}
