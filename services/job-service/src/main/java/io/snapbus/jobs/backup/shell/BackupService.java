package io.snapbus.jobs.backup.shell;

import io.snapbus.avro.JobEvent;
import io.snapbus.avro.RepositoryDef;
import io.snapbus.avro.RepositoryRef;
import io.snapbus.avro.StorageType;
import io.snapbus.avro.TaskResult;
import io.snapbus.jobs.StartupOrder;
import io.snapbus.jobs.backup.BackupEffect;
import io.snapbus.jobs.backup.BackupInput;
import io.snapbus.jobs.backup.BackupJob;
import io.snapbus.jobs.backup.BackupMachine;
import io.snapbus.jobs.backup.BackupPlanner;
import io.snapbus.jobs.backup.BackupRequest;
import io.snapbus.jobs.backup.BackupRequestException;
import io.snapbus.jobs.backup.BackupState;
import io.snapbus.jobs.backup.KeepOnLocal;
import io.snapbus.jobs.catalog.CatalogView;
import io.snapbus.jobs.engine.DebugHolds;
import io.snapbus.jobs.engine.Status;
import io.snapbus.jobs.engine.shell.JobCommits;
import io.snapbus.jobs.observe.JobMdc;
import io.snapbus.jobs.engine.shell.JobEventPublisher;
import io.snapbus.jobs.engine.shell.JobLoops;
import io.snapbus.jobs.engine.shell.JobPauses;
import io.snapbus.jobs.engine.shell.RepositoryOpener;
import io.snapbus.jobs.engine.shell.ResultIntake;
import io.snapbus.jobs.engine.shell.TasksRunningListener;
import io.snapbus.jobs.task.TaskGateway;
import io.snapbus.kafka.KafkaClients;
import io.snapbus.kafka.SnapbusTopic;
import io.snapbus.kafka.TopicCatalogue;
import io.snapbus.kafka.TopicsProvisioning;
import io.snapbus.repository.RepositoryLayout;
import io.snapbus.repository.RepositoryStorage;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.avro.specific.SpecificRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * The backup jobs' loop: one thread owns every job and applies inputs to it in order (requests, task results in group
 * commits, catalog answers, ticks). A transition is appended to the {@link BackupJobLog} before anything else
 * happens; only once the topic acknowledged it does SHOW BACKUP show it and do its effects run
 * ({@link BackupEffectRunner}). A state the topic did not take keeps its effects waiting, and the newest state is
 * appended again on every tick until it is taken.
 */
public class BackupService implements AutoCloseable, SmartLifecycle, TasksRunningListener {
    private static final Logger log = LoggerFactory.getLogger(BackupService.class);
    /** The longest resumed jobs wait for the results that were on task-results at start before timers run. */
    static final long BACKLOG_WAIT_MS = 60_000;

    private final CatalogView catalog;
    private final TaskGateway gateway;
    private final RepositoryOpener repositories;
    private final BackupProperties properties;
    private final BackupMachine machine;
    private final JobPauses<BackupState> pauses;
    /** When this service started: a backlog of results not delivered by then is waited for no longer. */
    private final long startedMs = System.currentTimeMillis();
    private final KafkaClients clients;
    private final BackupJobLog jobLog;
    private final JobEventPublisher<BackupJob> events;
    private final BackupEffectRunner effects;
    private final ResultIntake<BackupInput> intake;
    /** The backup-jobs topic read while the rest of the service is built; {@link #resume()} takes it. */
    private CompletableFuture<Map<Long, BackupJob>> replay;
    private volatile boolean running;
    /** Every job in its newest state, and in its newest persisted one (what SHOW BACKUP shows). */
    private final JobCommits<BackupJob, BackupEffect> commits;
    private final ExecutorService loop = Executors.newSingleThreadExecutor(JobLoops.threads("backup-jobs"));
    private final ExecutorService ioPool = Executors.newFixedThreadPool(2, JobLoops.threads("backup-io"));
    /** Stores the files an incremental backup reuses, many tablets at once (S3 copies one request per file). */
    private final ExecutorService reusePool = Executors.newFixedThreadPool(8, JobLoops.threads("backup-reuse"));
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(JobLoops.threads("backup-tick"));

