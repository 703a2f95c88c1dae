package io.snapbus.jobs.backup.shell;

import io.snapbus.avro.JobErrorCode;
import io.snapbus.avro.JobEvent;
import io.snapbus.avro.JobEventKind;
import io.snapbus.avro.JobProgress;
import io.snapbus.avro.RepositoryDef;
import io.snapbus.avro.RepositoryRef;
import io.snapbus.avro.StorageType;
import io.snapbus.avro.TaskFinished;
import io.snapbus.avro.TaskProgress;
import io.snapbus.avro.TaskResult;
import io.snapbus.jobs.backup.BackupEffect;
import io.snapbus.jobs.backup.BackupInput;
import io.snapbus.jobs.backup.BackupJob;
import io.snapbus.jobs.backup.BackupJobInfo;
import io.snapbus.jobs.backup.BackupMachine;
import io.snapbus.jobs.backup.BackupMetaFile;
import io.snapbus.jobs.backup.BackupPlanner;
import io.snapbus.jobs.backup.BackupRecords;
import io.snapbus.jobs.backup.BackupRecordsDelta;
import io.snapbus.jobs.backup.BackupRequest;
import io.snapbus.jobs.backup.BackupRequestException;
import io.snapbus.jobs.backup.BackupState;
import io.snapbus.jobs.backup.JobStatus;
import io.snapbus.jobs.backup.KeepOnLocal;
import io.snapbus.jobs.backup.StateHold;
import io.snapbus.jobs.backup.TabletProgress;
import io.snapbus.jobs.catalog.CatalogView;
import io.snapbus.jobs.task.TaskGateway;
import io.snapbus.kafka.KafkaClients;
import io.snapbus.kafka.SnapbusTopic;
import io.snapbus.kafka.TopicCatalogue;
import io.snapbus.repository.RepositoryLayout;
import io.snapbus.repository.RepositoryStorage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.apache.avro.specific.SpecificRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * The shell around the backup machine: one thread owns every job and applies inputs in order; effects go out to
 * Kafka (tasks, job state, events), to local files (SAVE_META) and to the repository (UPLOAD_INFO); task results
 * and a clock tick come back in as inputs.
 */
