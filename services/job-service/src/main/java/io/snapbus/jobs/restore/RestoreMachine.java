package io.snapbus.jobs.restore;

import io.snapbus.contract.TaskSignatures;
import io.snapbus.jobs.engine.AgentWork;
import io.snapbus.jobs.engine.EventKind;
import io.snapbus.jobs.engine.NodeReport;
import io.snapbus.jobs.engine.PendingTask;
import io.snapbus.jobs.engine.RepositoryDirs;
import io.snapbus.jobs.engine.Status;
import io.snapbus.jobs.engine.TaskRetry;
import io.snapbus.rows.ContentChecksum;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * The restore job's single owner of transitions: {@code (job, input) -> (job', effects)}, deterministic, with no
 * broker, node, clock or catalog inside. States are Doris's RestoreJob's (doris-restore-facts.md §2); what differs:
 * <ul>
 *   <li>every restored partition gets new replicas, and only those are created, downloaded into and moved into; the
 *       catalog swaps them in with one change at the end of COMMITTING, so a failure, cancel or crash before it leaves
 *       every partition as it was and nothing is ever half-overwritten (Doris MOVEs over live tablets);</li>
 *   <li>every state and every finished replica is persisted, so a resumed job redoes nothing finished;</li>
 *   <li>a failing task is retried with backoff a bounded number of times, then the job is cancelled with a status
 *       naming the task, its backend and its last error (Doris re-sends it every 10 s until the 24 h timeout);</li>
 *   <li>before the swap, the restored replicas' checksums are compared with the ones the backup recorded.</li>
 * </ul>
 */
public final class RestoreMachine {
    private static final int OK = 0;

    /** The node's (Doris's BE's) message for a fetched repository file whose md5 is not the one in its name. */
    static final String DAMAGED_FILE = "invalid md5 of downloaded file";

    /** The new job and what to do about it. */
    public record Transition(RestoreJob job, List<RestoreEffect> effects) {
        public Transition {
            effects = List.copyOf(effects);
        }
    }

    /** The answer to a user's cancel: the transition, and a non-OK status when it was refused. */
    public record CancelOutcome(Transition transition, Status status) {}

    private final RestoreSettings settings;
    private final TaskRetry retry;

    public RestoreMachine(RestoreSettings settings) {
        this.settings = settings;
        this.retry = new TaskRetry(settings.retryPolicy());
    }

    /** Whether PENDING's planning must wait (the shell plans a held job once the hold is gone). */
    public boolean holdsPending(RestoreJob job) {
        return job.state() == RestoreState.PENDING && job.plan() == null && job.holds().holds(RestoreState.PENDING);
    }

    /** A new job is persisted and announced before anything else happens. */
    public Transition start(RestoreJob job) {
        return new Transition(job, List.of(new RestoreEffect.Persist(job),
                new RestoreEffect.Publish(EventKind.CREATED, null, RestoreState.PENDING, "")));
    }

    public Transition apply(RestoreJob job, RestoreInput input) {
        if (job.isDone()) {
            return afterDone(job, input);
        }
        if (input.nowMs() - job.createTimeMs() > job.timeoutMs() && !swapping(job)) {
            return cancel(job, Status.of(Status.Code.TIMEOUT, "restore job with label: " + job.label()
                    + "  timeout."), input.nowMs());
        }
        // Java 17 has no pattern switch: an instanceof chain over the sealed inputs, one branch each.
        if (input instanceof RestoreInput.HoldsChanged changed) {
            return unchanged(job.toBuilder().holds(changed.holds()).build(false));
        }
        if (input instanceof RestoreInput.Planned planned) {
            return job.state() == RestoreState.PENDING && job.plan() == null ? planned(job, planned) : unchanged(job);
        }
        if (input instanceof RestoreInput.PlanFailed failed) {
            return job.state() == RestoreState.PENDING ? cancel(job, failed.status(), failed.nowMs()) : unchanged(job);
        }
        if (input instanceof RestoreInput.CatalogPrepared prepared) {
            return job.state() == RestoreState.PENDING && job.plan() != null && !job.catalogPrepared()
                    ? catalogPrepared(job, prepared.nowMs()) : unchanged(job);
        }
        if (input instanceof RestoreInput.CatalogCommitted committed) {
            return swapping(job) ? finished(job, committed.nowMs()) : unchanged(job);
        }
        if (input instanceof RestoreInput.CatalogFailed failed) {
            return catalogFailed(job, failed);
        }
        if (input instanceof RestoreInput.TaskFinished finished) {
            return taskFinished(job, finished);
        }
        if (input instanceof RestoreInput.Progress progress) {
            PendingTask task = job.tasks().pending().get(progress.signature());
            // Progress shows the node works on the task: its result is awaited for another backoff.
            return task != null
                    ? unchanged(job.toBuilder().refreshed(task.alive(progress.nowMs())).taskProgress(
                            progress.signature(), progress.finishedFiles() + "/" + progress.totalFiles()).build(false))
                    : unchanged(job);
        }
        if (input instanceof RestoreInput.TasksRunning running) {
            return unchanged(job.toBuilder().nodeReport(running.backendId(),
                    new NodeReport(running.nowMs(), running.signatures())).build(false));
        }
        if (input instanceof RestoreInput.Tick tick) {
            return tick(job, tick.nowMs());
        }
        if (input instanceof RestoreInput.Cancel cancel) {
            return swapping(job) ? unchanged(job) : cancel(job, Status.of(Status.Code.COMMON_ERROR,
                    "user cancelled, current state: " + job.state()), cancel.nowMs());
        }
        return unchanged(job); // CatalogUndone of a job not cancelled: nothing to do
    }

