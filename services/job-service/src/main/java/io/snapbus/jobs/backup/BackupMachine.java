package io.snapbus.jobs.backup;

import io.snapbus.avro.RepositoryRef;
import io.snapbus.avro.StorageType;
import io.snapbus.avro.TabletRef;
import io.snapbus.contract.TaskSignatures;
import io.snapbus.jobs.engine.AgentWork;
import io.snapbus.jobs.engine.EventKind;
import io.snapbus.jobs.engine.NodeReport;
import io.snapbus.jobs.engine.PendingTask;
import io.snapbus.jobs.engine.RepositoryDirs;
import io.snapbus.jobs.engine.Status;
import io.snapbus.jobs.engine.TaskRetry;
import io.snapbus.repository.ChecksummedName;
import io.snapbus.repository.RepositoryLayout;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The backup job's single owner of transitions: {@code (job, input) -> (job', effects)}, deterministic, with no
 * broker, node, clock or file inside. Behaviour follows Doris's BackupJob state by state; the shell executes the
 * effects and feeds their outcomes back as inputs.
 */
public final class BackupMachine {
    private static final int OK = 0;
    private static final int NOT_IMPLEMENTED_ERROR = 3;
    private static final int VERSION_ALREADY_MERGED = 45;
    private static final int TABLET_MISSING = 72;

    /** The new job and what to do about it. */
    public record Transition(BackupJob job, List<BackupEffect> effects) {
        public Transition {
            effects = List.copyOf(effects);
        }
    }

    /** The answer to a user's cancel. */
    public record CancelOutcome(Transition transition, Status status) {}

    private final BackupSettings settings;
    private final TaskRetry retry;

    public BackupMachine(BackupSettings settings) {
        this.settings = settings;
        this.retry = new TaskRetry(settings.retryPolicy());
    }

    /** Whether PENDING's planning must wait (the shell plans a held job once the hold is gone). */
    public boolean holdsPending(BackupJob job) {
        return job.state() == BackupState.PENDING && job.holds().holds(BackupState.PENDING);
    }

    /** A new job is persisted and announced before anything else happens. */
    public Transition start(BackupJob job) {
        return new Transition(job, List.of(new BackupEffect.Persist(job),
                new BackupEffect.Publish(EventKind.CREATED, null, BackupState.PENDING, "")));
    }

    public Transition apply(BackupJob job, BackupInput input) {
        if (job.isDone()) {
            // A done job changes no more, except that a keep-on-local snapshot is released once it expired.
            return input instanceof BackupInput.Tick tick ? releaseExpiredLocalSnapshot(job, tick.nowMs())
                    : new Transition(job, List.of());
        }
        if (input.nowMs() - job.createTimeMs() > job.timeoutMs()) {
            return cancel(job, Status.of(Status.Code.TIMEOUT, ""), input.nowMs());
        }
        // Java 17 has no pattern switch: an instanceof chain over the sealed inputs, one branch each.
        if (input instanceof BackupInput.HoldsChanged changed) {
            // What a released job does next is a tick's to decide, as for any job.
            return unchanged(job.toBuilder().holds(changed.holds()).build(false));
        }
        if (input instanceof BackupInput.Planned planned) {
            return job.state() == BackupState.PENDING ? planned(job, planned) : unchanged(job);
        }
        if (input instanceof BackupInput.PlanFailed failed) {
            return cancel(job, failed.status(), failed.nowMs());
        }
        if (input instanceof BackupInput.SnapshotFinished finished) {
            return snapshotFinished(job, finished);
        }
        if (input instanceof BackupInput.UploadFinished finished) {
            return uploadFinished(job, finished);
        }
        if (input instanceof BackupInput.Progress progress) {
            PendingTask task = job.pendingTasks().get(progress.signature());
            // Progress shows the node works on the task: its result is awaited for another backoff.
            return task != null
                    ? new Transition(job.toBuilder().refreshed(task.alive(progress.nowMs())).taskProgress(
                            progress.signature(), progress.finishedFiles() + "/" + progress.totalFiles())
                            .build(false), List.of())
                    : unchanged(job);
        }
        if (input instanceof BackupInput.TasksRunning running) {
            return tasksRunning(job, running);
        }
        if (input instanceof BackupInput.TabletLocated located) {
            return job.state() == BackupState.SNAPSHOTING ? tabletLocated(job, located) : unchanged(job);
        }
        if (input instanceof BackupInput.BaseSeeded seeded) {
            return job.state() == BackupState.UPLOAD_SNAPSHOT && !job.holds().holds(BackupState.UPLOAD_SNAPSHOT)
                    ? baseSeeded(job, seeded) : unchanged(job);
        }
        if (input instanceof BackupInput.MetaSaved saved) {
            return job.state() == BackupState.SAVE_META ? metaSaved(job, saved) : unchanged(job);
        }
        if (input instanceof BackupInput.MetaSaveFailed failed) {
            return job.state() == BackupState.SAVE_META ? cancel(job, Status.of(Status.Code.COMMON_ERROR,
                    "failed to save meta info and job info file: " + failed.reason()), failed.nowMs())
                    : unchanged(job);
        }
        if (input instanceof BackupInput.InfoUploaded uploaded) {
            return job.state() == BackupState.UPLOAD_INFO ? infoUploaded(job, uploaded) : unchanged(job);
        }
        if (input instanceof BackupInput.InfoUploadFailed failed) {
            // Errors here are retried until the timeout, never cancel (Doris's rule for UPLOAD_INFO).
            return job.state() == BackupState.UPLOAD_INFO
                    ? new Transition(job, List.of(new BackupEffect.Publish(EventKind.TASK_ERROR, job.state(),
                            job.state(), "uploading meta and job info failed, retrying: " + failed.reason())))
                    : unchanged(job);
        }
        if (input instanceof BackupInput.RepositoryAltered altered) {
            return repositoryAltered(job, altered);
        }
        if (input instanceof BackupInput.Tick tick) {
            return tick(job, tick.nowMs());
        }
        BackupInput.Cancel cancel = (BackupInput.Cancel) input;
        return cancel(job, Status.of(Status.Code.COMMON_ERROR, "user cancelled"), cancel.nowMs());
    }