    public BackupService(CatalogView catalog, TaskGateway gateway, KafkaTemplate<String, SpecificRecord> kafka,
            TopicCatalogue topics, RepositoryOpener repositories, BackupProperties properties, KafkaClients clients,
            JobPauses<BackupState> pauses, TopicsProvisioning provisioning) {
        this.catalog = catalog;
        this.gateway = gateway;
        this.repositories = repositories;
        this.properties = properties;
        this.machine = new BackupMachine(properties.settings());
        this.pauses = pauses;
        pauses.onChange(changed -> loop.execute(this::announceHolds));
        this.clients = clients;
        this.jobLog = new BackupJobLog(kafka, topics.name(SnapbusTopic.BACKUP_JOBS), properties.persistTimeout());
        this.events = new JobEventPublisher<>(kafka, topics.name(SnapbusTopic.JOB_EVENTS),
                properties.progressEventInterval(), new BackupEvents());
        this.effects = new BackupEffectRunner(gateway, events, catalog, repositories,
                new BaseSeeding(repositories, reusePool), properties.workDir(), JobMdc.propagating(ioPool),
                (jobId, input) -> loop.execute(() -> step(jobId, input)));
        this.intake = new ResultIntake<>(loop, ticker, properties.commitInterval(), BackupResults::toInput,
                this::applyResults);
        this.commits = new JobCommits<>("backup", jobLog.log(), e -> e instanceof BackupEffect.Persist persist
                ? persist.job() : null, effects::run, events, j -> j.state().name(), BackupJob::retired);
        // Only this service writes backup-jobs, and not before start(): the end the replay reads to is the end then.
        this.replay = provisioning.thenRead("replay-backup-jobs",
                () -> BackupJobReplay.replayKept(clients, topics.name(SnapbusTopic.BACKUP_JOBS)));
    }

    /**
     * Resumes the jobs of the backup-jobs topic once the catalog is replayed (a later lifecycle phase than the
     * catalog's: a PENDING job is planned against it), before the task-results consumer starts (so every result
     * finds its job's listener) and before the REST API answers.
     */
    @Override
    public void start() {
        onLoop(() -> {
            resume();
            return null;
        });
        long tick = properties.tickInterval().toMillis();
        ticker.scheduleWithFixedDelay(this::tickAll, tick, tick, TimeUnit.MILLISECONDS);
        running = true;
    }

    @Override
    public void stop() {
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return StartupOrder.JOBS; // after the catalog, before the task-results consumer
    }

    /**
     * Checks a backup request as Doris's BackupHandler does, plans it (PENDING's catalog reads) and starts it. A
     * refused request ({@link BackupRequestException}) creates nothing, nor does one whose job the topic does not take.
     */
    public BackupJob submit(BackupRequest request) {
        return onLoop(() -> {
            validate(request);
            RepositoryRef repository = repository(request.repositoryName());
            BackupPlanner.Outcome outcome = BackupPlanner.plan(request, repository, catalog);
            if (!outcome.ok()) {
                Status failure = outcome.failure();
                throw failure.code() == Status.Code.NOT_FOUND
                        ? BackupRequestException.notFound("NOT_FOUND", failure.message())
                        : BackupRequestException.invalid(failure.message());
            }
            requireNewLabel(request, repository);
            long now = System.currentTimeMillis();
            BackupJob job = BackupJob.created(catalog.nextId(), request, repository, now);
            BackupMachine.Transition start = machine.start(job);
            if (!commits.created(job, j -> gateway.register(j.jobId(), result -> onResult(j.jobId(), result)))) {
                throw BackupRequestException.unavailable("backup job " + job.jobId() + " could not be persisted to "
                        + "backup-jobs; nothing was started, try again");
            }
            log.info("backup job {} ({}) created for {} tablets", job.jobId(), job.label(),
                    outcome.plan().tablets().size());
            effects.run(job, start.effects().stream().filter(e -> !(e instanceof BackupEffect.Persist)).toList(), job);
            DebugHolds<BackupState> holds = pauses.holdsFor(job.label());
            if (!holds.equals(DebugHolds.none())) {
                step(job.jobId(), new BackupInput.HoldsChanged(holds, now));
            }
            if (machine.holdsPending(commits.current(job.jobId()))) {
                return job; // planned again by a tick once the hold is gone
            }
            step(job.jobId(), new BackupInput.Planned(outcome.plan(), now));
            return commits.shown(job.jobId()).orElse(job);
        });
    }

