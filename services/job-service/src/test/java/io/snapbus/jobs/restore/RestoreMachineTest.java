package io.snapbus.jobs.restore;

import static io.snapbus.jobs.restore.RestoreFixtures.info;
import static io.snapbus.jobs.restore.RestoreFixtures.meta;
import static io.snapbus.jobs.restore.RestoreFixtures.recorded;
import static io.snapbus.jobs.restore.RestoreFixtures.request;
import static org.assertj.core.api.Assertions.assertThat;

import io.snapbus.avro.RepositoryRef;
import io.snapbus.avro.StorageType;
import io.snapbus.jobs.engine.AgentWork;
import io.snapbus.jobs.engine.DebugHolds;
import io.snapbus.jobs.engine.EventKind;
import io.snapbus.jobs.engine.RetryPolicy;
import io.snapbus.jobs.engine.Status;
import io.snapbus.rows.ContentChecksum;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The restore machine driven through its states by simulated node answers: the happy path, each way it ends
 * cancelled, and what it never does (send a finished download again, swap after a cancel, undo after the swap).
 */
class RestoreMachineTest {
    private static final long T0 = 1_700_000_000_000L;
    private static final RepositoryRef REPO = new RepositoryRef(7L, "repo", StorageType.FILESYSTEM,
            "file:///repo", Map.of(), null, false, 1L);
    private final RestoreMachine machine = new RestoreMachine(new RestoreSettings(10, 5_000,
            new RetryPolicy(1_000, 4_000, 3), true));
    private final List<RestoreEffect> effects = new ArrayList<>();
    private long now = T0;

    private RestoreJob job = RestoreJob.created(42, request(Map.of()), REPO, T0);

    /** Applies an input and keeps its effects. */
    private void apply(RestoreInput input) {
        RestoreMachine.Transition t = machine.apply(job, input);
        job = t.job();
        effects.addAll(t.effects());
    }

    private void planned(boolean metadataOnly) {
        AtomicLong ids = new AtomicLong(50_000);
        RestorePlan plan = new RestorePlanner(new RestoreFixtures.PlannerCatalog(), ids::incrementAndGet)
                .plan(job.request(), info(), meta());
        apply(new RestoreInput.Planned(plan, RestoreReplicas.of(plan, info()), metadataOnly, now));
        apply(new RestoreInput.CatalogPrepared(now));
    }

    /** The tasks of {@code kind} sent so far, and forgets them. */
    private List<AgentWork.Task> sent(AgentWork.Kind kind) {
        List<AgentWork.Task> tasks = new ArrayList<>();
        for (RestoreEffect e : effects) {
            if (e instanceof RestoreEffect.SendTasks send) {
                send.batches().stream().filter(b -> b.kind() == kind).forEach(b -> tasks.addAll(b.tasks()));
            }
        }
        effects.removeIf(e -> e instanceof RestoreEffect.SendTasks send
                && send.batches().stream().allMatch(b -> b.kind() == kind));
        return tasks;
    }

    /** Every task of {@code kind} sent so far answered by {@code answer}. */
    private void answer(AgentWork.Kind kind, Function<AgentWork.Task, RestoreInput.TaskFinished> answer) {
        for (AgentWork.Task task : sent(kind)) {
            apply(answer.apply(task));
        }
    }

    private RestoreInput.TaskFinished ok(AgentWork.Task task) {
        long sig = task.signature();
        if (task instanceof AgentWork.Snapshot s) {
            return new RestoreInput.TaskFinished(sig, 0, "OK", null, "/data/snapshot/" + s.tablet().getTabletId(),
                    null, 0, null, now);
        }
        if (task instanceof AgentWork.Download d) {
            return new RestoreInput.TaskFinished(sig, 0, "OK", null, null, d.tabletIds(), 100L * d.tabletIds().size(),
                    null, now);
        }
        if (task instanceof AgentWork.Check c) {
            ReplicaRestore replica = replicaOf(c.tablet().getTabletId());
            return new RestoreInput.TaskFinished(sig, 0, "OK", null, null, null, 0,
                    Map.of(c.tablet().getTabletId(), recorded(replica.source().getTabletId())), now);
        }
        return RestoreInput.TaskFinished.status(sig, 0, "OK", null, now);
    }

