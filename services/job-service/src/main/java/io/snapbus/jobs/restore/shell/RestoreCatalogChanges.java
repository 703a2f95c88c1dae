package io.snapbus.jobs.restore.shell;

import io.snapbus.jobs.restore.RestoreOptions;
import io.snapbus.jobs.restore.RestorePlan;

/**
 * The three catalog changes of a restore, each one atomic catalog change and idempotent (a resumed job asks again):
 * register what the plan creates, swap it in, or undo the registration. A refusal (nothing written, never will be)
 * throws {@link CatalogRefusedException} with the reason; any other exception is a write that may succeed later.
 */
interface RestoreCatalogChanges {
    void prepare(long dbId, RestorePlan plan, RestoreOptions options);

    void commit(long dbId, RestorePlan plan, RestoreOptions options, long nowMs);

    void undo(long dbId, RestorePlan plan, long nowMs);
}
