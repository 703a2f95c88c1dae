package io.snapbus.jobs.backup.shell;

import io.snapbus.avro.BackupJobRecord;
import io.snapbus.jobs.backup.BackupJob;
import io.snapbus.jobs.backup.BackupRecords;
import io.snapbus.jobs.backup.BackupRecordsDelta;
import io.snapbus.kafka.KafkaClients;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.avro.specific.SpecificRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * The backup-jobs topic as the jobs' log: appends what changed since a job's last acknowledged state (the changed
 * chunks, then the header that commits them) and reads every job back at start. Used by the loop thread only.
 */
final class BackupJobLog {
    private static final Logger log = LoggerFactory.getLogger(BackupJobLog.class);

    private final KafkaTemplate<String, SpecificRecord> kafka;
    private final String topic;
    private final Duration timeout;
    /** Each job as the topic last acknowledged it; absent: the next append writes the job in full. */
    private final Map<Long, BackupJob> acknowledged = new HashMap<>();
    private final BackupRecordsDelta delta = new BackupRecordsDelta();

    BackupJobLog(KafkaTemplate<String, SpecificRecord> kafka, String topic, Duration timeout) {
        this.kafka = kafka;
        this.topic = topic;
        this.timeout = timeout;
    }

    /** Every job on the topic, rebuilt from the parts its last header committed. */
    Map<Long, BackupJob> replay(KafkaClients clients) {
        return BackupJobReplay.replay(clients, topic);
    }

    /**
     * Appends the newest of {@code states} (consecutive persisted states of one job) with every chunk any of them
     * changed; true once the broker acknowledged the header. On false nothing of it may be taken as written: the
     * job's next append writes it in full.
     */
    boolean append(List<BackupJob> states) {
        BackupJob job = states.get(states.size() - 1);
        Map<String, BackupJobRecord> records = delta.since(acknowledged.remove(job.jobId()), states);
        String headerKey = BackupRecords.headerKey(job.jobId());
        BackupJobRecord header = records.remove(headerKey);
        try {
            List<CompletableFuture<?>> sends = new ArrayList<>();
            records.forEach((key, record) -> sends.add(kafka.send(topic, key, record)));
            CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new))
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            kafka.send(topic, headerKey, header).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            log.error("backup job {} ({}): persisting state {} to {} failed, its effects wait: {}", job.jobId(),
                    job.label(), job.stateSeq(), topic, String.valueOf(cause));
            return false;
        }
        if (!job.isDone()) {
            acknowledged.put(job.jobId(), job);
        }
        return true;
    }
}
