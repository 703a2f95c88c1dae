package io.snapbus.jobs.restore.shell;

import io.snapbus.jobs.catalog.CatalogView;
import io.snapbus.jobs.engine.shell.JobEventPublisher;
import io.snapbus.jobs.engine.shell.TaskSender;
import io.snapbus.jobs.restore.RestoreEffect;
import io.snapbus.jobs.restore.RestoreInput;
import io.snapbus.jobs.restore.RestoreJob;
import io.snapbus.jobs.task.TaskGateway;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the effects of a persisted restore transition, except the persist itself: agent tasks, events and the three
 * catalog changes. The catalog changes run one at a time, in order, off the loop ({@code catalogThread}), so an undo
 * never overtakes the prepare it undoes; each answers the job through {@code answer}. An effect that fails is logged
 * and the next still runs; the job's retries redo what it should have done.
 */
final class RestoreEffectRunner {
    private static final Logger log = LoggerFactory.getLogger(RestoreEffectRunner.class);

    private final TaskSender tasks;
    private final JobEventPublisher<RestoreJob> events;
    private final CatalogView catalog;
    private final RestoreCatalogChanges changes;
    private final Executor catalogThread;
    private final BiConsumer<Long, RestoreInput> answer;

    RestoreEffectRunner(TaskGateway gateway, JobEventPublisher<RestoreJob> events, CatalogView catalog,
            RestoreCatalogChanges changes, Executor catalogThread, BiConsumer<Long, RestoreInput> answer) {
        this.tasks = new TaskSender(gateway, "restore");
        this.events = events;
        this.catalog = catalog;
        this.changes = changes;
        this.catalogThread = catalogThread;
        this.answer = answer;
    }

    /** Runs a transition's effects; {@code current} is the job as just persisted, whose awaited tasks are sent. */
    void run(RestoreJob job, List<RestoreEffect> effects, RestoreJob current) {
        for (RestoreEffect effect : effects) {
            try {
                run(job, effect, current);
            } catch (RuntimeException e) {
                log.error("restore job {} ({}): effect {} failed; the job's retries redo it: {}", job.jobId(),
                        job.label(), effect.getClass().getSimpleName(), String.valueOf(e), e);
            }
        }
    }

    private void run(RestoreJob job, RestoreEffect effect, RestoreJob current) {
        long now = System.currentTimeMillis();
        if (effect instanceof RestoreEffect.SendTasks send) {
            tasks.send(job.jobId(), current.tasks(), send.batches(), task -> RestoreAgentTasks.task(job, task), now);
        } else if (effect instanceof RestoreEffect.Publish publish) {
            events.publish(job, publish.kind(), publish.from(), publish.to(), publish.message(), now);
        } else if (effect instanceof RestoreEffect.PrepareCatalog prepare) {
            change(prepare.job(), "registering the restored tables and tablets", false, (dbId, j) ->
                    changes.prepare(dbId, j.plan(), j.request().options()), RestoreInput.CatalogPrepared::new);
        } else if (effect instanceof RestoreEffect.CommitCatalog commit) {
            change(commit.job(), "swapping the restored partitions in", false, (dbId, j) ->
                    changes.commit(dbId, j.plan(), j.request().options(), System.currentTimeMillis()),
                    RestoreInput.CatalogCommitted::new);
        } else if (effect instanceof RestoreEffect.UndoCatalog undo) {
            change(undo.job(), "undoing the restore's catalog changes", true, (dbId, j) -> {
                if (dbId >= 0) { // a dropped database took what the job registered with it
                    changes.undo(dbId, j.plan(), System.currentTimeMillis());
                }
            }, RestoreInput.CatalogUndone::new);
        }
        // Persist is the loop's, before any of these.
    }

    private interface Change {
        void apply(long dbId, RestoreJob job);
    }

    private interface Done {
        RestoreInput at(long nowMs);
    }

    /** {@code withoutDatabase}: whether the change is done when the job's database is gone (an undo is). */
    private void change(RestoreJob job, String what, boolean withoutDatabase, Change change, Done done) {
        catalogThread.execute(() -> {
            RestoreInput outcome;
            try {
                var db = catalog.database(job.request().dbName());
                if (db.isEmpty() && !withoutDatabase) {
                    throw new CatalogRefusedException("database " + job.request().dbName() + " has been dropped");
                }
                change.apply(db.map(d -> d.getId()).orElse(-1L), job);
                outcome = done.at(System.currentTimeMillis());
            } catch (RuntimeException e) {
                boolean refused = e instanceof CatalogRefusedException;
                log.warn("restore job {} ({}): {} {}: {}", job.jobId(), job.label(), what,
                        refused ? "refused" : "failed", e.getMessage());
                outcome = new RestoreInput.CatalogFailed(e.getMessage() == null ? e.toString() : e.getMessage(),
                        refused, System.currentTimeMillis());
            }
            answer.accept(job.jobId(), outcome);
        });
    }
}