    /** A user's cancel: refused with Doris's message once the job is done. */
    public CancelOutcome cancelByUser(BackupJob job, long nowMs) {
        if (job.isDone()) {
            return new CancelOutcome(new Transition(job, List.of()), Status.of(Status.Code.COMMON_ERROR,
                    "Job with label " + job.label() + " can not be cancelled. state: " + job.state()));
        }
        return new CancelOutcome(apply(job, new BackupInput.Cancel(nowMs)), Status.OK);
    }

    private Transition planned(BackupJob job, BackupInput.Planned input) {
        BackupPlan plan = input.plan();
        if (plan.tablets().size() > settings.maxTabletsPerJob()) {
            return cancel(job, Status.of(Status.Code.COMMON_ERROR, "too many tablets in backup job. expect: "
                    + settings.maxTabletsPerJob() + ", actual: " + plan.tablets().size()), input.nowMs());
        }
        BackupJob.Builder next = job.toBuilder().plan(plan);
        List<BackupEffect> effects = new ArrayList<>();
        Map<Long, TabletProgress> tablets = new HashMap<>();
        plan.tablets().forEach(t -> tablets.put(t.ref().getTabletId(), TabletProgress.pending(t)));
        next.tablets(tablets);
        moveTo(next, BackupState.SNAPSHOTING, job.state(), effects);
        return advance(next, effects, input.nowMs()); // sends the first window of MAKE_SNAPSHOT tasks
    }

    /**
     * SNAPSHOTING's tasks: one MAKE_SNAPSHOT per tablet, in plan order, at most {@code snapshotTaskWindow} awaited at
     * once. Once half the window has finished, the next tablets without a task get one; a tablet whose task is
     * re-sent or moved to another replica keeps its place. A job within the window sends them all at planning, as
     * Doris does. Tablets still to be sent are found by a walk over the plan that skips the done ones, which runs
     * at most once per half window (20 walks of a million-tablet job at the default window).
     */
    private void sendSnapshotWindow(BackupJob job, BackupJob.Builder next, List<BackupEffect> effects, long nowMs) {
        if (job.state() != BackupState.SNAPSHOTING || job.request().content() != BackupRequest.Content.ALL
                || job.plan() == null) {
            return;
        }
        int window = settings.snapshotTaskWindow();
        int awaited = job.pendingTasks().size();
        int unsent = job.tablets().size() - job.counts().snapshotted() - awaited;
        if (unsent <= 0 || awaited > window / 2) {
            return;
        }
        Map<Long, List<AgentWork.Task>> byBackend = new TreeMap<>();
        for (TabletProgress tablet : withoutTask(job, TabletProgress.Phase.SNAPSHOT_PENDING, window - awaited)) {
            long signature = TaskSignatures.of(job.jobId(), next.nextSignatureSeq());
            byBackend.computeIfAbsent(tablet.tablet().backendId(), b -> new ArrayList<>())
                    .add(snapshotTask(job, signature, tablet.tablet()));
            next.pending(retry.firstSend(signature, AgentWork.Kind.MAKE_SNAPSHOT, tablet.tablet().backendId(),
                    List.of(tablet.tabletId()), nowMs));
        }
        if (!byBackend.isEmpty() && !job.holds().withholdsTasks(BackupState.SNAPSHOTING)) {
            effects.add(new BackupEffect.SendTasks(AgentWork.batches(byBackend, AgentWork.Kind.MAKE_SNAPSHOT)));
        }
    }

    /**
     * At most {@code room} tablets in {@code phase} without an awaited task, in plan order: the next ones a task window
     * sends. The walk skips the done ones; it runs at most once per half window.
     */
    private static List<TabletProgress> withoutTask(BackupJob job, TabletProgress.Phase phase, int room) {
        List<TabletProgress> found = new ArrayList<>();
        for (BackupPlan.PlannedTablet planned : job.plan().tablets()) {
            if (found.size() >= room) {
                break;
            }
            long tabletId = planned.ref().getTabletId();
            TabletProgress tablet = job.tablets().get(tabletId);
            if (tablet != null && tablet.phase() == phase && !job.tasks().taskOfTablet().containsKey(tabletId)) {
                found.add(tablet);
            }
        }
        return found;
    }