    /**
     * A user's cancel (CANCEL RESTORE): refused with Doris's message once the job is done, and while the catalog swap
     * runs (from then on the restore is only ever finished, so no partition is left half-swapped).
     */
    public CancelOutcome cancelByUser(RestoreJob job, long nowMs) {
        if (job.isDone()) {
            return new CancelOutcome(unchanged(job), Status.of(Status.Code.COMMON_ERROR,
                    "Job with label " + job.label() + " can not be cancelled. state: " + job.state()));
        }
        if (swapping(job)) {
            return new CancelOutcome(unchanged(job), Status.of(Status.Code.COMMON_ERROR, "Job with label "
                    + job.label() + " can not be cancelled. state: " + job.state()
                    + " (the restored partitions are being swapped in)"));
        }
        return new CancelOutcome(apply(job, new RestoreInput.Cancel(nowMs)), Status.OK);
    }

    private static boolean swapping(RestoreJob job) {
        return job.state() == RestoreState.COMMITTING && job.commitStep() == CommitStep.SWAPPING;
    }

    // ---- PENDING ----

    private Transition planned(RestoreJob job, RestoreInput.Planned input) {
        RestoreJob.Builder next = job.toBuilder().plan(input.plan()).metadataOnly(input.metadataOnly())
                .replicas(input.replicas()).lastCatalogAttemptMs(input.nowMs());
        RestoreJob after = next.build(true);
        return new Transition(after, List.of(new RestoreEffect.Persist(after),
                new RestoreEffect.PrepareCatalog(after)));
    }

    /** The catalog holds the new tables and tablets: CREATING sends one CREATE per replica, batched per backend. */
    private Transition catalogPrepared(RestoreJob job, long nowMs) {
        RestoreJob.Builder next = job.toBuilder().catalogPrepared(true).metaPreparedTimeMs(nowMs);
        List<RestoreEffect> effects = new ArrayList<>();
        moveTo(next, RestoreState.CREATING, job.state(), effects);
        return advance(next, effects, nowMs); // sends the first window of CREATE tasks
    }

    // ---- task results ----

