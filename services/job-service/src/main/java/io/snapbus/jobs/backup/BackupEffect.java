package io.snapbus.jobs.backup;

import io.snapbus.avro.TabletRef;
import io.snapbus.jobs.engine.AgentWork;
import io.snapbus.jobs.engine.EventKind;
import java.util.List;

/** What the machine asks the shell to do; the core itself touches no broker, node, clock or file. */
public sealed interface BackupEffect {
    /** Send these agent tasks. */
    record SendTasks(List<AgentWork.Batch> batches) implements BackupEffect {
        /**
         * The sends {@code job} still awaits: a send that waited for its state to be persisted may have been overtaken
         * by the task's result (a re-send under the same signature, say), and then must not go out again. Releases
         * are awaited by nobody and always go.
         */
        public List<AgentWork.Batch> stillAwaitedBy(BackupJob job) {
            return job.tasks().stillAwaited(batches);
        }
    }

    /** Persist the job (to the compacted backup-jobs topic). */
    record Persist(BackupJob job) implements BackupEffect {}

    /** Publish a job event. */
    record Publish(EventKind kind, BackupState from, BackupState to, String message) implements BackupEffect {}

    /**
     * Before the uploads: store in the job's label, without sending them again, the rowset files that earlier
     * snapshots in the repository already hold for the same tablets (same name and md5), so the nodes find them there
     * and skip them; then answer {@link BackupInput.BaseSeeded}.
     */
    record SeedFromBase(BackupJob job) implements BackupEffect {}

    /** Write the meta file and the job info file locally, then answer MetaSaved or MetaSaveFailed. */
    record SaveMeta(BackupJob job) implements BackupEffect {}

    /** Upload the meta and job info files to the repository, then answer InfoUploaded or InfoUploadFailed. */
    record UploadInfo(BackupJob job) implements BackupEffect {}

    /**
     * A node answered TABLET_MISSING: read the catalog for the tablet's table, partition and replicas, and answer
     * {@link BackupInput.TabletLocated} with the same signature.
     */
    record LocateTablet(long signature, TabletRef tablet) implements BackupEffect {}

    /** Delete the job's local files (after finishing or on cancel). */
    record DeleteLocalFiles(String dir) implements BackupEffect {}
}