    private Transition snapshotFinished(BackupJob job, BackupInput.SnapshotFinished input) {
        PendingTask task = job.pendingTasks().get(input.signature());
        if (task == null || task.kind() != AgentWork.Kind.MAKE_SNAPSHOT) {
            return unchanged(job); // a duplicate or late report of a task already settled
        }
        switch (input.statusCode()) {
            case OK:
                break;
            case VERSION_ALREADY_MERGED:
                return cancel(job, Status.of(Status.Code.OLAP_VERSION_ALREADY_MERGED,
                        "make snapshot failed, version already merged"), input.nowMs());
            case TABLET_MISSING:
                return tabletMissing(job, task, input);
            case NOT_IMPLEMENTED_ERROR:
                return cancel(job, Status.of(Status.Code.COMMON_ERROR,
                        "make snapshot failed, currently not support backup tablet with cooldowned remote data"),
                        input.nowMs());
            default:
                return taskFailed(job, task, input.statusName(), input.errors(), input.nowMs());
        }
        if (input.snapshotPath() == null || input.files() == null) {
            return taskFailed(job, task, "INTERNAL_ERROR", List.of("snapshot report without snapshot path or files"),
                    input.nowMs());
        }
        long tabletId = task.tabletIds().get(0);
        BackupJob.Builder next = job.toBuilder()
                .tablet(job.tablets().get(tabletId).snapshotted(input.snapshotPath(), input.files(),
                        input.checksums().get(tabletId)))
                .done(input.signature());
        List<BackupEffect> effects = new ArrayList<>();
        return advance(next, effects, input.nowMs());
    }

    private Transition uploadFinished(BackupJob job, BackupInput.UploadFinished input) {
        PendingTask task = job.pendingTasks().get(input.signature());
        if (task == null || task.kind() != AgentWork.Kind.UPLOAD) {
            return unchanged(job);
        }
        if (input.statusCode() != OK) {
            return taskFailed(job, task, input.statusName(), input.errors(), input.nowMs());
        }
        if (input.tabletFiles() == null || input.tabletFiles().isEmpty()) {
            return taskFailed(job, task, "INTERNAL_ERROR", List.of("nothing is uploaded"), input.nowMs());
        }
        BackupJob.Builder next = job.toBuilder();
        for (Map.Entry<Long, List<String>> entry : input.tabletFiles().entrySet()) {
            TabletProgress tablet = job.tablets().get(entry.getKey());
            if (tablet == null || !task.tabletIds().contains(entry.getKey())) {
                return taskFailed(job, task, "INTERNAL_ERROR",
                        List.of("upload reported tablet " + entry.getKey() + " which the task did not carry"),
                        input.nowMs());
            }
            List<String> uploaded = stripChecksums(entry.getValue());
            if (uploaded.size() != tablet.files().size() || !Set.copyOf(uploaded).equals(Set.copyOf(tablet.files()))) {
                return taskFailed(job, task, "INTERNAL_ERROR", List.of("upload of tablet "
                        + entry.getKey() + " has files " + uploaded + ", the snapshot has " + tablet.files()),
                        input.nowMs());
            }
            next.tablet(tablet.uploaded(entry.getValue(), input.tabletBytes().getOrDefault(entry.getKey(), 0L)));
        }
        next.done(input.signature());
        return advance(next, new ArrayList<>(), input.nowMs());
    }

    /**
     * A node's task report is kept as the job's newest word from that node; the tasks it names are looked at only
     * when they come due ({@link TaskRetry#dueTasks}). A report names every task queued on the node, 100 000 of them
     * in a large job, every few seconds: refreshing each named task on every report cost more than the job's real
     * work, and a report that reached the job late let a whole backend's tasks be re-sent at once.
     */
    private Transition tasksRunning(BackupJob job, BackupInput.TasksRunning input) {
        return new Transition(job.toBuilder().nodeReport(input.backendId(),
                new NodeReport(input.nowMs(), input.signatures())).build(false), List.of());
    }

    /** The reusable files are in the job's label: the uploads go out, with what was reused in an event. */
    private Transition baseSeeded(BackupJob job, BackupInput.BaseSeeded input) {
        List<BackupEffect> effects = new ArrayList<>();
        if (input.failure() != null) {
            effects.add(new BackupEffect.Publish(EventKind.PROGRESS, job.state(), job.state(),
                    "nothing reused from earlier snapshots, every file is uploaded: " + input.failure()));
        } else if (input.files() > 0) {
            effects.add(new BackupEffect.Publish(EventKind.PROGRESS, job.state(), job.state(), input.files()
                    + " files reused from snapshot" + (input.labels().size() == 1 ? " " : "s ")
                    + String.join(", ", input.labels()) + "; the nodes upload only the rest"));
        }
        BackupJob.Builder next = job.toBuilder();
        sendUploads(job, next, effects, input.nowMs());
        BackupJob after = next.build(true);
        effects.add(new BackupEffect.Persist(after));
        return new Transition(after, effects);
    }