    private Transition taskFinished(RestoreJob job, RestoreInput.TaskFinished input) {
        PendingTask task = job.tasks().pending().get(input.signature());
        if (task == null) {
            return unchanged(job); // a duplicate or late report of a task already settled
        }
        if (task.kind() == AgentWork.Kind.DOWNLOAD) {
            return downloadFinished(job, task, input);
        }
        if (input.statusCode() != OK) {
            return taskFailed(job, task, input.statusName(), input.errors(), input.nowMs());
        }
        ReplicaRestore replica = job.replicas().get(task.tabletIds().get(0));
        RestoreJob.Builder next = job.toBuilder().done(task.signature());
        switch (task.kind()) {
            case CREATE -> next.replica(replica.created());
            case MAKE_SNAPSHOT -> {
                if (input.snapshotPath() == null) {
                    return taskFailed(job, task, "INTERNAL_ERROR", List.of("snapshot report without snapshot path"),
                            input.nowMs());
                }
                next.replica(replica.snapshotted(input.snapshotPath()));
            }
            case MOVE -> next.replica(replica.moved());
            case CHECK_CONSISTENCY -> {
                ContentChecksum read = input.checksums().get(replica.tabletId());
                if (read == null) {
                    return taskFailed(job, task, "INTERNAL_ERROR", List.of("consistency report without checksum of "
                            + "tablet " + replica.tabletId()), input.nowMs());
                }
                if (!read.equals(replica.expected())) {
                    return cancel(job, Status.of(Status.Code.BAD_FILE, "restored tablet " + replica.tabletId()
                            + " (replica " + replica.replicaId() + " on backend " + replica.backendId() + ") holds "
                            + describe(read) + " at version " + replica.version() + ", the backup recorded "
                            + describe(replica.expected()) + " for tablet " + replica.sourceTabletId()
                            + "; nothing was swapped in"), input.nowMs());
                }
                next.replica(replica.checked(read));
            }
            default -> {
                return unchanged(job);
            }
        }
        return advance(next, new ArrayList<>(), input.nowMs());
    }

    private static String describe(ContentChecksum sum) {
        return sum.rows() + " rows with checksum " + sum.checksum();
    }

    /**
     * A DOWNLOAD counts only for the replicas it carried that the node names as complete (Doris's rule); those are
     * kept even when the task failed part-way, and a re-send carries only the rest, so no finished download is
     * fetched again.
     */
    private Transition downloadFinished(RestoreJob job, PendingTask task, RestoreInput.TaskFinished input) {
        Set<Long> completed = new HashSet<>(input.downloadedTabletIds());
        List<ReplicaRestore> carried = task.tabletIds().stream().map(job.replicas()::get).toList();
        List<ReplicaRestore> newlyDone = carried.stream()
                .filter(r -> !r.reached(ReplicaRestore.Phase.DOWNLOADED) && completed.contains(r.tabletId())).toList();
        RestoreJob.Builder next = job.toBuilder();
        long share = newlyDone.isEmpty() ? 0 : input.bytes() / newlyDone.size();
        newlyDone.forEach(r -> next.replica(r.downloaded(share)));
        boolean allDone = carried.stream().allMatch(r -> r.reached(ReplicaRestore.Phase.DOWNLOADED)
                || completed.contains(r.tabletId()));
        if (allDone) {
            // Every replica it carried is complete (a failure after the last one changes nothing).
            next.done(task.signature());
            return advance(next, new ArrayList<>(), input.nowMs());
        }
        String statusName = input.statusCode() == OK ? "INTERNAL_ERROR" : input.statusName();
        List<String> errors = input.statusCode() == OK ? List.of("download reported " + completed.size() + " of "
                + carried.size() + " tablets complete") : input.errors();
        RestoreJob partial = next.build(false);
        String damaged = errors == null ? null : errors.stream().filter(e -> e.contains(DAMAGED_FILE)).findFirst()
                .orElse(null);
        if (damaged != null) {
            // The repository's copy is not what the backup wrote: every re-send would fetch the same bytes (Doris
            // re-sends until the job times out), so the job ends at once, saying where to look.
            return cancel(partial, Status.of(Status.Code.COMMON_ERROR, "Repository " + job.request().repositoryName()
                    + " holds a damaged file of snapshot " + job.request().label() + " (its content does not match"
                    + " the md5 in its name); nothing was restored. DOWNLOAD task " + task.signature()
                    + " on backend " + task.backendId() + ": " + damaged + ". `snapbus snapshot verify "
                    + job.request().repositoryName() + " " + job.request().label()
                    + " --wait` names every damaged file"), input.nowMs());
        }
        return taskFailed(partial, partial.tasks().pending().get(task.signature()), statusName, errors,
                input.nowMs(), !newlyDone.isEmpty());
    }

    private Transition taskFailed(RestoreJob job, PendingTask task, String statusName, List<String> errors,
            long nowMs) {
        return taskFailed(job, task, statusName, errors, nowMs, false);
    }

