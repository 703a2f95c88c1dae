package io.snapbus.jobs.restore.shell;

import io.snapbus.avro.JobEvent;
import io.snapbus.avro.RepositoryDef;
import io.snapbus.avro.RepositoryRef;
import io.snapbus.avro.TaskResult;
import io.snapbus.jobs.StartupOrder;
import io.snapbus.jobs.backup.KeepOnLocal;
import io.snapbus.jobs.catalog.CatalogView;
import io.snapbus.jobs.engine.DebugHolds;
import io.snapbus.jobs.engine.Status;
import io.snapbus.jobs.engine.shell.JobCommits;
import io.snapbus.jobs.engine.shell.JobEventPublisher;
import io.snapbus.jobs.engine.shell.JobLog;
import io.snapbus.jobs.engine.shell.JobLoops;
import io.snapbus.jobs.engine.shell.JobPauses;
import io.snapbus.jobs.engine.shell.RepositoryOpener;
import io.snapbus.jobs.engine.shell.ResultIntake;
import io.snapbus.jobs.engine.shell.TasksRunningListener;
import io.snapbus.jobs.restore.RestoreEffect;
import io.snapbus.jobs.restore.RestoreInput;
import io.snapbus.jobs.restore.RestoreJob;
import io.snapbus.jobs.restore.RestoreMachine;
import io.snapbus.jobs.restore.RestorePlan;
import io.snapbus.jobs.restore.RestorePlanner;
import io.snapbus.jobs.restore.RestoreReplicas;
import io.snapbus.jobs.restore.RestoreRequest;
import io.snapbus.jobs.restore.RestoreRequestException;
import io.snapbus.jobs.restore.RestoreState;
import io.snapbus.jobs.restore.SnapshotInfo;
import io.snapbus.jobs.task.TaskGateway;
import io.snapbus.kafka.TopicsProvisioning;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * The restore jobs' loop, beside the backup jobs' on the same engine: one thread owns every restore job and applies
 * inputs to it in order (requests, task results in group commits, catalog answers, ticks). A transition is persisted
 * to restore-jobs before its effects run ({@link JobCommits}); a restarted service replays the topic and every job
 * goes on from its last persisted state.
 */
public class RestoreService implements AutoCloseable, SmartLifecycle, TasksRunningListener {
    private static final Logger log = LoggerFactory.getLogger(RestoreService.class);
    /** The longest resumed jobs wait for the results that were on task-results at start before timers run. */
    static final long BACKLOG_WAIT_MS = 60_000;

    private final CatalogView catalog;
    private final TaskGateway gateway;
    private final SnapshotReader snapshots;
    private final RestoreProperties properties;
    private final RestoreMachine machine;
    private final JobPauses<RestoreState> pauses;
    private final long startedMs = System.currentTimeMillis();
    private final JobEventPublisher<RestoreJob> events;
    private final RestoreEffectRunner effects;
    private final ResultIntake<RestoreInput> intake;
    private final JobCommits<RestoreJob, RestoreEffect> commits;
    private final String topic;
    /** The restore-jobs topic read while the rest of the service is built; {@link #start()} takes it. */
    private CompletableFuture<Map<Long, RestoreJob>> replay;
    private volatile boolean running;
    private final ExecutorService loop = Executors.newSingleThreadExecutor(JobLoops.threads("restore-jobs"));
    private final ExecutorService catalogThread = Executors.newSingleThreadExecutor(JobLoops.threads("restore-catalog"));
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(JobLoops.threads("restore-tick"));

    /**
     * @param jobLog  the restore-jobs topic as the jobs' log
     * @param replay  the topic read back: every job in its last persisted state (started before {@link #start()})
     * @param changes the catalog changes a restore makes
     */
    public RestoreService(CatalogView catalog, TaskGateway gateway, JobLog<RestoreJob, ?> jobLog,
            CompletableFuture<Map<Long, RestoreJob>> replay, JobEventPublisher<RestoreJob> events,
            RepositoryOpener repositories, RestoreProperties properties,
            JobPauses<RestoreState> pauses, RestoreCatalogChanges changes) {
        this.catalog = catalog;
        this.gateway = gateway;
        this.snapshots = new SnapshotReader(repositories);
        this.properties = properties;
        this.machine = new RestoreMachine(properties.settings());
        this.pauses = pauses;
        pauses.onChange(changed -> loop.execute(this::announceHolds));
        this.events = events;
        this.topic = jobLog.topic();
        this.effects = new RestoreEffectRunner(gateway, events, catalog, changes, catalogThread,
                (jobId, input) -> loop.execute(() -> step(jobId, input)));
        this.intake = new ResultIntake<>(loop, ticker, properties.commitInterval(), RestoreResults::toInput,
                this::applyResults);
        this.commits = new JobCommits<>("restore", jobLog, e -> e instanceof RestoreEffect.Persist persist
                ? persist.job() : null, effects::run, events, j -> j.state().name()
                + (j.commitStep() == null ? "" : "/" + j.commitStep()), RestoreJob::retired);
        this.replay = replay;
    }