public class BackupService implements AutoCloseable, SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(BackupService.class);
    /** Room for the events of one persisted state in the event sequence. */
    private static final long EVENTS_PER_STATE = 1000;

    private final CatalogView catalog;
    private final TaskGateway gateway;
    private final KafkaTemplate<String, SpecificRecord> kafka;
    private final TopicCatalogue topics;
    private final RepositoryOpener repositories;
    private final BackupProperties properties;
    private final BackupMachine machine;
    private final KafkaClients clients;
    private volatile boolean running;
    private final ZoneId zone = ZoneId.systemDefault();
    private final Map<Long, BackupJob> jobs = new ConcurrentHashMap<>();
    /** Each job as the backup-jobs topic last acknowledged it (loop thread only); absent: persist it in full. */
    private final Map<Long, BackupJob> persisted = new HashMap<>();
    private final Map<Long, AtomicLong> eventSeqs = new ConcurrentHashMap<>();
    private final Map<Long, TaskGateway.Registration> registrations = new ConcurrentHashMap<>();
    private final ExecutorService loop = Executors.newSingleThreadExecutor(r -> thread(r, "backup-jobs"));
    private final ExecutorService ioPool = Executors.newFixedThreadPool(2, r -> thread(r, "backup-io"));
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(
            r -> thread(r, "backup-tick"));
    /** Task results not yet applied; the loop applies all of them at once and persists each job once (group commit). */
    private final java.util.concurrent.ConcurrentLinkedQueue<QueuedResult> results =
            new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final java.util.concurrent.atomic.AtomicBoolean drainScheduled =
            new java.util.concurrent.atomic.AtomicBoolean();
    /** Results one group commit applies at most, so a flood of them still lets ticks and requests in. */
    private static final int MAX_RESULTS_PER_COMMIT = 5000;

    /** When the last group commit began; the next waits until {@code commitInterval} has passed since. */
    private volatile long lastDrainNanos = System.nanoTime();

    private record QueuedResult(long jobId, BackupInput input) {}

    public BackupService(CatalogView catalog, TaskGateway gateway, KafkaTemplate<String, SpecificRecord> kafka,
            TopicCatalogue topics, RepositoryOpener repositories, BackupProperties properties, KafkaClients clients,
            StateHold hold) {
        this.catalog = catalog;
        this.gateway = gateway;
        this.kafka = kafka;
        this.topics = topics;
        this.repositories = repositories;
        this.properties = properties;
        this.machine = new BackupMachine(properties.settings(), hold);
        this.clients = clients;
    }

    /**
     * Resumes the jobs of the backup-jobs topic once the catalog is replayed (a later lifecycle phase than the
     * catalog's: a PENDING job is planned against it) and before the REST API answers.
     */
    @Override
    public void start() {
        onLoop(() -> {
            resume(clients);
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
        return 10; // after the catalog and the task-results consumer (phase 0)
    }

    /**
     * Checks a backup request as Doris's BackupHandler does, plans it (PENDING's catalog reads) and starts it.
     * Anything wrong is thrown as a BackupRequestException and creates nothing.
     */
    public BackupJob submit(BackupRequest request) {
        return onLoop(() -> {
            validate(request);
            RepositoryRef repository = repository(request.repositoryName());
            BackupPlanner.Outcome outcome = BackupPlanner.plan(request, repository, catalog);
            if (!outcome.ok()) {
                JobStatus failure = outcome.failure();
                throw failure.code() == JobStatus.Code.NOT_FOUND
                        ? BackupRequestException.notFound("NOT_FOUND", failure.message())
                        : BackupRequestException.invalid(failure.message());
            }
            requireNewLabel(request, repository);
            long now = System.currentTimeMillis();
            BackupJob job = BackupJob.created(catalog.nextId(), request, repository, now);
            registrations.put(job.jobId(), gateway.register(job.jobId(), result -> onResult(job.jobId(), result)));
            log.info("backup job {} ({}) created for {} tablets", job.jobId(), job.label(),
                    outcome.plan().tablets().size());
            apply(machine.start(job));
            if (machine.holdsPending(job)) {
                return job; // planned again by a tick once the hold is gone
            }
            return step(job.jobId(), new BackupInput.Planned(outcome.plan(), now));
        });
    }

    /**
     * Rebuilds every job from the backup-jobs topic and resumes the unfinished ones where they were: their awaited
     * tasks are awaited again (results published meanwhile are still on task-results), SAVE_META and UPLOAD_INFO
     * are redone (both idempotent), a job caught before planning is planned now. A job persisted before an ALTER
     * REPOSITORY reached it first takes the catalog's newer revision, so nothing it sends carries the old one.
     */
    private void resume(KafkaClients clients) {
        long started = System.nanoTime();
        Map<Long, BackupJob> replayed = BackupJobReplay.replay(clients, topics.name(SnapbusTopic.BACKUP_JOBS));
        int resumed = 0;
        for (BackupJob job : replayed.values()) {
            jobs.put(job.jobId(), job);
            eventSeqs.put(job.jobId(), new AtomicLong(job.stateSeq() * EVENTS_PER_STATE));
        }
        jobs.values().stream().filter(j -> !j.isDone()).map(j -> j.repository().getName()).distinct().toList()
                .forEach(name -> catalog.repository(name).ifPresent(def -> alterJobsOf(def.getRef())));
        for (BackupJob restored : replayed.values()) {
            long jobId = restored.jobId();
            BackupJob job = jobs.get(jobId);
            if (!job.isDone()) {
                resumed++;
                registrations.put(jobId, gateway.register(jobId, result -> onResult(jobId, result)));
                log.info("backup job {} ({}) resumed in {} with {} tasks awaited", jobId, job.label(), job.state(),
                        job.pendingTasks().size());
                continueAfterRestart(job);
            }
        }
        log.info("replayed {} backup jobs, {} resumed, in {} ms", replayed.size(), resumed,
                (System.nanoTime() - started) / 1_000_000);
    }

    private void continueAfterRestart(BackupJob job) {
        long now = System.currentTimeMillis();
        switch (job.state()) {
            case PENDING -> plan(job, now);
            case SAVE_META -> saveMeta(job);
            case UPLOAD_INFO -> ioPool.execute(() -> uploadInfo(job));
            default -> { }
        }
    }

    /**
     * A node reports the signatures it holds: every unfinished job hears which of them are its own (the signature
     * carries the job), none at all included, so a task the node no longer names is known lost when it comes due.
     */
    public void tasksRunning(long backendId, java.util.Set<Long> signatures) {
        long now = System.currentTimeMillis();
        Map<Long, java.util.Set<Long>> byJob = new HashMap<>();
        signatures.forEach(s -> byJob.computeIfAbsent(io.snapbus.kafka.TaskSignatures.owner(s),
                j -> new java.util.HashSet<>()).add(s));
        jobs.values().stream().filter(job -> !job.isDone()).forEach(job -> {
            java.util.Set<Long> own = byJob.getOrDefault(job.jobId(), java.util.Set.of());
            loop.execute(() -> step(job.jobId(), new BackupInput.TasksRunning(backendId, own, now)));
        });
    }

    /** PENDING's catalog reads for a job that was not planned at submission (held, or caught by a restart). */
    private void plan(BackupJob job, long now) {
        BackupPlanner.Outcome outcome = BackupPlanner.plan(job.request(), job.repository(), catalog);
        step(job.jobId(), outcome.ok() ? new BackupInput.Planned(outcome.plan(), now)
                : new BackupInput.PlanFailed(outcome.failure(), now));
    }

    public List<BackupJob> jobs(String dbName) {
        return jobs.values().stream().filter(j -> j.request().dbName().equals(dbName))
                .sorted(Comparator.comparingLong(BackupJob::jobId)).toList();
    }

    public Optional<BackupJob> job(long jobId) {
        return Optional.ofNullable(jobs.get(jobId));
    }

    /** A user's cancel; refused (with Doris's message) when the job is already done. */
    public JobStatus cancel(long jobId) {
        return onLoop(() -> {
            BackupJob job = jobs.get(jobId);
            if (job == null) {
                throw BackupRequestException.notFound("NOT_FOUND", "backup job " + jobId + " does not exist");
            }
            BackupMachine.CancelOutcome outcome = machine.cancelByUser(job, System.currentTimeMillis());
            if (outcome.status().ok()) {
                apply(outcome.transition());
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
        List<BackupJob> affected = jobs.values().stream().filter(j -> !j.isDone()
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
        var db = catalog.database(request.dbName()).orElseThrow(() -> BackupRequestException.notFound(
                "UNKNOWN_DATABASE", "Unknown database '" + request.dbName() + "'"));
        for (BackupRequest.TableRequest table : request.tables()) {
            requireTable(db.getId(), table);
        }
        // Concurrent jobs are allowed when their tables do not overlap (Doris allows one per database).
        for (BackupJob other : jobs.values()) {
            if (other.isDone() || !other.request().dbName().equals(request.dbName())) {
                continue;
            }
            for (BackupRequest.TableRequest table : request.tables()) {
                boolean shared = other.request().tables().stream().anyMatch(t -> t.name().equals(table.name()));
                if (shared) {
                    throw BackupRequestException.conflict("Table " + table.name()
                            + " is already being backed up by job " + other.jobId() + " (" + other.label() + ", "
                            + other.state() + "); concurrent backups must not share tables");
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
                    .orElseThrow(() -> BackupRequestException.notFound("UNKNOWN_PARTITION", "Unknown partition "
                            + name + " in table " + table.name()));
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
        boolean taken = jobs.values().stream().anyMatch(j -> j.repository().getName().equals(repository.getName())
                && j.label().equals(request.label()) && j.state() != BackupState.CANCELLED);
        if (!taken && repository.getStorageType() != StorageType.KEEP_ON_LOCAL) {
            try (RepositoryStorage storage = repositories.open(repository)) {
                taken = storage.listDirs(RepositoryLayout.repoDir(repository.getName()))
                        .contains(RepositoryLayout.PREFIX_SNAPSHOT_DIR + request.label());
            }
        }
        if (taken) {
            throw BackupRequestException.conflict("Snapshot with name '" + request.label()
                    + "' already exist in repository");
        }
    }

    private void onResult(long jobId, TaskResult result) {
        BackupInput input = toInput(result, System.currentTimeMillis());
        if (input != null) {
            results.add(new QueuedResult(jobId, input));
            if (drainScheduled.compareAndSet(false, true)) {
                long wait = properties.commitInterval().toNanos() - (System.nanoTime() - lastDrainNanos);
                if (wait <= 0) {
                    loop.execute(this::applyQueuedResults);
                } else {
                    ticker.schedule(() -> loop.execute(this::applyQueuedResults), wait, TimeUnit.NANOSECONDS);
                }
            }
        }
    }

    /**
     * Applies the queued task results in arrival order, then for each job persists the last of its new states once
     * (with every chunk any of them changed) before it shows the job and runs the transitions' other effects in
     * order. One persist per job and drain instead of one per result: at 300 000 tablets a result per tablet would
     * cost a synchronous chunk-and-header round trip each.
     */
    private void applyQueuedResults() {
        lastDrainNanos = System.nanoTime();
        drainScheduled.set(false);
        Map<Long, List<BackupMachine.Transition>> byJob = new java.util.LinkedHashMap<>();
        Map<Long, BackupJob> current = new HashMap<>();
        QueuedResult queued;
        int applied = 0;
        while (applied < MAX_RESULTS_PER_COMMIT && (queued = results.poll()) != null) {
            applied++;
            BackupJob job = current.getOrDefault(queued.jobId(), jobs.get(queued.jobId()));
            if (job == null) {
                continue;
            }
            BackupMachine.Transition transition = machine.apply(job, queued.input());
            current.put(job.jobId(), transition.job());
            byJob.computeIfAbsent(job.jobId(), id -> new ArrayList<>()).add(transition);
        }
        byJob.values().forEach(this::applyAll);
        if (!results.isEmpty() && drainScheduled.compareAndSet(false, true)) {
            loop.execute(this::applyQueuedResults);
        }
    }

    /** {@link #apply} for consecutive transitions of one job: one persist of the newest persisted state. */
    private void applyAll(List<BackupMachine.Transition> transitions) {
        if (transitions.size() == 1) {
            apply(transitions.get(0));
            return;
        }
        List<BackupJob> states = new ArrayList<>();
        transitions.forEach(t -> t.effects().stream().filter(BackupEffect.Persist.class::isInstance)
                .forEach(e -> states.add(((BackupEffect.Persist) e).job())));
        BackupJob last = transitions.get(transitions.size() - 1).job();
        BackupJob before = jobs.get(last.jobId());
        if (!states.isEmpty()) {
            BackupJob newest = states.get(states.size() - 1);
            persist(newest, BackupRecordsDelta.since(persisted.remove(newest.jobId()), states));
        }
        jobs.put(last.jobId(), last);
        if (before != null && before.state() != last.state()) {
            log.info("backup job {} ({}): {} -> {} {}", last.jobId(), last.label(), before.state(), last.state(),
                    last.status().ok() ? "" : last.status());
        }
        transitions.forEach(this::execute);
        if (last.isDone()) {
            Optional.ofNullable(registrations.remove(last.jobId())).ifPresent(r -> {
                try {
                    r.close();
                } catch (Exception e) {
                    log.debug("closing the result registration failed", e);
                }
            });
        }
    }

    static BackupInput toInput(TaskResult result, long now) {
        if (result.getEvent() instanceof TaskProgress progress) {
            return new BackupInput.Progress(result.getSignature(), progress.getFinishedNum(), progress.getTotalNum(),
                    now);
        }
        TaskFinished finished = (TaskFinished) result.getEvent();
        var status = finished.getStatus();
        switch (result.getTaskType()) {
            case MAKE_SNAPSHOT:
                return new BackupInput.SnapshotFinished(result.getSignature(), status.getCode(), status.getCodeName(),
                        status.getErrorMsgs(), finished.getSnapshotPath(), finished.getSnapshotFiles(), now);
            case UPLOAD:
                Map<Long, List<String>> files = new HashMap<>();
                if (finished.getTabletFiles() != null) {
                    finished.getTabletFiles().forEach((tablet, names) -> files.put(Long.parseLong(tablet), names));
                }
                return new BackupInput.UploadFinished(result.getSignature(), status.getCode(), status.getCodeName(),
                        status.getErrorMsgs(), files, now);
            default:
                return null; // RELEASE_SNAPSHOT is fire-and-forget, as in Doris
        }
    }

    private void tickAll() {
        long now = System.currentTimeMillis();
        // A FINISHED keep-on-local job is ticked too, until its expired snapshot is released.
        jobs.values().stream().filter(j -> !j.isDone() || j.holdsLocalSnapshot()).forEach(j -> loop.execute(() -> {
            // Results already here first: a task whose result waits in the queue is not one to re-send.
            while (!results.isEmpty()) {
                applyQueuedResults();
            }
            BackupJob job = jobs.get(j.jobId());
            if (job.state() == BackupState.PENDING && !machine.holdsPending(job)) {
                plan(job, now);
            } else {
                step(job.jobId(), new BackupInput.Tick(now));
            }
        }));
    }

    private BackupJob step(long jobId, BackupInput input) {
        BackupJob job = jobs.get(jobId);
        if (job == null) {
            return null;
        }
        BackupMachine.Transition transition = machine.apply(job, input);
        apply(transition);
        return transition.job();
    }

    /**
     * The new job is persisted first (its header is the commit point), then shown, then its other effects run: no
     * task goes out and no event is published for a state a crash could still lose, and a state SHOW BACKUP shows
     * survives a restart.
     */
    private void apply(BackupMachine.Transition transition) {
        BackupJob before = jobs.get(transition.job().jobId());
        transition.effects().stream().filter(BackupEffect.Persist.class::isInstance)
                .forEach(e -> persist(((BackupEffect.Persist) e).job()));
        jobs.put(transition.job().jobId(), transition.job());
        if (before != null && before.state() != transition.job().state()) {
            log.info("backup job {} ({}): {} -> {} {}", transition.job().jobId(), transition.job().label(),
                    before.state(), transition.job().state(), transition.job().status().ok() ? ""
                            : transition.job().status());
        }
        execute(transition);
        if (transition.job().isDone()) {
            Optional.ofNullable(registrations.remove(transition.job().jobId())).ifPresent(r -> {
                try {
                    r.close();
                } catch (Exception e) {
                    log.debug("closing the result registration failed", e);
                }
            });
        }
    }

    private void execute(BackupMachine.Transition transition) {
        for (BackupEffect effect : transition.effects()) {
            if (effect instanceof BackupEffect.SendTasks send) {
                long now = System.currentTimeMillis();
                send.batches().forEach(b -> gateway.send(AgentBatches.of(transition.job(), b, now)));
            } else if (effect instanceof BackupEffect.Publish publish) {
                publish(transition.job(), publish);
            } else if (effect instanceof BackupEffect.SaveMeta save) {
                saveMeta(save.job());
            } else if (effect instanceof BackupEffect.UploadInfo upload) {
                ioPool.execute(() -> uploadInfo(upload.job()));
            } else if (effect instanceof BackupEffect.DeleteLocalFiles delete) {
                ioPool.execute(() -> deleteTree(Path.of(delete.dir())));
            } else if (effect instanceof BackupEffect.LocateTablet locate) {
                locateTablet(transition.job().jobId(), locate);
            }
        }
    }

    /** TABLET_MISSING: where the tablet's table, partition and replicas are now, answered as TabletLocated. */
    private void locateTablet(long jobId, BackupEffect.LocateTablet locate) {
        try {
            locateTablet(jobId, locate.signature(), locate.tablet());
        } catch (RuntimeException e) {
            // The job asks again after its backoff.
            log.warn("backup job {}: locating tablet {} failed: {}", jobId, locate.tablet().getTabletId(),
                    e.getMessage());
        }
    }

    private void locateTablet(long jobId, long signature, io.snapbus.avro.TabletRef ref) {
        boolean tableExists = catalog.table(ref.getTableId()).isPresent();
        boolean partitionExists = tableExists && catalog.partitions(ref.getTableId()).stream()
                .anyMatch(p -> p.getId() == ref.getPartitionId());
        List<io.snapbus.jobs.backup.ReplicaInfo> replicas = !partitionExists ? List.of()
                : catalog.tablets(ref.getPartitionId(), ref.getIndexId()).stream()
                        .filter(t -> t.getId() == ref.getTabletId())
                        .flatMap(t -> t.getReplicas().stream())
                        .map(r -> new io.snapbus.jobs.backup.ReplicaInfo(r.getId(), r.getBackendId(), r.getVersion(),
                                r.getLastFailedVersion()))
                        .toList();
        BackupInput input = new BackupInput.TabletLocated(signature, tableExists, partitionExists, replicas,
                System.currentTimeMillis());
        loop.execute(() -> step(jobId, input));
    }

    /**
     * Writes what changed since the job's last successful persist (see BackupRecordsDelta): the chunks first, then,
     * once the broker has them all, the header that commits them. A failed persist forgets what the topic holds,
     * so the next transition persists the job again in full.
     */
    private void persist(BackupJob job) {
        persist(job, BackupRecordsDelta.since(persisted.remove(job.jobId()), job));
    }

    /** Writes {@code records} (chunks, then the header last) for {@code job}. */
    private void persist(BackupJob job, Map<String, io.snapbus.avro.BackupJobRecord> records) {
        String topic = topics.name(SnapbusTopic.BACKUP_JOBS);
        String headerKey = BackupRecords.headerKey(job.jobId());
        io.snapbus.avro.BackupJobRecord header = records.remove(headerKey);
        try {
            List<CompletableFuture<?>> sends = new ArrayList<>();
            records.forEach((key, record) -> sends.add(kafka.send(topic, key, record)));
            CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
            kafka.send(topic, headerKey, header).get(30, TimeUnit.SECONDS);
            if (!job.isDone()) {
                persisted.put(job.jobId(), job);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            // The in-memory job goes on; the next transition persists it again in full.
            log.error("backup job {}: persisting state {} failed: {}", job.jobId(), job.stateSeq(), e.getMessage());
        }
    }

    private void publish(BackupJob job, BackupEffect.Publish event) {
        // Numbered from the persisted state sequence, so events stay ordered across a restart of the service.
        long seq = eventSeqs.computeIfAbsent(job.jobId(), id -> new AtomicLong()).updateAndGet(
                current -> Math.max(current + 1, job.stateSeq() * EVENTS_PER_STATE));
        JobEvent record = JobEvent.newBuilder()
                .setEventId(job.jobId() + "-" + seq)
                .setJobId(job.jobId())
                .setJobType("BACKUP")
                .setLabel(job.label())
                .setDbName(job.request().dbName())
                .setRepositoryName(job.repository().getName())
                .setSeq(seq)
                .setTimestampMs(System.currentTimeMillis())
                .setKind(JobEventKind.valueOf(event.kind().name()))
                .setFromState(event.from() == null ? null : event.from().name())
                .setState(event.to().name())
                .setProgress(progress(job))
                .setStatus(job.status().ok() ? null : new io.snapbus.avro.JobStatus(
                        JobErrorCode.valueOf(job.status().code().name()), job.status().message()))
                .setMessage(event.message() == null ? "" : event.message())
                .build();
        kafka.send(topics.name(SnapbusTopic.JOB_EVENTS), Long.toString(job.jobId()), record);
    }

    static JobProgress progress(BackupJob job) {
        int total = job.tablets().size();
        return new JobProgress(job.counts().snapshotted(), total, job.counts().uploaded(), total, 0L, 0L);
    }

    /** SAVE_META: the meta and job info files, written where Doris writes them (repo__<id>/<label>__<time>). */
    private void saveMeta(BackupJob job) {
        String info = BackupJobInfo.fileName(job, zone);
        Path dir = properties.workDir().toAbsolutePath().resolve("backup").resolve("repo__"
                + job.repository().getRepoId()).resolve(job.label() + "__" + info.substring(
                        RepositoryLayout.PREFIX_JOB_INFO.length()));
        try {
            Files.createDirectories(dir);
            Files.write(dir.resolve(RepositoryLayout.META_FILE), BackupMetaFile.bytes(job));
            Files.writeString(dir.resolve(info), BackupJobInfo.json(job));
            loop.execute(() -> step(job.jobId(), new BackupInput.MetaSaved(dir.toString(),
                    System.currentTimeMillis())));
        } catch (IOException | RuntimeException e) {
            loop.execute(() -> step(job.jobId(), new BackupInput.MetaSaveFailed(String.valueOf(e.getMessage()),
                    System.currentTimeMillis())));
        }
    }

    /** UPLOAD_INFO: the meta file first, then the job info, both named after their md5. */
    private void uploadInfo(BackupJob job) {
        BackupInput outcome;
        try (RepositoryStorage storage = repositories.open(job.repository())) {
            Path dir = Path.of(job.localJobDir());
            String info = BackupJobInfo.fileName(job, zone);
            String snapshotDir = RepositoryLayout.snapshotDir(job.repository().getName(), job.label());
            String metaMd5 = storage.uploadWithChecksum(dir.resolve(RepositoryLayout.META_FILE),
                    snapshotDir + "/" + RepositoryLayout.META_FILE);
            String infoMd5 = storage.uploadWithChecksum(dir.resolve(info), snapshotDir + "/" + info);
            outcome = new BackupInput.InfoUploaded(RepositoryLayout.withChecksum(RepositoryLayout.META_FILE, metaMd5),
                    RepositoryLayout.withChecksum(info, infoMd5), System.currentTimeMillis());
        } catch (RuntimeException e) {
            log.warn("backup job {}: uploading meta and job info failed (retried): {}", job.jobId(), e.getMessage());
            outcome = new BackupInput.InfoUploadFailed(String.valueOf(e.getMessage()), System.currentTimeMillis());
        }
        BackupInput input = outcome;
        loop.execute(() -> step(job.jobId(), input));
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            log.warn("cannot delete {}: {}", root, e.getMessage());
        }
    }

    private <T> T onLoop(java.util.concurrent.Callable<T> action) {
        try {
            return loop.submit(action).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    private static Thread thread(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    @Override
    public void close() {
        ticker.shutdownNow();
        loop.shutdownNow();
        ioPool.shutdownNow();
    }
}