    /**
     * A task failed: the error is shown and the task is sent again under a new signature after its backoff, or the
     * job is cancelled once it was sent as often as the policy allows, naming the task, backend and last error.
     * {@code progressed}: the job changed before the failure (replicas downloaded) and must be persisted.
     */
    private Transition taskFailed(RestoreJob job, PendingTask task, String statusName, List<String> errors,
            long nowMs, boolean progressed) {
        TaskRetry.Round round = retry.failed(job.tasks(), task, statusName, errors, nowMs);
        if (round instanceof TaskRetry.GaveUp gaveUp) {
            return cancel(job, gaveUp.status(), nowMs);
        }
        if (!(round instanceof TaskRetry.FailedOnce failed)) {
            return unchanged(job); // the same failure reported again
        }
        RestoreJob after = job.toBuilder().tasks(failed.tasks(), List.of(failed.task())).build(progressed);
        List<RestoreEffect> effects = new ArrayList<>();
        if (progressed) {
            effects.add(new RestoreEffect.Persist(after));
        }
        effects.add(new RestoreEffect.Publish(EventKind.TASK_ERROR, job.state(), job.state(), failed.event()));
        return new Transition(after, effects);
    }

    // ---- moving on ----

    /**
     * Moves through the states as far as the job's tasks and the holds allow, sending each state's tasks on entering
     * it; always persists the result.
     */
    private Transition advance(RestoreJob.Builder next, List<RestoreEffect> effects, long nowMs) {
        boolean moved = true;
        while (moved) {
            moved = false;
            sendWindow(next, effects, nowMs);
            RestoreJob job = next.build(false);
            RestoreState state = job.state();
            boolean idle = job.tasks().pending().isEmpty() && !job.holds().holds(state);
            if (state == RestoreState.CREATING && idle) {
                moveTo(next, RestoreState.SNAPSHOTING, state, effects);
                moved = true;
            } else if (state == RestoreState.SNAPSHOTING && idle) {
                next.snapshotFinishedTimeMs(nowMs);
                moveTo(next, RestoreState.DOWNLOAD, state, effects);
                moved = true;
            } else if (state == RestoreState.DOWNLOAD && !job.holds().holds(state)) {
                moveTo(next, RestoreState.DOWNLOADING, state, effects);
                moved = true;
            } else if (state == RestoreState.DOWNLOADING && idle) {
                next.downloadFinishedTimeMs(nowMs);
                moveTo(next, RestoreState.COMMIT, state, effects);
                moved = true;
            } else if (state == RestoreState.COMMIT && !job.holds().holds(state)) {
                moveTo(next, RestoreState.COMMITTING, state, effects);
                next.commitStep(CommitStep.MOVING);
                moved = true;
            } else if (state == RestoreState.COMMITTING && job.commitStep() == CommitStep.MOVING
                    && job.tasks().pending().isEmpty()) {
                next.commitStep(CommitStep.CHECKING);
                moved = true;
            } else if (state == RestoreState.COMMITTING && job.commitStep() == CommitStep.CHECKING && idle) {
                // From here the restore is only ever finished: the swap is asked for until the catalog takes it.
                next.commitStep(CommitStep.SWAPPING).lastCatalogAttemptMs(nowMs);
                RestoreJob after = next.build(true);
                effects.add(new RestoreEffect.Persist(after));
                effects.add(new RestoreEffect.CommitCatalog(after));
                return new Transition(after, effects);
            }
        }
        RestoreJob after = next.build(true);
        effects.add(new RestoreEffect.Persist(after));
        return new Transition(after, effects);
    }

    /** The swap is in the catalog: FINISHED, and the restore snapshots on the nodes are released. */
    private Transition finished(RestoreJob job, long nowMs) {
        RestoreJob.Builder next = job.toBuilder();
        List<AgentWork.Batch> releases = releases(job, next);
        next.state(RestoreState.FINISHED).finishedTimeMs(nowMs);
        RestoreJob after = next.build(true);
        List<RestoreEffect> effects = new ArrayList<>();
        effects.add(new RestoreEffect.Persist(after));
        if (!releases.isEmpty()) {
            effects.add(new RestoreEffect.SendTasks(releases));
        }
        effects.add(new RestoreEffect.Publish(EventKind.FINISHED, job.state(), RestoreState.FINISHED,
                summary(after)));
        return new Transition(after, effects);
    }

    private static String summary(RestoreJob job) {
        RestoreJob.ReplicaCounts counts = job.counts();
        return job.replicas().size() + " replicas restored, " + counts.downloaded() + " downloaded ("
                + counts.bytesDownloaded() + " bytes), " + counts.checked() + " checked against the backup's checksums";
    }