    /**
     * Rebuilds every job from the backup-jobs topic and resumes the unfinished ones where they were: their awaited
     * tasks are awaited again (results published meanwhile are still on task-results), SAVE_META and UPLOAD_INFO
     * are redone (both idempotent), a job caught before planning is planned now. A job persisted before an ALTER
     * REPOSITORY reached it first takes the catalog's newer revision, so nothing it sends carries the old one.
     */
    private void resume() {
        long started = System.nanoTime();
        Map<Long, BackupJob> replayed = replay != null ? TopicsProvisioning.join(replay) : jobLog.replay(clients);
        replay = null;
        int resumed = 0;
        replayed.values().forEach(commits::replayed);
        commits.all().stream().filter(j -> !j.isDone()).map(j -> j.repository().getName()).distinct().toList()
                .forEach(name -> catalog.repository(name).ifPresent(def -> alterJobsOf(def.getRef())));
        for (BackupJob restored : replayed.values()) {
            long jobId = restored.jobId();
            BackupJob job = commits.current(jobId);
            if (!job.isDone()) {
                resumed++;
                commits.registered(job, gateway.register(jobId, result -> onResult(jobId, result)));
                log.info("backup job {} ({}) resumed in {} with {} tasks awaited", jobId, job.label(), job.state(),
                        job.pendingTasks().size());
                if (job.state() == BackupState.PENDING) {
                    plan(job, System.currentTimeMillis());
                } else {
                    effects.redoAfterRestart(job);
                }
            }
        }
        log.info("replayed {} backup jobs, {} resumed, in {} ms", replayed.size(), resumed,
                (System.nanoTime() - started) / 1_000_000);
    }

    /**
     * A node reports the signatures it holds: every unfinished job hears which of them are its own (the signature
     * carries the job), none at all included, so a task the node no longer names is known lost when it comes due.
     */
    @Override
    public void tasksRunning(long backendId, Set<Long> signatures) {
        long now = System.currentTimeMillis();
        commits.tasksRunning(signatures, (job, own) -> loop.execute(() -> step(job.jobId(),
                new BackupInput.TasksRunning(backendId, own, now))));
    }

    /** PENDING's catalog reads for a job that was not planned at submission (held, or caught by a restart). */
    private void plan(BackupJob job, long now) {
        BackupPlanner.Outcome outcome = BackupPlanner.plan(job.request(), job.repository(), catalog);
        step(job.jobId(), outcome.ok() ? new BackupInput.Planned(outcome.plan(), now)
                : new BackupInput.PlanFailed(outcome.failure(), now));
    }

    /** The jobs of a database as SHOW BACKUP shows them: each in its newest persisted state. */
    public List<BackupJob> jobs(String dbName) {
        return commits.shown(j -> j.request().dbName().equals(dbName));
    }

    /** The job as it stands, as the first event of its event stream; empty when there is no such job. */
    public Optional<JobEvent> currentEvent(long jobId) {
        return job(jobId).map(job -> events.current(job, System.currentTimeMillis()));
    }

    public Optional<BackupJob> job(long jobId) {
        return commits.shown(jobId);
    }

    /**
     * Why the job's newest state is not persisted yet (the topic refused it since then); empty when it is. Its
     * tasks and events wait meanwhile.
     */
    public Optional<String> unpersistedSince(long jobId) {
        return commits.unpersistedSince(jobId, "backup-jobs");
    }