    private Transition metaSaved(BackupJob job, BackupInput.MetaSaved input) {
        if (job.isKeepOnLocal()) {
            return keptOnLocal(job, input);
        }
        BackupJob.Builder next = job.toBuilder().localJobDir(input.localDir()).lastInfoAttemptMs(input.nowMs());
        List<BackupEffect> effects = new ArrayList<>();
        List<AgentWork.Batch> releases = releases(job, next);
        if (!releases.isEmpty()) {
            effects.add(new BackupEffect.SendTasks(releases));
        }
        moveTo(next, BackupState.UPLOAD_INFO, job.state(), effects);
        boolean uploadNow = !next.build(false).holds().holds(BackupState.UPLOAD_INFO);
        if (!uploadNow) {
            next.lastInfoAttemptMs(-1); // uploaded by the tick once the hold is gone
        }
        BackupJob after = next.build(true);
        effects.add(new BackupEffect.Persist(after));
        if (uploadNow) {
            effects.add(new BackupEffect.UploadInfo(after));
        }
        return new Transition(after, effects);
    }

    private Transition infoUploaded(BackupJob job, BackupInput.InfoUploaded input) {
        BackupJob.Builder next = job.toBuilder().infoFiles(input.metaFileName(), input.jobInfoFileName())
                .finishedTimeMs(input.nowMs()).state(BackupState.FINISHED);
        BackupJob after = next.build(true);
        List<BackupEffect> effects = new ArrayList<>();
        effects.add(new BackupEffect.Persist(after));
        if (job.localJobDir() != null) {
            effects.add(new BackupEffect.DeleteLocalFiles(job.localJobDir()));
        }
        effects.add(new BackupEffect.Publish(EventKind.FINISHED, job.state(), BackupState.FINISHED, ""));
        return new Transition(after, effects);
    }

    /**
     * A keep-on-local job (Doris's saveMetaAndJobInfo and uploadMetaAndJobInfoFile for KEEP_ON_LOCAL_REPO_ID): its
     * snapshots are not released and nothing is uploaded, so it passes UPLOAD_INFO and finishes at once, keeping the
     * local meta and job info files and every tablet's snapshot path for whoever fetches the snapshot until it expires.
     */
    private Transition keptOnLocal(BackupJob job, BackupInput.MetaSaved input) {
        BackupJob.Builder next = job.toBuilder().localJobDir(input.localDir());
        List<BackupEffect> effects = new ArrayList<>();
        moveTo(next, BackupState.UPLOAD_INFO, job.state(), effects);
        BackupJob after = next.finishedTimeMs(input.nowMs()).state(BackupState.FINISHED).build(true);
        effects.add(new BackupEffect.Persist(after));
        effects.add(new BackupEffect.Publish(EventKind.FINISHED, BackupState.UPLOAD_INFO, BackupState.FINISHED,
                "local snapshot kept on the nodes until " + after.localSnapshotExpiresAtMs()));
        return new Transition(after, effects);
    }

    /**
     * A keep-on-local snapshot past its expiry: RELEASE_SNAPSHOT for every snapshot it kept (sent and forgotten, as
     * Doris's releases; the nodes' sweepers remove them anyway, and releasing a released snapshot is answered OK) and
     * its local files deleted, once: the job is persisted as released after the effects, so a crash in between only
     * sends them again. Decided here rather than by a sweeper in the shell so the rule stays next to the one that
     * keeps the snapshots, and a replayed job needs nothing but its persisted flag.
     */
    private Transition releaseExpiredLocalSnapshot(BackupJob job, long nowMs) {
        if (!job.holdsLocalSnapshot() || nowMs < job.localSnapshotExpiresAtMs()) {
            return unchanged(job);
        }
        BackupJob.Builder next = job.toBuilder().localSnapshotReleased(true);
        List<BackupEffect> effects = new ArrayList<>();
        List<AgentWork.Batch> releases = releases(job, next);
        if (!releases.isEmpty()) {
            effects.add(new BackupEffect.SendTasks(releases));
        }
        if (job.localJobDir() != null) {
            effects.add(new BackupEffect.DeleteLocalFiles(job.localJobDir()));
        }
        BackupJob after = next.build(true);
        effects.add(new BackupEffect.Persist(after));
        int released = releases.stream().mapToInt(b -> b.tasks().size()).sum();
        effects.add(new BackupEffect.Publish(EventKind.PROGRESS, BackupState.FINISHED, BackupState.FINISHED,
                "local snapshot expired: " + released + " snapshots released on the nodes, local files deleted"));
        return new Transition(after, effects);
    }

    /**
     * ALTER REPOSITORY (Doris's updateRepo): every task sent from now on, first sends and re-sends alike, is built
     * from the job's repository, so it carries the new revision. Uploads that failed are due at once, so rotated
     * credentials take effect without waiting out a long backoff; tasks still running keep their signature (a
     * node ignores a duplicate of a running task, so re-sending them would change nothing).
     */
    private Transition repositoryAltered(BackupJob job, BackupInput.RepositoryAltered input) {
        RepositoryRef altered = input.repository();
        RepositoryRef current = job.repository();
        if (altered.getRepoId() != current.getRepoId() || !altered.getName().equals(current.getName())
                || altered.getRevision() <= current.getRevision()) {
            return unchanged(job); // another repository, or a revision the job already has
        }
        BackupJob.Builder next = job.toBuilder().repository(altered);
        if (job.state() == BackupState.UPLOADING) {
            job.pendingTasks().values().stream()
                    .filter(t -> t.kind() == AgentWork.Kind.UPLOAD && t.status() == PendingTask.Status.FAILED)
                    .forEach(t -> next.pending(t.dueBy(input.nowMs())));
        }
        BackupJob after = next.build(true);
        return new Transition(after, List.of(new BackupEffect.Persist(after),
                new BackupEffect.Publish(EventKind.PROGRESS, job.state(), job.state(), "repository "
                        + altered.getName() + " altered to revision " + altered.getRevision())));
    }