    private Transition catalogFailed(RestoreJob job, RestoreInput.CatalogFailed failed) {
        boolean preparing = job.state() == RestoreState.PENDING && job.plan() != null && !job.catalogPrepared();
        if (failed.refused() && (preparing || swapping(job))) {
            // The catalog wrote nothing and never will: nothing is swapped in, so the job ends as a cancel does.
            return cancel(job, Status.of(Status.Code.COMMON_ERROR, failed.reason()), failed.nowMs());
        }
        if (preparing || swapping(job)) {
            return new Transition(job, List.of(new RestoreEffect.Publish(EventKind.TASK_ERROR, job.state(),
                    job.state(), (preparing ? "registering the restored tables and tablets" : "swapping the "
                    + "restored partitions in") + " failed, asked again: " + failed.reason())));
        }
        return unchanged(job);
    }

    private Transition tick(RestoreJob job, long nowMs) {
        boolean catalogDue = nowMs - job.lastCatalogAttemptMs() >= settings.catalogRetryMs();
        if (job.state() == RestoreState.PENDING) {
            if (job.plan() != null && !job.catalogPrepared() && catalogDue) {
                // The answer got lost (or the service restarted): registering the same ids again is harmless.
                RestoreJob after = job.toBuilder().lastCatalogAttemptMs(nowMs).build(false);
                return new Transition(after, List.of(new RestoreEffect.PrepareCatalog(after)));
            }
            return unchanged(job);
        }
        if (swapping(job)) {
            if (!catalogDue) {
                return unchanged(job);
            }
            RestoreJob after = job.toBuilder().lastCatalogAttemptMs(nowMs).build(false);
            return new Transition(after, List.of(new RestoreEffect.CommitCatalog(after)));
        }
        if (job.holds().withholdsTasks(job.state())) {
            return unchanged(job); // its tasks go out as re-sends once the hold is gone
        }
        if (!job.tasks().pending().isEmpty()) {
            return retryDueTasks(job, nowMs);
        }
        // Nothing awaited: only a hold kept the job here, or the state moves on without an answer.
        return job.holds().holds(job.state()) ? unchanged(job) : advance(job.toBuilder(), new ArrayList<>(), nowMs);
    }

    /** Tasks whose backoff passed are sent again (persisted first), or the job gives up ({@link TaskRetry}). */
    private Transition retryDueTasks(RestoreJob job, long nowMs) {
        TaskRetry.Round round = retry.dueTasks(job.tasks(), job.jobId(), nowMs, task -> agentTask(job, task));
        if (round instanceof TaskRetry.Waited waited) {
            return waited.tasks() == job.tasks() ? unchanged(job)
                    : unchanged(job.toBuilder().tasks(waited.tasks(), List.of()).build(false));
        }
        if (round instanceof TaskRetry.GaveUp gaveUp) {
            return cancel(job, gaveUp.status(), nowMs);
        }
        TaskRetry.Resent resent = (TaskRetry.Resent) round;
        RestoreJob after = job.toBuilder().tasks(resent.tasks(), resent.touched()).build(true);
        List<RestoreEffect> effects = new ArrayList<>();
        effects.add(new RestoreEffect.Persist(after));
        if (!resent.batches().isEmpty()) {
            effects.add(new RestoreEffect.SendTasks(resent.batches()));
            effects.add(new RestoreEffect.Publish(EventKind.TASK_RETRY, job.state(), job.state(), resent.event()));
        }
        return new Transition(after, effects);
    }

    // ---- tasks ----