    /** Resumes the jobs of restore-jobs once the catalog is replayed, before task results are consumed. */
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
     * RESTORE SNAPSHOT: reads the snapshot's job info and meta, checks the request against them and the catalog with
     * Doris's rules and messages, plans it and starts it. A refused request ({@link RestoreRequestException}) changes
     * nothing and creates no job.
     */
    public RestoreJob submit(RestoreRequest request) {
        return onLoop(() -> {
            RepositoryRef repository = repository(request.repositoryName());
            catalog.database(request.dbName()).orElseThrow(() -> RestoreRequestException.notFound(
                    "Unknown database '" + request.dbName() + "'"));
            long now = System.currentTimeMillis();
            RestoreInput.Planned planned = planned(request, repository, now);
            RestorePlan plan = planned.plan();
            requireNoConflict(request.dbName(), plan);
            RestoreJob job = RestoreJob.created(catalog.nextId(), request, repository, now);
            RestoreMachine.Transition start = machine.start(job);
            if (!commits.created(job, j -> gateway.register(j.jobId(), result -> onResult(j.jobId(), result)))) {
                throw RestoreRequestException.unavailable("restore job " + job.jobId() + " could not be persisted to "
                        + topic + "; nothing was started, try again");
            }
            log.info("restore job {} ({}) created: {} tables, {} replicas", job.jobId(), job.label(),
                    plan.tables().size(), plan.replicaCount());
            effects.run(job, start.effects().stream().filter(e -> !(e instanceof RestoreEffect.Persist)).toList(),
                    job);
            DebugHolds<RestoreState> holds = pauses.holdsFor(job.label());
            if (!holds.equals(DebugHolds.none())) {
                step(job.jobId(), new RestoreInput.HoldsChanged(holds, now));
            }
            if (machine.holdsPending(commits.current(job.jobId()))) {
                return job; // planned again by a tick once the hold is gone
            }
            step(job.jobId(), planned);
            return commits.shown(job.jobId()).orElse(job);
        });
    }

    /** PENDING's reads: the snapshot's job info and meta, and the plan against the catalog as it is now. */
    private RestoreInput.Planned planned(RestoreRequest request, RepositoryRef repository, long now) {
        SnapshotReader.Snapshot snapshot = snapshots.read(repository, request.label(),
                request.options().backupTimestamp(), request.options().metaVersion());
        RestorePlan plan = new RestorePlanner(catalog, catalog::nextId).plan(request, snapshot.info(),
                snapshot.meta());
        return new RestoreInput.Planned(plan, RestoreReplicas.of(plan, snapshot.info()),
                snapshot.info().content() == SnapshotInfo.Content.METADATA_ONLY, now);
    }

    /** A restore may not touch a table another unfinished restore of the database is restoring. */
    private void requireNoConflict(String dbName, RestorePlan plan) {
        for (RestoreJob other : commits.all()) {
            if (other.isDone() || !other.request().dbName().equals(dbName) || other.plan() == null) {
                continue;
            }
            for (RestorePlan.TablePlan table : plan.tables()) {
                boolean shared = other.plan().tables().stream().anyMatch(t -> t.targetName().equals(table.targetName())
                        || t.target().getName().equals(table.target().getName()));
                if (shared) {
                    throw RestoreRequestException.conflict("Table " + table.target().getName()
                            + " is already being restored by job " + other.jobId() + " (" + other.label() + ", "
                            + other.state() + ")");
                }
            }
        }
    }

    private RepositoryRef repository(String name) {
        if (KeepOnLocal.isReserved(name)) {
            throw RestoreRequestException.invalid("restore from the local repo via SQL call is not supported");
        }
        RepositoryDef repository = catalog.repository(name).orElseThrow(() -> RestoreRequestException.notFound(
                "Repository " + name + " does not exist"));
        return repository.getRef();
    }

    /** PENDING's reads for a job that was not planned at submission (held, or caught by a restart). */
    private void plan(RestoreJob job, long now) {
        RestoreInput input;
        try {
            input = planned(job.request(), job.repository(), now);
        } catch (RestoreRequestException e) {
            input = new RestoreInput.PlanFailed(Status.of(e.kind() == RestoreRequestException.Kind.NOT_FOUND
                    ? Status.Code.NOT_FOUND : Status.Code.COMMON_ERROR, e.getMessage()), now);
        }
        step(job.jobId(), input);
    }

    /**
     * Rebuilds every job from restore-jobs and resumes the unfinished ones where they were: awaited tasks are awaited
     * again (results published meanwhile are still on task-results), a catalog change whose answer was lost is asked
     * for again by the tick, and a job caught before planning is planned now.
     */
    private void resume() {
        long started = System.nanoTime();
        Map<Long, RestoreJob> replayed = TopicsProvisioning.join(replay);
        replay = null;
        replayed.values().forEach(commits::replayed);
        int resumed = 0;
        for (RestoreJob job : replayed.values()) {
            if (job.isDone()) {
                continue;
            }
            resumed++;
            long jobId = job.jobId();
            commits.registered(job, gateway.register(jobId, result -> onResult(jobId, result)));
            log.info("restore job {} ({}) resumed in {} with {} tasks awaited", jobId, job.label(), job.state(),
                    job.tasks().pending().size());
            if (job.state() == RestoreState.PENDING && job.plan() == null) {
                plan(job, System.currentTimeMillis());
            }
        }
        log.info("replayed {} restore jobs, {} resumed, in {} ms", replayed.size(), resumed,
                (System.nanoTime() - started) / 1_000_000);
    }