    private Transition tick(BackupJob job, long nowMs) {
        boolean held = job.holds().holds(job.state());
        boolean infoDue = nowMs - job.lastInfoAttemptMs() >= settings.infoRetryIntervalMs();
        if (job.state() == BackupState.SAVE_META && !held && infoDue) {
            // Saving was held, or its answer got lost; writing the same files again is harmless.
            BackupJob after = job.toBuilder().lastInfoAttemptMs(nowMs).build(false);
            return new Transition(after, List.of(new BackupEffect.SaveMeta(after)));
        }
        if (job.state() == BackupState.UPLOAD_INFO && !held && infoDue) {
            BackupJob after = job.toBuilder().lastInfoAttemptMs(nowMs).build(false);
            return new Transition(after, List.of(new BackupEffect.UploadInfo(after)));
        }
        if (job.state() == BackupState.UPLOAD_SNAPSHOT && !held) {
            if (job.reusesRepositoryFiles() && !infoDue) {
                return unchanged(job); // the files to reuse are being stored; SeedFromBase answers
            }
            return advance(job.toBuilder(), new ArrayList<>(), nowMs);
        }
        if (job.state() == BackupState.SNAPSHOTING || job.state() == BackupState.UPLOADING) {
            if (job.holds().withholdsTasks(job.state())) {
                return unchanged(job); // its tasks go out as re-sends once the hold is gone
            }
            if (job.pendingTasks().isEmpty()) {
                // Only a hold keeps a job here with nothing to wait for; once it is gone the job moves on.
                return held ? unchanged(job) : advance(job.toBuilder(), new ArrayList<>(), nowMs);
            }
            return retryDueTasks(job, nowMs);
        }
        return unchanged(job);
    }

    /**
     * Tasks whose backoff passed are sent again, or awaited longer while their node reports holding them; a task sent
     * {@code maxTaskAttempts} times cancels the job ({@link TaskRetry}). A re-send is persisted before it goes out.
     */
    private Transition retryDueTasks(BackupJob job, long nowMs) {
        TaskRetry.Round round = retry.dueTasks(job.tasks(), job.jobId(), nowMs, task -> agentTask(job, task));
        if (round instanceof TaskRetry.Waited waited) {
            // Awaited longer: nothing to persist (waiting is no state a restart must keep).
            return waited.tasks() == job.tasks() ? unchanged(job)
                    : new Transition(job.toBuilder().tasks(waited.tasks(), List.of()).build(false), List.of());
        }
        if (round instanceof TaskRetry.GaveUp gaveUp) {
            return cancel(job, gaveUp.status(), nowMs);
        }
        TaskRetry.Resent resent = (TaskRetry.Resent) round;
        BackupJob after = job.toBuilder().tasks(resent.tasks(), resent.touched()).build(true);
        List<BackupEffect> effects = new ArrayList<>();
        effects.add(new BackupEffect.Persist(after));
        if (!resent.batches().isEmpty()) {
            effects.add(new BackupEffect.SendTasks(resent.batches()));
            effects.add(new BackupEffect.Publish(EventKind.TASK_RETRY, job.state(), job.state(), resent.event()));
        }
        for (PendingTask task : resent.locating()) {
            // The catalog answer got lost (or is late): ask again.
            effects.add(new BackupEffect.LocateTablet(task.signature(),
                    job.tablets().get(task.tabletIds().get(0)).tablet().ref()));
        }
        return new Transition(after, effects);
    }

    /** The agent task of a pending one, rebuilt from the tablets it carries. */
    private static AgentWork.Task agentTask(BackupJob job, PendingTask task) {
        if (task.kind() == AgentWork.Kind.MAKE_SNAPSHOT) {
            return snapshotTask(job, task.signature(), job.tablets().get(task.tabletIds().get(0)).tablet());
        }
        Map<String, String> srcDest = new LinkedHashMap<>();
        for (long id : task.tabletIds()) {
            TabletProgress t = job.tablets().get(id);
            TabletRef ref = t.tablet().ref();
            srcDest.put(t.snapshotPath() + "/" + ref.getTabletId() + "/" + ref.getSchemaHash(), remoteTabletDir(job, ref));
        }
        return new AgentWork.Upload(task.signature(), srcDest, task.tabletIds());
    }

    private static AgentWork.Snapshot snapshotTask(BackupJob job, long signature, BackupPlan.PlannedTablet tablet) {
        return new AgentWork.Snapshot(signature, tablet.ref(), tablet.version(), Math.max(1, job.timeoutMs() / 1000));
    }