    /** A user's cancel; refused (with Doris's message) when the job is already done. */
    public Status cancel(long jobId) {
        return onLoop(() -> {
            BackupJob job = commits.current(jobId);
            if (job == null) {
                throw BackupRequestException.notFound("NOT_FOUND", "backup job " + jobId + " does not exist");
            }
            BackupMachine.CancelOutcome outcome = machine.cancelByUser(job, System.currentTimeMillis());
            if (outcome.status().ok()) {
                commit(List.of(outcome.transition()));
            }
            return outcome.status();
        });
    }

    /**
     * ALTER REPOSITORY (Doris's updateRepo): every unfinished job on that repository (same id) continues with the new
     * revision; returns once the jobs took it.
     */
    public void repositoryAltered(RepositoryRef repository) {
        onLoop(() -> {
            alterJobsOf(repository);
            return null;
        });
    }

    private void alterJobsOf(RepositoryRef repository) {
        long now = System.currentTimeMillis();
        List<BackupJob> affected = commits.all().stream().filter(j -> !j.isDone()
                        && j.repository().getRepoId() == repository.getRepoId()
                        && j.repository().getName().equals(repository.getName())
                        && j.repository().getRevision() < repository.getRevision())
                .sorted(Comparator.comparingLong(BackupJob::jobId)).toList();
        for (BackupJob job : affected) {
            log.info("backup job {} ({}) in {}: repository {} altered from revision {} to {}", job.jobId(),
                    job.label(), job.state(), repository.getName(), job.repository().getRevision(),
                    repository.getRevision());
            step(job.jobId(), new BackupInput.RepositoryAltered(repository, now));
        }
    }

    /** The checks that need the catalog and the running jobs; the request's own shape was checked by the API. */
    private void validate(BackupRequest request) {
        var db = catalog.database(request.dbName()).orElseThrow(() -> BackupRequestException.notFound("UNKNOWN_DATABASE",
                "Unknown database '" + request.dbName() + "'"));
        for (BackupRequest.TableRequest table : request.tables()) {
            requireTable(db.getId(), table);
        }
        // Concurrent jobs are allowed when their tables do not overlap (Doris allows one per database).
        for (BackupJob other : commits.all()) {
            if (other.isDone() || !other.request().dbName().equals(request.dbName())) {
                continue;
            }
            for (BackupRequest.TableRequest table : request.tables()) {
                boolean shared = other.request().tables().stream().anyMatch(t -> t.name().equals(table.name()));
                if (shared) {
                    throw BackupRequestException.conflict("Table " + table.name() + " is already being backed up by job "
                            + other.jobId() + " (" + other.label() + ", " + other.state()
                            + "); concurrent backups must not share tables");
                }
            }
        }
    }

    /** BackupHandler's checks: the table exists, named partitions exist and are not temporary. */
    private void requireTable(long dbId, BackupRequest.TableRequest table) {
        var olap = catalog.table(dbId, table.name());
        if (olap.isEmpty()) {
            if (catalog.view(dbId, table.name()).isEmpty() && catalog.odbcTable(dbId, table.name()).isEmpty()) {
                throw BackupRequestException.notFound("UNKNOWN_TABLE", "Unknown table '" + table.name() + "'");
            }
            return;
        }
        var partitions = catalog.partitions(olap.get().getId());
        for (String name : table.partitions()) {
            var partition = partitions.stream().filter(p -> p.getName().equals(name)).findFirst()
                    .orElseThrow(() -> BackupRequestException.notFound("UNKNOWN_PARTITION", "Unknown partition " + name
                            + " in table " + table.name()));
            if (partition.getTemporary()) {
                throw BackupRequestException.invalid("Do not support backup temp partitions");
            }
        }
    }

    private RepositoryRef repository(String name) {
        if (KeepOnLocal.isReserved(name)) {
            return KeepOnLocal.repository();
        }
        RepositoryDef repository = catalog.repository(name).orElseThrow(() -> BackupRequestException.notFound(
                "UNKNOWN_REPOSITORY", "Repository " + name + " does not exist"));
        if (repository.getRef().getReadOnly()) {
            throw BackupRequestException.invalid("Repository " + name + " is read only");
        }
        return repository.getRef();
    }

