package io.snapbus.jobs.backup.shell;

import io.snapbus.jobs.backup.BackupSettings;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Backup settings ({@code snapbus.backup.*}); Doris's knobs keep their names.
 *
 * @param workDir            where SAVE_META writes the meta and job info files before uploading them (Doris: tmp_dir)
 * @param uploadBatchSize    tablets per UPLOAD task (backup_upload_snapshot_batch_size)
 * @param maxTabletsPerJob   max_backup_tablets_per_job
 * @param defaultTimeout     backup_job_default_timeout_ms
 * @param infoRetryInterval  wait between two tries of UPLOAD_INFO, which is retried until the timeout
 * @param tickInterval       how often jobs check their timeout and retries
 * @param taskRetryInitialBackoff wait for a task's result before it is sent again; doubles with every send
 * @param taskRetryMaxBackoff     the longest such wait
 * @param maxTaskAttempts         sends of one task before the job is cancelled naming it (Doris re-sends forever)
 * @param debugPointsEnabled      serve /api/debug-points (pausing jobs in a state, for recovery tests); off by default
 * @param commitInterval          shortest time between two group commits of task results: results that arrive
 *                                sooner wait and are persisted together, so a chunk of tablets is rewritten once for
 *                                many results instead of once for each few (0: persist as soon as results arrive)
 * @param persistTimeout          how long an append of a job state to backup-jobs may take before it counts as
 *                                refused (the state's tasks and events then wait, and the tick tries again)
 * @param progressEventInterval   shortest time between two PROGRESS events of a job on job-events
 * @param snapshotTaskWindow      MAKE_SNAPSHOT tasks (and tablets in UPLOAD tasks) a job awaits at once; a larger job
 *                                sends the rest as they finish
 */
@ConfigurationProperties("snapbus.backup")
public record BackupProperties(
        @DefaultValue("./job-service-work") Path workDir,
        @DefaultValue("10") int uploadBatchSize,
        @DefaultValue("300000") int maxTabletsPerJob,
        @DefaultValue("1d") Duration defaultTimeout,
        @DefaultValue("5s") Duration infoRetryInterval,
        @DefaultValue("1s") Duration tickInterval,
        @DefaultValue("30s") Duration taskRetryInitialBackoff,
        @DefaultValue("10m") Duration taskRetryMaxBackoff,
        @DefaultValue("6") int maxTaskAttempts,
        @DefaultValue("false") boolean debugPointsEnabled,
        @DefaultValue("200ms") Duration commitInterval,
        @DefaultValue("30s") Duration persistTimeout,
        @DefaultValue("2s") Duration progressEventInterval,
        @DefaultValue("100000") int snapshotTaskWindow) {

    public BackupSettings settings() {
        return new BackupSettings(uploadBatchSize, infoRetryInterval.toMillis(), maxTabletsPerJob,
                taskRetryInitialBackoff.toMillis(), taskRetryMaxBackoff.toMillis(), maxTaskAttempts, snapshotTaskWindow);
    }
}