    /**
     * TABLET_MISSING: the node does not have the tablet. Whether its table or partition was dropped (or truncated)
     * or another replica holds it is the catalog's to say, so the shell is asked (Doris's handleTabletMissing).
     */
    private Transition tabletMissing(BackupJob job, PendingTask task, BackupInput.SnapshotFinished input) {
        if (task.status() == PendingTask.Status.LOCATING) {
            return unchanged(job); // a duplicate report while the shell looks
        }
        String error = input.statusName() + (input.errors() == null || input.errors().isEmpty() ? ""
                : ": " + String.join(",", input.errors()));
        BackupJob after = job.toBuilder().pending(task.withError(error).locating(input.nowMs()))
                .taskError(task.signature(), error).build(false);
        TabletRef ref = job.tablets().get(task.tabletIds().get(0)).tablet().ref();
        return new Transition(after, List.of(new BackupEffect.LocateTablet(task.signature(), ref),
                new BackupEffect.Publish(EventKind.TASK_ERROR, job.state(), job.state(), "tablet "
                        + ref.getTabletId() + " is missing on backend " + task.backendId() + ", locating it")));
    }

    /** The catalog's answer about a missing tablet: leave its table or partition out, or try another replica. */
    private Transition tabletLocated(BackupJob job, BackupInput.TabletLocated input) {
        PendingTask task = job.pendingTasks().get(input.signature());
        if (task == null || task.status() != PendingTask.Status.LOCATING) {
            return unchanged(job);
        }
        TabletProgress tablet = job.tablets().get(task.tabletIds().get(0));
        TabletRef ref = tablet.tablet().ref();
        if (!input.tableExists()) {
            String what = describeTable(job.plan(), ref.getTableId());
            BackupJob.Builder next = job.toBuilder().droppedTable(ref.getTableId()).droppedObject(what);
            return leaveOut(job, next, t -> t.getTableId() == ref.getTableId(), what + " dropped during backup",
                    input.nowMs());
        }
        if (!input.partitionExists()) {
            String what = describePartition(job.plan(), ref.getTableId(), ref.getPartitionId());
            BackupJob.Builder next = job.toBuilder().droppedPartition(ref.getTableId(), ref.getPartitionId())
                    .droppedObject(what);
            return leaveOut(job, next, t -> t.getTableId() == ref.getTableId()
                    && t.getPartitionId() == ref.getPartitionId(), what + " dropped or truncated during backup",
                    input.nowMs());
        }
        Set<Long> tried = new HashSet<>(tablet.triedBackendIds());
        tried.add(task.backendId());
        Optional<ReplicaInfo> replica = BackupPlanner.chooseReplica(input.replicas(), tablet.tablet().version(), tried);
        if (replica.isEmpty()) {
            return cancel(job, Status.of(Status.Code.NOT_FOUND,
                    "make snapshot failed, failed to get tablet, table will be dropped or truncated"), input.nowMs());
        }
        BackupJob.Builder next = job.toBuilder().done(task.signature());
        TabletProgress moved = tablet.movedTo(replica.get(), task.backendId());
        long signature = TaskSignatures.of(job.jobId(), next.nextSignatureSeq());
        next.tablet(moved).pending(retry.firstSend(signature, AgentWork.Kind.MAKE_SNAPSHOT,
                replica.get().backendId(), task.tabletIds(), input.nowMs()));
        BackupJob after = next.build(true);
        return new Transition(after, List.of(new BackupEffect.Persist(after),
                new BackupEffect.SendTasks(List.of(new AgentWork.Batch(replica.get().backendId(),
                        AgentWork.Kind.MAKE_SNAPSHOT, List.of(snapshotTask(after, signature, moved.tablet()))))),
                new BackupEffect.Publish(EventKind.TASK_ERROR, job.state(), job.state(), "tablet "
                        + ref.getTabletId() + " is snapshotted on backend " + replica.get().backendId()
                        + " instead of " + task.backendId())));
    }

    /** "table orders (id 123)", with the name the plan recorded. */
    static String describeTable(BackupPlan plan, long tableId) {
        return plan.tables().stream().filter(t -> t.id() == tableId).findFirst()
                .map(t -> "table " + t.name() + " (id " + tableId + ")").orElse("table " + tableId);
    }

    /** "partition p1 (id 9) of table orders (id 123)". */
    static String describePartition(BackupPlan plan, long tableId, long partitionId) {
        String partition = plan.tables().stream().filter(t -> t.id() == tableId)
                .flatMap(t -> t.partitions().stream()).filter(p -> p.id() == partitionId).findFirst()
                .map(p -> "partition " + p.name() + " (id " + partitionId + ")").orElse("partition " + partitionId);
        return partition + " of " + describeTable(plan, tableId);
    }