    private ReplicaRestore replicaOf(long tabletId) {
        return job.replicas().values().stream().filter(r -> r.tabletId() == tabletId).findFirst().orElseThrow();
    }

    private List<RestoreState> transitions() {
        return effects.stream().filter(e -> e instanceof RestoreEffect.Publish p && p.kind() == EventKind.STATE_CHANGED)
                .map(e -> ((RestoreEffect.Publish) e).to()).toList();
    }

    private <T extends RestoreEffect> List<T> effectsOf(Class<T> type) {
        return effects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    private void runToSwap() {
        planned(false);
        answer(AgentWork.Kind.CREATE, this::ok);
        answer(AgentWork.Kind.MAKE_SNAPSHOT, this::ok);
        answer(AgentWork.Kind.DOWNLOAD, this::ok);
        answer(AgentWork.Kind.MOVE, this::ok);
        answer(AgentWork.Kind.CHECK_CONSISTENCY, this::ok);
    }

    @Test
    void everyReplicaIsCreatedSnapshottedDownloadedMovedAndCheckedBeforeTheOneCatalogSwap() {
        runToSwap();

        assertThat(transitions()).containsExactly(RestoreState.CREATING, RestoreState.SNAPSHOTING,
                RestoreState.DOWNLOAD, RestoreState.DOWNLOADING, RestoreState.COMMIT, RestoreState.COMMITTING);
        assertThat(job.commitStep()).isEqualTo(CommitStep.SWAPPING);
        assertThat(job.replicas()).hasSize(2 * 2 * 2 * 3);
        assertThat(job.replicas().values()).allMatch(r -> r.phase() == ReplicaRestore.Phase.CHECKED);
        assertThat(job.counts().bytesDownloaded()).isEqualTo(100L * 24);
        assertThat(effectsOf(RestoreEffect.PrepareCatalog.class)).hasSize(1);
        assertThat(effectsOf(RestoreEffect.CommitCatalog.class)).hasSize(1);

        apply(new RestoreInput.CatalogCommitted(now));

        assertThat(job.state()).isEqualTo(RestoreState.FINISHED);
        assertThat(job.status().ok()).isTrue();
        assertThat(sent(AgentWork.Kind.RELEASE_SNAPSHOT)).hasSize(24);
        assertThat(effectsOf(RestoreEffect.UndoCatalog.class)).isEmpty();

        RestoreJob retired = job.retired();
        assertThat(retired.replicas()).as("a settled job forgets its replicas").isEmpty();
        assertThat(retired.plan()).isNull();
        assertThat(retired.counts()).as("SHOW RESTORE's counts stay").isEqualTo(job.counts());
        assertThat(retired.counts().replicas()).isEqualTo(24);
        assertThat(retired.isRetired()).isTrue();
        assertThat(retired.retired()).isSameAs(retired);
        assertThat(List.of(retired.state(), retired.stateSeq(), retired.finishedTimeMs(), retired.status()))
                .isEqualTo(List.of(job.state(), job.stateSeq(), job.finishedTimeMs(), job.status()));
        assertThat(machine.apply(retired, new RestoreInput.Tick(now + 60_000)).effects())
                .as("nothing of it is persisted again").isEmpty();
    }

    @Test
    void downloadsGoInBatchesOfTenPerBackendEachPairingTheBackedUpTabletDirWithTheReplicasSnapshotDir() {
        planned(false);
        answer(AgentWork.Kind.CREATE, this::ok);
        answer(AgentWork.Kind.MAKE_SNAPSHOT, this::ok);

        List<AgentWork.Task> downloads = sent(AgentWork.Kind.DOWNLOAD);
        // 24 replicas on 3 backends: 8 each, one task of 8 per backend.
        assertThat(downloads).hasSize(3);
        AgentWork.Download first = (AgentWork.Download) downloads.get(0);
        long tablet = first.tabletIds().get(0);
        ReplicaRestore replica = replicaOf(tablet);
        assertThat(first.srcDest()).containsEntry(
                "file:///repo/__palo_repository_repo/__ss_snap1/__ss_content/__db_9/__tbl_100/__part_"
                        + replica.source().getPartitionId() + "/__idx_" + replica.source().getIndexId() + "/__"
                        + replica.source().getTabletId(),
                "/data/snapshot/" + tablet + "/" + tablet + "/" + replica.tablet().getSchemaHash());
    }

    @Test
    void aDownloadThatFailedPartWayIsSentAgainWithOnlyTheTabletsItHadNotFinished() {
        planned(false);
        answer(AgentWork.Kind.CREATE, this::ok);
        answer(AgentWork.Kind.MAKE_SNAPSHOT, this::ok);
        List<AgentWork.Task> downloads = sent(AgentWork.Kind.DOWNLOAD);
        AgentWork.Download failing = (AgentWork.Download) downloads.get(0);
        List<Long> finished = failing.tabletIds().subList(0, 3);
        apply(new RestoreInput.TaskFinished(failing.signature(), 6, "IO_ERROR", List.of("disk full"), null, finished,
                300, null, now));
        downloads.subList(1, downloads.size()).forEach(d -> apply(ok(d)));

        assertThat(effectsOf(RestoreEffect.Persist.class).get(effectsOf(RestoreEffect.Persist.class).size() - 1)
                .job().counts().downloaded()).isEqualTo(3 + 16);
        now += 1_000;
        apply(new RestoreInput.Tick(now));

        List<AgentWork.Task> resent = sent(AgentWork.Kind.DOWNLOAD);
        assertThat(resent).hasSize(1);
        AgentWork.Download again = (AgentWork.Download) resent.get(0);
        assertThat(again.signature()).isNotEqualTo(failing.signature());
        assertThat(again.tabletIds()).containsExactlyElementsOf(failing.tabletIds().subList(3,
                failing.tabletIds().size()));
        assertThat(job.tasks().pending().get(again.signature()).lastError()).isEqualTo("IO_ERROR: disk full");
    }

    @Test
    void aTaskThatKeepsFailingCancelsTheJobNamingTaskBackendAndLastErrorAndUndoesTheCatalog() {
        planned(false);
        AgentWork.Create create = (AgentWork.Create) sent(AgentWork.Kind.CREATE).get(0);
        long replicaId = create.replicaId();
        for (int attempt = 1; attempt <= 3; attempt++) {
            AgentWork.Create current = attempt == 1 ? create : (AgentWork.Create) sent(AgentWork.Kind.CREATE).stream()
                    .filter(t -> ((AgentWork.Create) t).replicaId() == replicaId).findFirst().orElseThrow();
            apply(RestoreInput.TaskFinished.status(current.signature(), 6, "IO_ERROR", List.of("no space"), now));
            now += 4_000;
            apply(new RestoreInput.Tick(now));
        }

        assertThat(job.state()).isEqualTo(RestoreState.CANCELLED);
        assertThat(job.status().message()).contains("IO_ERROR: no space").contains("backend");
        assertThat(effectsOf(RestoreEffect.UndoCatalog.class)).hasSize(1);
        assertThat(job.catalogUndone()).isFalse();
        assertThat(job.tasks().pending()).isEmpty();
    }

    @Test
    void aDownloadThatFetchedADamagedRepositoryFileCancelsAtOnceNamingTheFileAndHowToFindTheOthers() {
        planned(false);
        answer(AgentWork.Kind.CREATE, this::ok);
        answer(AgentWork.Kind.MAKE_SNAPSHOT, this::ok);
        AgentWork.Download damaged = (AgentWork.Download) sent(AgentWork.Kind.DOWNLOAD).get(0);
        String error = "(127.0.0.1)[INTERNAL_ERROR]invalid md5 of downloaded file: /data/snapshot/1/2/0200_0.dat,"
                + " expected: 3e459c9fadc41a4752ecf88b3940e539, get: 767b3739b83a14201f23e86d36d4812a";

        apply(new RestoreInput.TaskFinished(damaged.signature(), 6, "INTERNAL_ERROR", List.of(error), null,
                List.of(), 0, null, now));

        assertThat(job.state()).isEqualTo(RestoreState.CANCELLED);
        assertThat(job.status().message()).startsWith("Repository repo holds a damaged file of snapshot "
                + job.request().label() + " (its content does not match the md5 in its name); nothing was restored."
                + " DOWNLOAD task " + damaged.signature() + " on backend ").contains(error)
                .endsWith("`snapbus snapshot verify repo " + job.request().label()
                        + " --wait` names every damaged file");
        assertThat(effectsOf(RestoreEffect.UndoCatalog.class)).hasSize(1);
        assertThat(job.tasks().pending()).isEmpty();
        assertThat(transitions()).doesNotContain(RestoreState.COMMITTING);
    }

    @Test
    void aRestoredReplicaWhoseChecksumDiffersFromTheBackupsCancelsBeforeAnythingIsSwappedIn() {
        planned(false);
        answer(AgentWork.Kind.CREATE, this::ok);
        answer(AgentWork.Kind.MAKE_SNAPSHOT, this::ok);
        answer(AgentWork.Kind.DOWNLOAD, this::ok);
        answer(AgentWork.Kind.MOVE, this::ok);
        AgentWork.Check check = (AgentWork.Check) sent(AgentWork.Kind.CHECK_CONSISTENCY).get(0);
        apply(new RestoreInput.TaskFinished(check.signature(), 0, "OK", null, null, null, 0,
                Map.of(check.tablet().getTabletId(), new ContentChecksum(1, 2)), now));

        assertThat(job.state()).isEqualTo(RestoreState.CANCELLED);
        assertThat(job.status().code()).isEqualTo(Status.Code.BAD_FILE);
        assertThat(job.status().message()).startsWith("restored tablet " + check.tablet().getTabletId())
                .contains("holds 1 rows with checksum 2").endsWith("nothing was swapped in");
        assertThat(effectsOf(RestoreEffect.CommitCatalog.class)).isEmpty();
        assertThat(effectsOf(RestoreEffect.UndoCatalog.class)).hasSize(1);
    }

    @Test
    void aCancelInCommittingUndoesButOnceTheSwapIsPersistedTheRestoreIsOnlyEverFinished() {
        job = job.toBuilder().holds(new DebugHolds<>(Set.of(RestoreState.COMMITTING), Set.of())).build(false);
        runToSwap();
        assertThat(job.commitStep()).isEqualTo(CommitStep.CHECKING);
        RestoreMachine.CancelOutcome cancelled = machine.cancelByUser(job, now);
        assertThat(cancelled.status().ok()).isTrue();
        assertThat(cancelled.transition().job().state()).isEqualTo(RestoreState.CANCELLED);
        assertThat(cancelled.transition().effects()).anyMatch(e -> e instanceof RestoreEffect.UndoCatalog);

        apply(new RestoreInput.HoldsChanged(DebugHolds.none(), now));
        apply(new RestoreInput.Tick(now));
        assertThat(job.commitStep()).isEqualTo(CommitStep.SWAPPING);
        RestoreMachine.CancelOutcome refused = machine.cancelByUser(job, now);
        assertThat(refused.status().ok()).isFalse();
        assertThat(refused.status().message()).isEqualTo("Job with label snap1 can not be cancelled. state: "
                + "COMMITTING (the restored partitions are being swapped in)");
        now = T0 + job.timeoutMs() + 1;
        apply(new RestoreInput.Tick(now));
        assertThat(job.state()).isEqualTo(RestoreState.COMMITTING);
        assertThat(effectsOf(RestoreEffect.CommitCatalog.class)).hasSize(2); // asked again after the retry interval
    }

    @Test
    void aTimedOutJobIsCancelledWithDorissMessage() {
        planned(false);
        now = T0 + job.timeoutMs() + 1;
        apply(new RestoreInput.Tick(now));

        assertThat(job.state()).isEqualTo(RestoreState.CANCELLED);
        assertThat(job.status().toString()).isEqualTo("[TIMEOUT, msg: restore job with label: snap1  timeout.]");
    }

    @Test
    void aCancelledJobsUndoIsAskedForUntilTheCatalogTakesIt() {
        planned(false);
        apply(new RestoreInput.Cancel(now));
        assertThat(job.status().message()).isEqualTo("user cancelled, current state: CREATING");
        apply(new RestoreInput.CatalogFailed("broker down", false, now));
        now += 5_000;
        apply(new RestoreInput.Tick(now));
        assertThat(effectsOf(RestoreEffect.UndoCatalog.class)).hasSize(2);
        assertThat(job.retired()).as("its undo still needs the plan and is persisted: it keeps everything")
                .isSameAs(job);

        apply(new RestoreInput.CatalogUndone(now));
        assertThat(job.catalogUndone()).isTrue();
        assertThat(job.retired().replicas()).as("once undone it is settled").isEmpty();
        now += 5_000;
        apply(new RestoreInput.Tick(now));
        assertThat(effectsOf(RestoreEffect.UndoCatalog.class)).hasSize(2);
        assertThat(machine.cancelByUser(job, now).status().message())
                .isEqualTo("Job with label snap1 can not be cancelled. state: CANCELLED");
    }

    @Test
    void aRefusedCatalogPrepareCancelsAndAPlanFailureNeedsNoUndo() {
        AtomicLong ids = new AtomicLong(50_000);
        RestorePlan plan = new RestorePlanner(new RestoreFixtures.PlannerCatalog(), ids::incrementAndGet)
                .plan(job.request(), info(), meta());
        apply(new RestoreInput.Planned(plan, RestoreReplicas.of(plan, info()), false, now));
        apply(new RestoreInput.CatalogFailed("broker down", false, now));
        assertThat(job.state()).isEqualTo(RestoreState.PENDING);
        apply(new RestoreInput.CatalogFailed("Table orders already exist in db: sales", true, now));
        assertThat(job.state()).isEqualTo(RestoreState.CANCELLED);
        assertThat(job.status().message()).isEqualTo("Table orders already exist in db: sales");

        job = RestoreJob.created(43, request(Map.of()), REPO, T0);
        effects.clear();
        apply(new RestoreInput.PlanFailed(Status.of(Status.Code.NOT_FOUND, "Unknown database 'x'"), now));
        assertThat(job.state()).isEqualTo(RestoreState.CANCELLED);
        assertThat(job.catalogUndone()).isTrue();
        assertThat(effectsOf(RestoreEffect.UndoCatalog.class)).isEmpty();
    }

    @Test
    void aSwapTheCatalogCannotWriteIsAskedAgainButOneItRefusesCancelsWithNothingSwappedIn() {
        runToSwap();
        apply(new RestoreInput.CatalogFailed("catalog topic timed out", false, now));
        assertThat(job.commitStep()).isEqualTo(CommitStep.SWAPPING);
        now += 5_000;
        apply(new RestoreInput.Tick(now));
        assertThat(effectsOf(RestoreEffect.CommitCatalog.class)).hasSize(2);

        apply(new RestoreInput.CatalogFailed("replace table failed, the temp table orders is not found", true, now));
        assertThat(job.state()).isEqualTo(RestoreState.CANCELLED);
        assertThat(job.status().message()).isEqualTo("replace table failed, the temp table orders is not found");
        assertThat(effectsOf(RestoreEffect.UndoCatalog.class)).hasSize(1);
    }

    @Test
    void aMetadataOnlySnapshotCreatesEmptyReplicasAndDownloadsNothing() {
        planned(true);
        answer(AgentWork.Kind.CREATE, this::ok);

        assertThat(sent(AgentWork.Kind.MAKE_SNAPSHOT)).isEmpty();
        assertThat(sent(AgentWork.Kind.DOWNLOAD)).isEmpty();
        assertThat(sent(AgentWork.Kind.MOVE)).isEmpty();
        assertThat(job.commitStep()).isEqualTo(CommitStep.SWAPPING);
        assertThat(effectsOf(RestoreEffect.CommitCatalog.class)).hasSize(1);
    }

    @Test
    void aLateOrDuplicateResultChangesNothing() {
        planned(false);
        AgentWork.Task create = sent(AgentWork.Kind.CREATE).get(0);
        apply(ok(create));
        RestoreJob before = job;
        effects.clear();
        apply(ok(create));
        assertThat(job).isEqualTo(before);
        assertThat(effects).isEmpty();
    }
}