    /** A node reports the signatures it holds: every unfinished job hears which are its own. */
    @Override
    public void tasksRunning(long backendId, Set<Long> signatures) {
        long now = System.currentTimeMillis();
        commits.tasksRunning(signatures, (job, own) -> loop.execute(() -> step(job.jobId(),
                new RestoreInput.TasksRunning(backendId, own, now))));
    }

    /** The jobs of a database as SHOW RESTORE shows them: each in its newest persisted state. */
    public List<RestoreJob> jobs(String dbName) {
        return commits.shown(j -> j.request().dbName().equals(dbName));
    }

    /** The job as it stands, as the first event of its event stream; empty when there is no such job. */
    public Optional<JobEvent> currentEvent(long jobId) {
        return job(jobId).map(job -> events.current(job, System.currentTimeMillis()));
    }

    public Optional<RestoreJob> job(long jobId) {
        return commits.shown(jobId);
    }

    /** Why the job's newest state is not persisted yet; empty when it is. */
    public Optional<String> unpersistedSince(long jobId) {
        return commits.unpersistedSince(jobId, topic);
    }

    /** CANCEL RESTORE of one job; refused (with Doris's message) when it is done or swapping in. */
    public Status cancel(long jobId) {
        return onLoop(() -> {
            RestoreJob job = commits.current(jobId);
            if (job == null) {
                throw RestoreRequestException.notFound("restore job " + jobId + " does not exist");
            }
            RestoreMachine.CancelOutcome outcome = machine.cancelByUser(job, System.currentTimeMillis());
            if (outcome.status().ok()) {
                commit(List.of(outcome.transition()));
            }
            return outcome.status();
        });
    }

    /** CANCEL RESTORE FROM db: the database's unfinished restore jobs. */
    public List<Long> running(String dbName) {
        return commits.all().stream().filter(j -> !j.isDone() && j.request().dbName().equals(dbName))
                .map(RestoreJob::jobId).sorted().toList();
    }

    private void onResult(long jobId, TaskResult result) {
        long now = System.currentTimeMillis();
        commits.resultArrived(jobId, result, now);
        intake.add(jobId, result, now);
    }

    /** Every job in its newest persisted state (what SHOW shows), for the jobs-by-state gauge. */
    public List<RestoreJob> jobs() {
        return commits.shown(j -> true);
    }

    /** A group commit: applies the results in arrival order, then commits each job's transitions at once. */
    private void applyResults(List<ResultIntake.Queued<RestoreInput>> results) {
        commits.applyAll(results, (job, input) -> step(machine.apply(job, input)));
    }

    private void tickAll() {
        long now = System.currentTimeMillis();
        events.resendFailed();
        loop.execute(commits::retryRefused);
        // A cancelled job is ticked until its catalog undo is taken.
        commits.all().stream().filter(j -> !j.isDone() || !j.catalogUndone())
                .forEach(j -> loop.execute(() -> tick(j.jobId(), now)));
    }

    private void tick(long jobId, long now) {
        if (!gateway.backlogDelivered().isDone() && now - startedMs < BACKLOG_WAIT_MS) {
            return; // results that waited on task-results while no job-service ran are still coming in
        }
        intake.drainAll();
        if (commits.waiting(jobId)) {
            return; // no timer of a job runs while its state waits for the topic
        }
        RestoreJob job = commits.current(jobId);
        if (job.state() == RestoreState.PENDING && job.plan() == null && !machine.holdsPending(job)) {
            plan(job, now);
        } else {
            step(jobId, new RestoreInput.Tick(now));
        }
    }

    /** Hands every unfinished job the debug points that now apply to it; a released job moves on at once. */
    private void announceHolds() {
        long now = System.currentTimeMillis();
        for (RestoreJob job : commits.all()) {
            DebugHolds<RestoreState> holds = pauses.holdsFor(job.label());
            if (!job.isDone() && !holds.equals(job.holds())) {
                step(job.jobId(), new RestoreInput.HoldsChanged(holds, now));
                tick(job.jobId(), now);
            }
        }
    }

    private void step(long jobId, RestoreInput input) {
        RestoreJob job = commits.current(jobId);
        if (job != null) {
            commit(List.of(machine.apply(job, input)));
        }
    }

    private void commit(List<RestoreMachine.Transition> transitions) {
        commits.commit(transitions.stream().map(t -> step(t)).toList());
    }

    private static JobCommits.Step<RestoreJob, RestoreEffect> step(RestoreMachine.Transition t) {
        return new JobCommits.Step<>(t.job(), t.effects());
    }

    private <T> T onLoop(Callable<T> action) {
        return JobLoops.call(loop, action);
    }

    @Override
    public void close() {
        ticker.shutdownNow();
        loop.shutdownNow();
        catalogThread.shutdownNow();
    }
}