    /**
     * The tablets of a dropped table or partition leave the job: their tasks are forgotten, snapshots already made
     * of them are released, and the plan (hence the meta and job info files) no longer has them.
     */
    private Transition leaveOut(BackupJob job, BackupJob.Builder next, java.util.function.Predicate<TabletRef> gone,
            String why, long nowMs) {
        Map<Long, List<AgentWork.Task>> releases = new TreeMap<>();
        Set<Long> removed = new HashSet<>();
        job.tablets().values().stream().filter(t -> gone.test(t.tablet().ref()))
                .sorted(Comparator.comparingLong(TabletProgress::tabletId)).forEach(t -> {
                    removed.add(t.tabletId());
                    next.removeTablet(t.tabletId());
                    if (t.snapshotPath() != null) {
                        releases.computeIfAbsent(t.tablet().backendId(), b -> new ArrayList<>()).add(
                                new AgentWork.Release(TaskSignatures.of(job.jobId(), next.nextSignatureSeq()),
                                        t.tabletId(), t.snapshotPath()));
                    }
                });
        job.pendingTasks().values().stream().filter(p -> p.tabletIds().stream().anyMatch(removed::contains))
                .forEach(p -> next.done(p.signature()));
        BackupJob dropped = next.build(false);
        next.plan(PlanPruning.without(job.plan(), dropped.droppedTables(), dropped.droppedPartitions()));
        if (dropped.status().ok()) {
            // The job still succeeds; its status says what it no longer contains (SHOW BACKUP's Status column).
            next.status(Status.of(Status.Code.OK, "dropped during backup: "
                    + String.join("; ", dropped.droppedObjects())));
        }
        List<BackupEffect> effects = new ArrayList<>();
        effects.add(new BackupEffect.Publish(EventKind.TASK_ERROR, job.state(), job.state(), why + "; its "
                + removed.size() + " tablets are left out of the backup"));
        Transition advanced = advance(next, effects, nowMs);
        if (releases.isEmpty()) {
            return advanced;
        }
        List<BackupEffect> all = new ArrayList<>(advanced.effects());
        all.add(new BackupEffect.SendTasks(AgentWork.batches(releases, AgentWork.Kind.RELEASE_SNAPSHOT)));
        return new Transition(advanced.job(), all);
    }

    /**
     * Moves through the states that need no outside answer, as far as the job's tasks and the hold allow; always
     * persists the result.
     */
    private Transition advance(BackupJob.Builder next, List<BackupEffect> effects, long nowMs) {
        sendSnapshotWindow(next.build(false), next, effects, nowMs);
        sendUploadWindow(next.build(false), next, effects, nowMs);
        BackupJob job = next.build(false);
        BackupState from = job.state();
        if (job.state() == BackupState.SNAPSHOTING && job.pendingTasks().isEmpty()
                && !job.holds().holds(BackupState.SNAPSHOTING)) {
            next.snapshotFinishedTimeMs(nowMs);
            moveTo(next, BackupState.UPLOAD_SNAPSHOT, from, effects);
            from = BackupState.UPLOAD_SNAPSHOT;
            job = next.build(false);
        }
        if (job.state() == BackupState.UPLOAD_SNAPSHOT && !job.holds().holds(BackupState.UPLOAD_SNAPSHOT)) {
            if (job.reusesRepositoryFiles()) {
                // The uploads wait for SeedFromBase's answer (re-asked by the tick if it gets lost).
                next.lastInfoAttemptMs(nowMs);
                BackupJob after = next.build(true);
                effects.add(new BackupEffect.Persist(after));
                effects.add(new BackupEffect.SeedFromBase(after));
                return new Transition(after, effects);
            }
            sendUploads(job, next, effects, nowMs);
            from = BackupState.UPLOADING;
            job = next.build(false);
        }
        if (job.state() == BackupState.UPLOADING && job.pendingTasks().isEmpty()
                && !job.holds().holds(BackupState.UPLOADING)) {
            next.uploadFinishedTimeMs(nowMs);
            moveTo(next, BackupState.SAVE_META, from, effects);
            boolean saveNow = !next.build(false).holds().holds(BackupState.SAVE_META);
            // A held save is done by the tick once the hold is gone (an attempt time of -1 makes it due at once).
            next.lastInfoAttemptMs(saveNow ? nowMs : -1);
            BackupJob after = next.build(true);
            effects.add(new BackupEffect.Persist(after));
            if (saveNow) {
                effects.add(new BackupEffect.SaveMeta(after));
            }
            return new Transition(after, effects);
        }
        BackupJob after = next.build(true);
        effects.add(new BackupEffect.Persist(after));
        return new Transition(after, effects);
    }

    /** UPLOAD_SNAPSHOT's end: the job is UPLOADING and the first window of UPLOAD tasks goes out. */
    private void sendUploads(BackupJob job, BackupJob.Builder next, List<BackupEffect> effects, long nowMs) {
        int sendAt = effects.size(); // the tasks go out before the state change is published, as they always have
        moveTo(next, BackupState.UPLOADING, BackupState.UPLOAD_SNAPSHOT, effects);
        List<BackupEffect> sent = new ArrayList<>();
        sendUploadWindow(next.build(false), next, sent, nowMs);
        effects.addAll(sendAt, sent);
    }