    /**
     * The current state's tasks, for at most {@code taskWindow} replicas awaited at once: CREATE, MAKE_SNAPSHOT, MOVE
     * and CHECK_CONSISTENCY one per replica, DOWNLOAD {@code downloadBatchSize} replicas of one backend each; batched
     * per backend. Once half the window has finished, the next replicas that need one get theirs. A job within the
     * window sends a state's tasks all at once on entering it, as Doris does. The replicas are walked in the replica
     * map's order from where the last walk stopped ({@link RestoreJob.TaskWindow}), so a state tests each once.
     */
    private void sendWindow(RestoreJob.Builder next, List<RestoreEffect> effects, long nowMs) {
        RestoreJob job = next.build(false);
        AgentWork.Kind kind = taskKind(job);
        int walked = job.window().walkedIn(job.state(), job.commitStep());
        int awaited = job.tasks().taskOfTablet().size();
        if (kind == null || walked >= job.replicas().size() || awaited > settings.taskWindow() / 2) {
            return;
        }
        Predicate<ReplicaRestore> needsTask = needsTask(job, kind);
        List<ReplicaRestore> found = new ArrayList<>();
        Iterator<ReplicaRestore> replicas = job.replicas().values().iterator();
        int position = 0;
        for (; position < walked; position++) {
            replicas.next();
        }
        while (found.size() < settings.taskWindow() - awaited && replicas.hasNext()) {
            ReplicaRestore replica = replicas.next();
            position++;
            if (needsTask.test(replica) && !job.tasks().taskOfTablet().containsKey(replica.replicaId())) {
                found.add(replica);
            }
        }
        next.window(new RestoreJob.TaskWindow(job.state(), job.commitStep(), position));
        int perTask = kind == AgentWork.Kind.DOWNLOAD ? settings.downloadBatchSize() : 1;
        Map<Long, List<AgentWork.Task>> tasks = new TreeMap<>();
        AgentWork.perBackend(found, ReplicaRestore::backendId, ReplicaRestore::replicaId, perTask)
                .forEach((backend, slices) -> slices.forEach(slice -> {
                    List<Long> ids = slice.stream().map(ReplicaRestore::replicaId).toList();
                    long signature = TaskSignatures.of(job.jobId(), next.nextSignatureSeq());
                    PendingTask pending = retry.firstSend(signature, kind, backend, ids, nowMs);
                    next.pending(pending);
                    tasks.computeIfAbsent(backend, b -> new ArrayList<>()).add(agentTask(job, pending));
                }));
        if (!tasks.isEmpty() && !job.holds().withholdsTasks(job.state())) {
            effects.add(new RestoreEffect.SendTasks(AgentWork.batches(tasks, kind)));
        }
    }

    /** The kind of task the job's state sends, or null when it sends none. */
    private static AgentWork.Kind taskKind(RestoreJob job) {
        return switch (job.state()) {
            case CREATING -> AgentWork.Kind.CREATE;
            case SNAPSHOTING -> job.metadataOnly() ? null : AgentWork.Kind.MAKE_SNAPSHOT;
            case DOWNLOADING -> AgentWork.Kind.DOWNLOAD;
            case COMMITTING -> job.commitStep() == CommitStep.MOVING ? AgentWork.Kind.MOVE
                    : job.commitStep() == CommitStep.CHECKING ? AgentWork.Kind.CHECK_CONSISTENCY : null;
            default -> null;
        };
    }

    /** Which replicas get a task of {@code kind}: those in the phase before it (checks only of recorded checksums). */
    private Predicate<ReplicaRestore> needsTask(RestoreJob job, AgentWork.Kind kind) {
        return switch (kind) {
            case CREATE -> r -> r.phase() == ReplicaRestore.Phase.CREATE_PENDING;
            case MAKE_SNAPSHOT -> r -> r.phase() == ReplicaRestore.Phase.CREATED;
            case DOWNLOAD -> r -> r.phase() == ReplicaRestore.Phase.SNAPSHOTTED;
            case MOVE -> r -> r.phase() == ReplicaRestore.Phase.DOWNLOADED;
            case CHECK_CONSISTENCY -> r -> settings.verify() && r.phase() == ReplicaRestore.Phase.MOVED
                    && r.expected() != null;
            default -> throw new IllegalStateException("a restore windows no " + kind);
        };
    }

    /** The agent task of an awaited one, built from the replicas it carries (also for a re-send). */
    private static AgentWork.Task agentTask(RestoreJob job, PendingTask task) {
        ReplicaRestore first = job.replicas().get(task.tabletIds().get(0));
        return switch (task.kind()) {
            case CREATE -> new AgentWork.Create(task.signature(), first.tablet(), first.replicaId(), first.version());
            case MAKE_SNAPSHOT -> new AgentWork.Snapshot(task.signature(), first.tablet(), -1,
                    Math.max(1, job.timeoutMs() / 1000));
            case MOVE -> new AgentWork.Move(task.signature(), first.tablet(), first.snapshotTabletDir());
            case CHECK_CONSISTENCY -> new AgentWork.Check(task.signature(), first.tablet(), first.version());
            case DOWNLOAD -> {
                Map<String, String> srcDest = new LinkedHashMap<>();
                List<Long> tablets = new ArrayList<>();
                for (long replicaId : task.tabletIds()) {
                    ReplicaRestore r = job.replicas().get(replicaId);
                    if (!r.reached(ReplicaRestore.Phase.DOWNLOADED)) {
                        srcDest.put(RepositoryDirs.tabletDir(job.repository(), job.label(), r.source()),
                                r.snapshotTabletDir());
                        tablets.add(r.tabletId());
                    }
                }
                yield new AgentWork.Download(task.signature(), srcDest, tablets);
            }
            default -> throw new IllegalStateException("a restore sends no " + task.kind());
        };
    }