    /** A label names a dir of the repository: it must be new there and among running jobs. */
    private void requireNewLabel(BackupRequest request, RepositoryRef repository) {
        boolean taken = commits.all().stream().anyMatch(j -> j.repository().getName().equals(repository.getName())
                && j.label().equals(request.label()) && j.state() != BackupState.CANCELLED);
        if (!taken && repository.getStorageType() != StorageType.KEEP_ON_LOCAL) {
            try (RepositoryStorage storage = repositories.open(repository)) {
                taken = storage.listDirs(RepositoryLayout.repoDir(repository.getName()))
                        .contains(RepositoryLayout.PREFIX_SNAPSHOT_DIR + request.label());
            }
        }
        if (taken) {
            throw BackupRequestException.conflict("Snapshot with name '" + request.label() + "' already exist in repository");
        }
    }

    private void onResult(long jobId, TaskResult result) {
        long now = System.currentTimeMillis();
        commits.resultArrived(jobId, result, now);
        intake.add(jobId, result, now);
    }

    /** Every job in its newest persisted state (what SHOW shows), for the jobs-by-state gauge. */
    public List<BackupJob> jobs() {
        return commits.shown(j -> true);
    }

    /** A group commit of task results ({@link JobCommits#applyAll}). */
    private void applyResults(List<ResultIntake.Queued<BackupInput>> results) {
        commits.applyAll(results, (job, input) -> step(machine.apply(job, input)));
    }

    private void tickAll() {
        long now = System.currentTimeMillis();
        events.resendFailed();
        // States the topic refused are appended again first: the topic may take them now.
        loop.execute(commits::retryRefused);
        // A FINISHED keep-on-local job is ticked too, until its expired snapshot is released.
        commits.all().stream().filter(j -> !j.isDone() || j.holdsLocalSnapshot())
                .forEach(j -> loop.execute(() -> tick(j.jobId(), now)));
    }

    private void tick(long jobId, long now) {
        if (!gateway.backlogDelivered().isDone() && now - startedMs < BACKLOG_WAIT_MS) {
            // Results that waited on task-results while no job-service ran are still coming in: a task whose result
            // is among them is not one to re-send, so no timer runs until they are all here.
            return;
        }
        // Results already here first: a task whose result waits in the queue is not one to re-send.
        intake.drainAll();
        if (commits.waiting(jobId)) {
            // No timer of a job runs while its state waits for the topic: a task whose send waits too would be
            // "re-sent" (attempts spent on sends that never left) and its stale send would follow the new one.
            return;
        }
        BackupJob job = commits.current(jobId);
        if (job.state() == BackupState.PENDING && !machine.holdsPending(job)) {
            plan(job, now);
        } else {
            step(jobId, new BackupInput.Tick(now));
        }
    }

    /** Hands every unfinished job the debug points that now apply to it; a released job moves on at once. */
    private void announceHolds() {
        long now = System.currentTimeMillis();
        for (BackupJob job : commits.all()) {
            DebugHolds<BackupState> holds = pauses.holdsFor(job.label());
            if (!job.isDone() && !holds.equals(job.holds())) {
                step(job.jobId(), new BackupInput.HoldsChanged(holds, now));
                tick(job.jobId(), now);
            }
        }
    }

    private BackupJob step(long jobId, BackupInput input) {
        BackupJob job = commits.current(jobId);
        if (job == null) {
            return null;
        }
        BackupMachine.Transition transition = machine.apply(job, input);
        commit(List.of(transition));
        return transition.job();
    }

    /** Commits consecutive transitions of one job ({@link JobCommits}: persisted before their effects run). */
    private void commit(List<BackupMachine.Transition> transitions) {
        commits.commit(transitions.stream().map(t -> step(t)).toList());
    }

    private static JobCommits.Step<BackupJob, BackupEffect> step(BackupMachine.Transition t) {
        return new JobCommits.Step<>(t.job(), t.effects());
    }

    private <T> T onLoop(Callable<T> action) {
        return JobLoops.call(loop, action);
    }

    @Override
    public void close() {
        ticker.shutdownNow();
        loop.shutdownNow();
        ioPool.shutdownNow();
        reusePool.shutdownNow();
    }
}