    /**
     * UPLOADING's tasks: per backend, {@code uploadBatchSize} tablets each (ascending ids), for at most
     * {@code snapshotTaskWindow} tablets awaited at once, taken in plan order; once half the window has finished, the
     * next ones go out, as in SNAPSHOTING (100 000 UPLOAD tasks of a million tablets, each naming its files, would not
     * fit the heap at once). A job within the window sends them all at once, as Doris does. None for a keep-on-local
     * repository.
     */
    private void sendUploadWindow(BackupJob job, BackupJob.Builder next, List<BackupEffect> effects, long nowMs) {
        if (job.state() != BackupState.UPLOADING || job.repository().getStorageType() == StorageType.KEEP_ON_LOCAL
                || job.plan() == null) {
            return;
        }
        int window = settings.snapshotTaskWindow();
        int awaited = job.tasks().taskOfTablet().size();
        int unsent = job.counts().snapshotted() - job.counts().uploaded() - awaited;
        if (unsent <= 0 || awaited > window / 2) {
            return;
        }
        Map<Long, List<AgentWork.Task>> tasks = new TreeMap<>();
        AgentWork.perBackend(withoutTask(job, TabletProgress.Phase.SNAPSHOT_DONE, window - awaited),
                t -> t.tablet().backendId(), TabletProgress::tabletId, settings.uploadBatchSize())
                .forEach((backend, slices) -> slices.forEach(slice -> {
                    Map<String, String> srcDest = new LinkedHashMap<>();
                    List<Long> ids = new ArrayList<>();
                    for (TabletProgress t : slice) {
                        TabletRef ref = t.tablet().ref();
                        srcDest.put(t.snapshotPath() + "/" + ref.getTabletId() + "/" + ref.getSchemaHash(),
                                remoteTabletDir(job, ref));
                        ids.add(ref.getTabletId());
                    }
                    long signature = TaskSignatures.of(job.jobId(), next.nextSignatureSeq());
                    tasks.computeIfAbsent(backend, b -> new ArrayList<>())
                            .add(new AgentWork.Upload(signature, srcDest, ids));
                    next.pending(retry.firstSend(signature, AgentWork.Kind.UPLOAD, backend, ids, nowMs));
                }));
        if (!tasks.isEmpty()) {
            effects.add(new BackupEffect.SendTasks(AgentWork.batches(tasks, AgentWork.Kind.UPLOAD)));
        }
    }

    /** The repository dir of a tablet: {@code <location>/__palo_repository_<repo>/__ss_<label>/__ss_content/...}. */
    public static String remoteTabletDir(BackupJob job, TabletRef ref) {
        return RepositoryDirs.tabletDir(job.repository(), job.label(), ref);
    }

    /** RELEASE_SNAPSHOT for every snapshot the job made; sent and forgotten, as Doris does. */
    private static List<AgentWork.Batch> releases(BackupJob job, BackupJob.Builder next) {
        Map<Long, List<AgentWork.Task>> byBackend = new TreeMap<>();
        job.tablets().values().stream().filter(t -> t.snapshotPath() != null)
                .sorted(Comparator.comparingLong(TabletProgress::tabletId))
                .forEach(t -> byBackend.computeIfAbsent(t.tablet().backendId(), b -> new ArrayList<>())
                        .add(new AgentWork.Release(TaskSignatures.of(job.jobId(), next.nextSignatureSeq()),
                                t.tabletId(), t.snapshotPath())));
        return AgentWork.batches(byBackend, AgentWork.Kind.RELEASE_SNAPSHOT);
    }

    private Transition cancel(BackupJob job, Status status, long nowMs) {
        BackupJob.Builder next = job.toBuilder();
        List<BackupEffect> effects = new ArrayList<>();
        List<AgentWork.Batch> releases = releases(job, next);
        job.pendingTasks().keySet().forEach(next::done);
        next.state(BackupState.CANCELLED).status(status).finishedTimeMs(nowMs);
        BackupJob after = next.build(true);
        effects.add(new BackupEffect.Persist(after));
        if (!releases.isEmpty()) {
            effects.add(new BackupEffect.SendTasks(releases));
        }
        if (job.localJobDir() != null) {
            effects.add(new BackupEffect.DeleteLocalFiles(job.localJobDir()));
        }
        effects.add(new BackupEffect.Publish(EventKind.CANCELLED, job.state(), BackupState.CANCELLED,
                status.toString()));
        return new Transition(after, effects);
    }

    /**
     * A task failed: the error is shown and the task is sent again under a new signature after its backoff, or the
     * job is cancelled once the task was sent {@code maxTaskAttempts} times ({@link TaskRetry#failed}).
     */
    private Transition taskFailed(BackupJob job, PendingTask task, String statusName, List<String> errors,
            long nowMs) {
        TaskRetry.Round round = retry.failed(job.tasks(), task, statusName, errors, nowMs);
        if (round instanceof TaskRetry.GaveUp gaveUp) {
            return cancel(job, gaveUp.status(), nowMs);
        }
        if (!(round instanceof TaskRetry.FailedOnce failed)) {
            return unchanged(job); // the same failure reported again, or a late report while locating
        }
        BackupJob after = job.toBuilder().tasks(failed.tasks(), List.of(failed.task())).build(false);
        return new Transition(after, List.of(new BackupEffect.Publish(EventKind.TASK_ERROR, job.state(),
                job.state(), failed.event())));
    }

    private static void moveTo(BackupJob.Builder next, BackupState to, BackupState from, List<BackupEffect> effects) {
        next.state(to);
        effects.add(new BackupEffect.Publish(EventKind.STATE_CHANGED, from, to, ""));
    }

    private static List<String> stripChecksums(List<String> names) {
        return names.stream().map(n -> RepositoryLayout.parseChecksummed(n).map(ChecksummedName::name).orElse(n))
                .toList();
    }

    private static Transition unchanged(BackupJob job) {
        return new Transition(job, List.of());
    }
}
