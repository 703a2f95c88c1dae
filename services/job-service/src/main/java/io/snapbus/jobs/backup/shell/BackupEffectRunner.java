package io.snapbus.jobs.backup.shell;

import io.snapbus.avro.TabletRef;
import io.snapbus.jobs.backup.BackupEffect;
import io.snapbus.jobs.backup.BackupInput;
import io.snapbus.jobs.backup.BackupJob;
import io.snapbus.jobs.backup.BackupJobInfo;
import io.snapbus.jobs.backup.BackupMetaFile;
import io.snapbus.jobs.backup.ReplicaInfo;
import io.snapbus.jobs.catalog.CatalogView;
import io.snapbus.jobs.engine.shell.JobEventPublisher;
import io.snapbus.jobs.engine.shell.RepositoryOpener;
import io.snapbus.jobs.engine.shell.TaskSender;
import io.snapbus.jobs.task.TaskGateway;
import io.snapbus.repository.RepositoryLayout;
import io.snapbus.repository.RepositoryStorage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.BiConsumer;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the effects of a persisted transition, except the persist itself: agent tasks, events, the SAVE_META files,
 * the UPLOAD_INFO uploads, local clean-up and the catalog's answer to TABLET_MISSING. Effects that answer the job
 * (meta saved, info uploaded, tablet located) hand their input back through {@code answer}. Each effect runs on its
 * own: one that fails is logged and the next still runs; what it should have done is redone by the job's retries.
 */
final class BackupEffectRunner {
    private static final Logger log = LoggerFactory.getLogger(BackupEffectRunner.class);

    private final TaskSender tasks;
    private final JobEventPublisher<BackupJob> events;
    private final CatalogView catalog;
    private final RepositoryOpener repositories;
    private final BaseSeeding seeding;
    private final Path workDir;
    private final Executor io;
    private final BiConsumer<Long, BackupInput> answer;
    private final ZoneId zone = ZoneId.systemDefault();

    /**
     * @param io     where file and repository work runs (off the loop)
     * @param answer hands an input back to a job, on the loop
     */
    BackupEffectRunner(TaskGateway gateway, JobEventPublisher<BackupJob> events, CatalogView catalog,
            RepositoryOpener repositories, BaseSeeding seeding, Path workDir, Executor io,
            BiConsumer<Long, BackupInput> answer) {
        this.tasks = new TaskSender(gateway, "backup");
        this.events = events;
        this.catalog = catalog;
        this.repositories = repositories;
        this.seeding = seeding;
        this.workDir = workDir.toAbsolutePath();
        this.io = io;
        this.answer = answer;
    }

    /**
     * Runs a transition's effects; {@code current} is the job as just persisted (newer than {@code job} when the
     * transition's effects waited for a later state), whose awaited tasks are the only ones still sent.
     */
    void run(BackupJob job, List<BackupEffect> effects, BackupJob current) {
        for (BackupEffect effect : effects) {
            try {
                if (effect instanceof BackupEffect.SendTasks send) {
                    long now = System.currentTimeMillis();
                    tasks.send(job.jobId(), current.tasks(), send.batches(), task -> AgentBatches.task(job, task),
                            now);
                    continue;
                }
                run(job, effect);
            } catch (RuntimeException e) {
                log.error("backup job {} ({}): effect {} failed; the job's retries redo it: {}", job.jobId(),
                        job.label(), effect.getClass().getSimpleName(), String.valueOf(e), e);
            }
        }
    }

    private void run(BackupJob job, BackupEffect effect) {
        long now = System.currentTimeMillis();
        if (effect instanceof BackupEffect.Publish publish) {
            events.publish(job, publish.kind(), publish.from(), publish.to(), publish.message(), now);
        } else if (effect instanceof BackupEffect.SeedFromBase seed) {
            seedFromBase(seed.job());
        } else if (effect instanceof BackupEffect.SaveMeta save) {
            saveMeta(save.job());
        } else if (effect instanceof BackupEffect.UploadInfo upload) {
            io.execute(() -> uploadInfo(upload.job()));
        } else if (effect instanceof BackupEffect.DeleteLocalFiles delete) {
            io.execute(() -> deleteTree(Path.of(delete.dir())));
        } else if (effect instanceof BackupEffect.LocateTablet locate) {
            locateTablet(job.jobId(), locate.signature(), locate.tablet());
        }
        // Persist is the loop's, before any of these; SendTasks is sent by run(job, effects, current).
    }

    /** What a job restored in UPLOAD_SNAPSHOT, SAVE_META or UPLOAD_INFO redoes (all idempotent). */
    void redoAfterRestart(BackupJob job) {
        switch (job.state()) {
            case UPLOAD_SNAPSHOT -> {
                if (job.reusesRepositoryFiles()) {
                    seedFromBase(job);
                }
            }
            case SAVE_META -> saveMeta(job);
            case UPLOAD_INFO -> io.execute(() -> uploadInfo(job));
            default -> { }
        }
    }

    private void seedFromBase(BackupJob job) {
        io.execute(() -> seeding.seed(job, System.currentTimeMillis())
                .ifPresent(seeded -> answer.accept(job.jobId(), seeded)));
    }

    /** TABLET_MISSING: where the tablet's table, partition and replicas are now, answered as TabletLocated. */
    private void locateTablet(long jobId, long signature, TabletRef ref) {
        boolean tableExists = catalog.table(ref.getTableId()).isPresent();
        boolean partitionExists = tableExists && catalog.partitions(ref.getTableId()).stream()
                .anyMatch(p -> p.getId() == ref.getPartitionId());
        List<ReplicaInfo> replicas = !partitionExists ? List.of()
                : catalog.tablets(ref.getPartitionId(), ref.getIndexId()).stream()
                        .filter(t -> t.getId() == ref.getTabletId())
                        .flatMap(t -> t.getReplicas().stream())
                        .map(r -> new ReplicaInfo(r.getId(), r.getBackendId(), r.getVersion(),
                                r.getLastFailedVersion()))
                        .toList();
        answer.accept(jobId, new BackupInput.TabletLocated(signature, tableExists, partitionExists, replicas,
                System.currentTimeMillis()));
    }

    /** SAVE_META: the meta and job info files, written where Doris writes them (repo__<id>/<label>__<time>). */
    private void saveMeta(BackupJob job) {
        String info = BackupJobInfo.fileName(job, zone);
        Path dir = workDir.resolve("backup").resolve("repo__" + job.repository().getRepoId()).resolve(job.label()
                + "__" + info.substring(RepositoryLayout.PREFIX_JOB_INFO.length()));
        BackupInput outcome;
        try {
            Files.createDirectories(dir);
            Files.write(dir.resolve(RepositoryLayout.META_FILE), BackupMetaFile.bytes(job));
            try (OutputStream out = Files.newOutputStream(dir.resolve(info))) {
                JobInfoFile.write(job, out);
            }
            outcome = new BackupInput.MetaSaved(dir.toString(), System.currentTimeMillis());
        } catch (IOException | RuntimeException e) {
            outcome = new BackupInput.MetaSaveFailed(String.valueOf(e.getMessage()), System.currentTimeMillis());
        }
        answer.accept(job.jobId(), outcome);
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
        answer.accept(job.jobId(), outcome);
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
}