    /** RELEASE_SNAPSHOT of every restore snapshot the job made; sent and forgotten, as Doris does. */
    private static List<AgentWork.Batch> releases(RestoreJob job, RestoreJob.Builder next) {
        Map<Long, List<AgentWork.Task>> byBackend = new TreeMap<>();
        job.replicas().values().stream().filter(r -> r.snapshotPath() != null)
                .sorted(Comparator.comparingLong(ReplicaRestore::replicaId))
                .forEach(r -> byBackend.computeIfAbsent(r.backendId(), b -> new ArrayList<>()).add(
                        new AgentWork.Release(TaskSignatures.of(job.jobId(), next.nextSignatureSeq()), r.tabletId(),
                                r.snapshotPath())));
        return AgentWork.batches(byBackend, AgentWork.Kind.RELEASE_SNAPSHOT);
    }

    // ---- cancel ----

    /**
     * Doris's cancelInternal: awaited tasks are forgotten, restore snapshots released, and what the job registered in
     * the catalog undone (created tables and tablets to the erase path, whose DROP tasks remove the replicas; states
     * back to NORMAL). Nothing was swapped in yet, so every live partition is as it was.
     */
    private Transition cancel(RestoreJob job, Status status, long nowMs) {
        RestoreJob.Builder next = job.toBuilder();
        List<AgentWork.Batch> releases = releases(job, next);
        job.tasks().pending().keySet().forEach(next::done);
        boolean undo = job.plan() != null;
        next.state(RestoreState.CANCELLED).status(status).finishedTimeMs(nowMs).commitStep(null)
                .catalogUndone(!undo).lastCatalogAttemptMs(nowMs);
        RestoreJob after = next.build(true);
        List<RestoreEffect> effects = new ArrayList<>();
        effects.add(new RestoreEffect.Persist(after));
        if (!releases.isEmpty()) {
            effects.add(new RestoreEffect.SendTasks(releases));
        }
        if (undo) {
            effects.add(new RestoreEffect.UndoCatalog(after));
        }
        effects.add(new RestoreEffect.Publish(EventKind.CANCELLED, job.state(), RestoreState.CANCELLED,
                status.toString()));
        return new Transition(after, effects);
    }

    /** A done job changes no more, except that a cancelled one's catalog undo is asked for until it is taken. */
    private Transition afterDone(RestoreJob job, RestoreInput input) {
        if (job.state() != RestoreState.CANCELLED || job.catalogUndone()) {
            return unchanged(job);
        }
        if (input instanceof RestoreInput.CatalogUndone) {
            RestoreJob after = job.toBuilder().catalogUndone(true).build(true);
            return new Transition(after, List.of(new RestoreEffect.Persist(after)));
        }
        if (input instanceof RestoreInput.Tick tick && tick.nowMs() - job.lastCatalogAttemptMs()
                >= settings.catalogRetryMs()) {
            RestoreJob after = job.toBuilder().lastCatalogAttemptMs(tick.nowMs()).build(false);
            return new Transition(after, List.of(new RestoreEffect.UndoCatalog(after)));
        }
        if (input instanceof RestoreInput.CatalogFailed failed) {
            return new Transition(job, List.of(new RestoreEffect.Publish(EventKind.TASK_ERROR, job.state(),
                    job.state(), "undoing the restore's catalog changes failed, asked again: " + failed.reason())));
        }
        return unchanged(job);
    }

    private static void moveTo(RestoreJob.Builder next, RestoreState to, RestoreState from,
            List<RestoreEffect> effects) {
        next.state(to);
        effects.add(new RestoreEffect.Publish(EventKind.STATE_CHANGED, from, to, ""));
    }

    private static Transition unchanged(RestoreJob job) {
        return new Transition(job, List.of());
    }
}
