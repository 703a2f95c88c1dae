package io.snapbus.jobs.restore.shell;

import io.snapbus.jobs.engine.RetryPolicy;
import io.snapbus.jobs.restore.RestoreSettings;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Restore settings ({@code snapbus.restore.*}); Doris's knobs keep their names.
 *
 * @param downloadBatchSize       replicas per DOWNLOAD task (restore_download_snapshot_batch_size)
 * @param tickInterval            how often jobs check their timeout, retries and catalog changes
 * @param catalogRetryInterval    wait before a catalog change whose answer did not come is asked for again
 * @param taskRetryInitialBackoff wait for a task's result before it is sent again; doubles with every send
 * @param taskRetryMaxBackoff     the longest such wait
 * @param maxTaskAttempts         sends of one task before the job is cancelled naming it (Doris re-sends until the
 *                                job times out)
 * @param verify                  compare every restored replica's rows and checksum with the backup's before the
 *                                swap (snapbus; on by default)
 * @param commitInterval          shortest time between two group commits of task results
 * @param persistTimeout          how long an append of a job state to restore-jobs may take before it counts as
 *                                refused
 * @param progressEventInterval   shortest time between two PROGRESS events of a job on job-events
 * @param taskWindow              replicas with an awaited task at once; a larger job sends each state's tasks in
 *                                windows, the next half window once half of one has finished
 */
@ConfigurationProperties("snapbus.restore")
public record RestoreProperties(
        @DefaultValue("10") int downloadBatchSize,
        @DefaultValue("1s") Duration tickInterval,
        @DefaultValue("5s") Duration catalogRetryInterval,
        @DefaultValue("30s") Duration taskRetryInitialBackoff,
        @DefaultValue("10m") Duration taskRetryMaxBackoff,
        @DefaultValue("6") int maxTaskAttempts,
        @DefaultValue("true") boolean verify,
        @DefaultValue("200ms") Duration commitInterval,
        @DefaultValue("30s") Duration persistTimeout,
        @DefaultValue("2s") Duration progressEventInterval,
        @DefaultValue("100000") int taskWindow) {

    public RestoreSettings settings() {
        return new RestoreSettings(downloadBatchSize, catalogRetryInterval.toMillis(), new RetryPolicy(
                taskRetryInitialBackoff.toMillis(), taskRetryMaxBackoff.toMillis(), maxTaskAttempts), verify, taskWindow);
    }
}
