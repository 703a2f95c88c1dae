package io.snapbus.jobs.restore;

import io.snapbus.jobs.engine.AgentWork;
import io.snapbus.jobs.engine.EventKind;
import java.util.List;

/** What the restore machine asks its shell to do; the core itself touches no broker, node, clock or catalog. */
public sealed interface RestoreEffect {
    /** Send these agent tasks (those the job still awaits once persisted). */
    record SendTasks(List<AgentWork.Batch> batches) implements RestoreEffect {}

    /** Persist the job (to the compacted restore-jobs topic). */
    record Persist(RestoreJob job) implements RestoreEffect {}

    /** Publish a job event; {@code from} null for none. */
    record Publish(EventKind kind, RestoreState from, RestoreState to, String message) implements RestoreEffect {}

    /**
     * Register the plan's new tables (state RESTORE) and new tablets in the catalog, existing tables to state RESTORE,
     * as one catalog change; answer CatalogPrepared or CatalogFailed. Idempotent: asked again after a crash.
     */
    record PrepareCatalog(RestoreJob job) implements RestoreEffect {}

    /**
     * Swap the restored partitions in as one catalog change (staged tables renamed, replaced partitions to the
     * recycle bin's erase path, versions at the backup's, states NORMAL); answer CatalogCommitted or CatalogFailed.
     * Idempotent.
     */
    record CommitCatalog(RestoreJob job) implements RestoreEffect {}

    /**
     * Undo what PrepareCatalog registered (created tables and tablets to the erase path, states back to NORMAL) as
     * one catalog change; answer CatalogUndone or CatalogFailed. Idempotent.
     */
    record UndoCatalog(RestoreJob job) implements RestoreEffect {}
}
