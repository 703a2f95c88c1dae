package io.snapbus.jobs.backup;

import io.snapbus.avro.TabletRef;
import io.snapbus.jobs.backup.BackupEffect.JobEventKind;
import io.snapbus.kafka.TaskSignatures;
import io.snapbus.repository.ChecksummedName;
import io.snapbus.repository.RepositoryLayout;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

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
    public record CancelOutcome(Transition transition, JobStatus status) {}

    private final BackupSettings settings;

    public BackupMachine(BackupSettings settings) {
        this.settings = settings;
    }

    /** A new job is persisted and announced before anything else happens. */
    public Transition start(BackupJob job) {
        return new Transition(job, List.of(new BackupEffect.Persist(job),
                new BackupEffect.Publish(JobEventKind.CREATED, null, BackupState.PENDING, "")));
    }

    public Transition apply(BackupJob job, BackupInput input) {
        if (job.isDone()) {
            return new Transition(job, List.of());
        }
        if (input.nowMs() - job.createTimeMs() > job.timeoutMs()) {
            return cancel(job, JobStatus.of(JobStatus.Code.TIMEOUT, ""), input.nowMs());
        }
        // Java 17 has no pattern switch: an instanceof chain over the sealed inputs, one branch each.
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
            return job.pendingTasks().containsKey(progress.signature())
                    ? new Transition(job.toBuilder().taskProgress(progress.signature(),
                            progress.finishedFiles() + "/" + progress.totalFiles()).build(false), List.of())
                    : unchanged(job);
        }
        if (input instanceof BackupInput.MetaSaved saved) {
            return job.state() == BackupState.SAVE_META ? metaSaved(job, saved) : unchanged(job);
        }
        if (input instanceof BackupInput.MetaSaveFailed failed) {
            return job.state() == BackupState.SAVE_META ? cancel(job, JobStatus.of(JobStatus.Code.COMMON_ERROR,
                    "failed to save meta info and job info file: " + failed.reason()), failed.nowMs())
                    : unchanged(job);
        }
        if (input instanceof BackupInput.InfoUploaded uploaded) {
            return job.state() == BackupState.UPLOAD_INFO ? infoUploaded(job, uploaded) : unchanged(job);
        }
        if (input instanceof BackupInput.InfoUploadFailed failed) {
            // Errors here are retried until the timeout, never cancel (Doris's rule for UPLOAD_INFO).
            return job.state() == BackupState.UPLOAD_INFO
                    ? new Transition(job, List.of(new BackupEffect.Publish(JobEventKind.TASK_ERROR, job.state(),
                            job.state(), "uploading meta and job info failed, retrying: " + failed.reason())))
                    : unchanged(job);
        }
        if (input instanceof BackupInput.Tick tick) {
            return tick(job, tick.nowMs());
        }
        BackupInput.Cancel cancel = (BackupInput.Cancel) input;
        return cancel(job, JobStatus.of(JobStatus.Code.COMMON_ERROR, "user cancelled"), cancel.nowMs());
    }

    /** A user's cancel: refused with Doris's message once the job is done. */
    public CancelOutcome cancelByUser(BackupJob job, long nowMs) {
        if (job.isDone()) {
            return new CancelOutcome(new Transition(job, List.of()), JobStatus.of(JobStatus.Code.COMMON_ERROR,
                    "Job with label " + job.label() + " can not be cancelled. state: " + job.state()));
        }
        return new CancelOutcome(apply(job, new BackupInput.Cancel(nowMs)), JobStatus.OK);
    }

    private Transition planned(BackupJob job, BackupInput.Planned input) {
        BackupPlan plan = input.plan();
        if (plan.tablets().size() > settings.maxTabletsPerJob()) {
            return cancel(job, JobStatus.of(JobStatus.Code.COMMON_ERROR, "too many tablets in backup job. expect: "
                    + settings.maxTabletsPerJob() + ", actual: " + plan.tablets().size()), input.nowMs());
        }
        BackupJob.Builder next = job.toBuilder().plan(plan);
        List<BackupEffect> effects = new ArrayList<>();
        Map<Long, TabletProgress> tablets = new HashMap<>();
        plan.tablets().forEach(t -> tablets.put(t.ref().getTabletId(), TabletProgress.pending(t)));
        next.tablets(tablets);
        if (job.request().content() == BackupRequest.Content.ALL) {
            long timeoutSeconds = Math.max(1, job.timeoutMs() / 1000);
            Map<Long, List<AgentWork.Task>> byBackend = new TreeMap<>();
            for (BackupPlan.PlannedTablet tablet : plan.tablets()) {
                long signature = TaskSignatures.of(job.jobId(), next.nextSignatureSeq());
                byBackend.computeIfAbsent(tablet.backendId(), b -> new ArrayList<>())
                        .add(new AgentWork.Snapshot(signature, tablet.ref(), tablet.version(), timeoutSeconds));
                next.pending(new PendingTask(signature, AgentWork.Kind.MAKE_SNAPSHOT, tablet.backendId(),
                        List.of(tablet.ref().getTabletId()), input.nowMs()));
            }
            effects.add(new BackupEffect.SendTasks(batches(byBackend, AgentWork.Kind.MAKE_SNAPSHOT)));
        }
        moveTo(next, BackupState.SNAPSHOTING, job.state(), effects);
        return advance(next, effects, input.nowMs());
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
                return cancel(job, JobStatus.of(JobStatus.Code.OLAP_VERSION_ALREADY_MERGED,
                        "make snapshot failed, version already merged"), input.nowMs());
            case TABLET_MISSING:
                return cancel(job, JobStatus.of(JobStatus.Code.NOT_FOUND,
                        "make snapshot failed, failed to get tablet, table will be dropped or truncated"),
                        input.nowMs());
            case NOT_IMPLEMENTED_ERROR:
                return cancel(job, JobStatus.of(JobStatus.Code.COMMON_ERROR,
                        "make snapshot failed, currently not support backup tablet with cooldowned remote data"),
                        input.nowMs());
            default:
                return taskFailed(job, input.signature(), input.statusName(), input.errors());
        }
        if (input.snapshotPath() == null || input.files() == null) {
            return taskFailed(job, input.signature(), "INTERNAL_ERROR",
                    List.of("snapshot report without snapshot path or files"));
        }
        long tabletId = task.tabletIds().get(0);
        BackupJob.Builder next = job.toBuilder()
                .tablet(job.tablets().get(tabletId).snapshotted(input.snapshotPath(), input.files()))
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
            return taskFailed(job, input.signature(), input.statusName(), input.errors());
        }
        if (input.tabletFiles() == null || input.tabletFiles().isEmpty()) {
            return taskFailed(job, input.signature(), "INTERNAL_ERROR", List.of("nothing is uploaded"));
        }
        BackupJob.Builder next = job.toBuilder();
        for (Map.Entry<Long, List<String>> entry : input.tabletFiles().entrySet()) {
            TabletProgress tablet = job.tablets().get(entry.getKey());
            if (tablet == null || !task.tabletIds().contains(entry.getKey())) {
                return taskFailed(job, input.signature(), "INTERNAL_ERROR",
                        List.of("upload reported tablet " + entry.getKey() + " which the task did not carry"));
            }
            List<String> uploaded = stripChecksums(entry.getValue());
            if (uploaded.size() != tablet.files().size() || !Set.copyOf(uploaded).equals(Set.copyOf(tablet.files()))) {
                return taskFailed(job, input.signature(), "INTERNAL_ERROR", List.of("upload of tablet "
                        + entry.getKey() + " has files " + uploaded + ", the snapshot has " + tablet.files()));
            }
            next.tablet(tablet.uploaded(entry.getValue()));
        }
        next.done(input.signature());
        return advance(next, new ArrayList<>(), input.nowMs());
    }

    private Transition metaSaved(BackupJob job, BackupInput.MetaSaved input) {
        BackupJob.Builder next = job.toBuilder().localJobDir(input.localDir()).lastInfoAttemptMs(input.nowMs());
        List<BackupEffect> effects = new ArrayList<>();
        List<AgentWork.Batch> releases = releases(job, next);
        if (!releases.isEmpty()) {
            effects.add(new BackupEffect.SendTasks(releases));
        }
        moveTo(next, BackupState.UPLOAD_INFO, job.state(), effects);
        BackupJob after = next.build(true);
        effects.add(new BackupEffect.Persist(after));
        effects.add(new BackupEffect.UploadInfo(after));
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
        effects.add(new BackupEffect.Publish(JobEventKind.FINISHED, job.state(), BackupState.FINISHED, ""));
        return new Transition(after, effects);
    }

    private Transition tick(BackupJob job, long nowMs) {
        if (job.state() == BackupState.UPLOAD_INFO && nowMs - job.lastInfoAttemptMs() >= settings.infoRetryIntervalMs()) {
            BackupJob after = job.toBuilder().lastInfoAttemptMs(nowMs).build(false);
            return new Transition(after, List.of(new BackupEffect.UploadInfo(after)));
        }
        return unchanged(job);
    }

    /** Moves through the states that need no outside answer, as far as the job's tasks allow. */
    private Transition advance(BackupJob.Builder next, List<BackupEffect> effects, long nowMs) {
        BackupJob job = next.build(false);
        BackupState from = job.state();
        if (job.state() == BackupState.SNAPSHOTING && job.pendingTasks().isEmpty()) {
            next.snapshotFinishedTimeMs(nowMs);
            moveTo(next, BackupState.UPLOAD_SNAPSHOT, from, effects);
            from = BackupState.UPLOAD_SNAPSHOT;
            List<AgentWork.Batch> uploads = uploads(next.build(false), next, nowMs);
            if (!uploads.isEmpty()) {
                effects.add(new BackupEffect.SendTasks(uploads));
            }
            moveTo(next, BackupState.UPLOADING, from, effects);
            from = BackupState.UPLOADING;
            job = next.build(false);
        }
        if (job.state() == BackupState.UPLOADING && job.pendingTasks().isEmpty()) {
            next.uploadFinishedTimeMs(nowMs);
            moveTo(next, BackupState.SAVE_META, from, effects);
            BackupJob after = next.build(true);
            effects.add(new BackupEffect.Persist(after));
            effects.add(new BackupEffect.SaveMeta(after));
            return new Transition(after, effects);
        }
        BackupJob after = next.build(true);
        effects.add(new BackupEffect.Persist(after));
        return new Transition(after, effects);
    }

    /** UPLOAD tasks: per backend, {@code uploadBatchSize} tablets each; none for a keep-on-local repository. */
    private List<AgentWork.Batch> uploads(BackupJob job, BackupJob.Builder next, long nowMs) {
        if (job.repository().getStorageType() == io.snapbus.avro.StorageType.KEEP_ON_LOCAL) {
            return List.of();
        }
        Map<Long, List<TabletProgress>> byBackend = job.tablets().values().stream()
                .filter(t -> t.phase() == TabletProgress.Phase.SNAPSHOT_DONE)
                .sorted(Comparator.comparingLong(TabletProgress::tabletId))
                .collect(Collectors.groupingBy(t -> t.tablet().backendId(), TreeMap::new, Collectors.toList()));
        Map<Long, List<AgentWork.Task>> tasks = new TreeMap<>();
        byBackend.forEach((backend, tablets) -> {
            for (int i = 0; i < tablets.size(); i += settings.uploadBatchSize()) {
                List<TabletProgress> slice = tablets.subList(i, Math.min(tablets.size(), i + settings.uploadBatchSize()));
                Map<String, String> srcDest = new LinkedHashMap<>();
                List<Long> ids = new ArrayList<>();
                for (TabletProgress t : slice) {
                    TabletRef ref = t.tablet().ref();
                    srcDest.put(t.snapshotPath() + "/" + ref.getTabletId() + "/" + ref.getSchemaHash(),
                            remoteTabletDir(job, ref));
                    ids.add(ref.getTabletId());
                }
                long signature = TaskSignatures.of(job.jobId(), next.nextSignatureSeq());
                tasks.computeIfAbsent(backend, b -> new ArrayList<>()).add(new AgentWork.Upload(signature, srcDest, ids));
                next.pending(new PendingTask(signature, AgentWork.Kind.UPLOAD, backend, ids, nowMs));
            }
        });
        return batches(tasks, AgentWork.Kind.UPLOAD);
    }

    /** The repository dir of a tablet: {@code <location>/__palo_repository_<repo>/__ss_<label>/__ss_content/...}. */
    public static String remoteTabletDir(BackupJob job, TabletRef ref) {
        String location = job.repository().getLocation();
        String root = location.endsWith("/") ? location.substring(0, location.length() - 1) : location;
        return root + "/" + RepositoryLayout.tabletDir(job.repository().getName(), job.label(), ref.getDbId(),
                ref.getTableId(), ref.getPartitionId(), ref.getIndexId(), ref.getTabletId());
    }

    /** RELEASE_SNAPSHOT for every snapshot the job made; sent and forgotten, as Doris does. */
    private static List<AgentWork.Batch> releases(BackupJob job, BackupJob.Builder next) {
        Map<Long, List<AgentWork.Task>> byBackend = new TreeMap<>();
        job.tablets().values().stream().filter(t -> t.snapshotPath() != null)
                .sorted(Comparator.comparingLong(TabletProgress::tabletId))
                .forEach(t -> byBackend.computeIfAbsent(t.tablet().backendId(), b -> new ArrayList<>())
                        .add(new AgentWork.Release(TaskSignatures.of(job.jobId(), next.nextSignatureSeq()),
                                t.tabletId(), t.snapshotPath())));
        return batches(byBackend, AgentWork.Kind.RELEASE_SNAPSHOT);
    }

    private Transition cancel(BackupJob job, JobStatus status, long nowMs) {
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
        effects.add(new BackupEffect.Publish(JobEventKind.CANCELLED, job.state(), BackupState.CANCELLED,
                status.toString()));
        return new Transition(after, effects);
    }

    /** A task failed in a way the job waits out (Doris keeps waiting and shows the error). */
    private Transition taskFailed(BackupJob job, long signature, String statusName, List<String> errors) {
        String message = statusName + (errors == null || errors.isEmpty() ? "" : ": " + String.join(",", errors));
        BackupJob after = job.toBuilder().taskError(signature, message).build(false);
        return new Transition(after, List.of(new BackupEffect.Publish(JobEventKind.TASK_ERROR, job.state(),
                job.state(), "task " + signature + " failed: " + message)));
    }

    private static void moveTo(BackupJob.Builder next, BackupState to, BackupState from, List<BackupEffect> effects) {
        next.state(to);
        effects.add(new BackupEffect.Publish(JobEventKind.STATE_CHANGED, from, to, ""));
    }

    private static List<AgentWork.Batch> batches(Map<Long, List<AgentWork.Task>> byBackend, AgentWork.Kind kind) {
        List<AgentWork.Batch> batches = new ArrayList<>();
        byBackend.forEach((backend, tasks) -> batches.add(new AgentWork.Batch(backend, kind, tasks)));
        return batches;
    }

    private static List<String> stripChecksums(List<String> names) {
        return names.stream().map(n -> RepositoryLayout.parseChecksummed(n).map(ChecksummedName::name).orElse(n))
                .toList();
    }

    private static Transition unchanged(BackupJob job) {
        return new Transition(job, List.of());
    }
}
