package io.snapbus.jobs.backup.shell;

import io.snapbus.avro.JobErrorCode;
import io.snapbus.avro.JobEvent;
import io.snapbus.avro.JobEventKind;
import io.snapbus.avro.JobProgress;
import io.snapbus.avro.JobStatus;
import io.snapbus.jobs.backup.BackupEffect;
import io.snapbus.jobs.backup.BackupJob;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.avro.specific.SpecificRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * Writes the jobs' events to job-events: the machine's (transitions, task errors and retries) and PROGRESS events,
 * at most one per job and {@code progressInterval} and only when a count moved. An event the broker did not take is
 * sent again on the next tick, so integrations see every event at least once (ordered by {@code seq}, de-duplicated
 * by {@code eventId}).
 */
final class JobEventPublisher {
    private static final Logger log = LoggerFactory.getLogger(JobEventPublisher.class);
    /** Room for the events of one persisted state in the event sequence. */
    private static final long EVENTS_PER_STATE = 1000;

    private final KafkaTemplate<String, SpecificRecord> kafka;
    private final String topic;
    private final long progressIntervalMs;
    private final Map<Long, AtomicLong> eventSeqs = new ConcurrentHashMap<>();
    /** The counts and time of each job's last PROGRESS event. */
    private final Map<Long, LastProgress> lastProgress = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<JobEvent> unsent = new ConcurrentLinkedQueue<>();

    private record LastProgress(BackupJob.TabletCounts counts, long atMs) {}

    JobEventPublisher(KafkaTemplate<String, SpecificRecord> kafka, String topic, Duration progressInterval) {
        this.kafka = kafka;
        this.topic = topic;
        this.progressIntervalMs = progressInterval.toMillis();
    }

    /** A restored job numbers its events after those of its persisted states, so they stay ordered across restarts. */
    void resumed(BackupJob job) {
        eventSeqs.put(job.jobId(), new AtomicLong(job.stateSeq() * EVENTS_PER_STATE));
        lastProgress.put(job.jobId(), new LastProgress(job.counts(), 0));
    }

    /** One of the machine's events. */
    void publish(BackupJob job, BackupEffect.Publish event, long nowMs) {
        send(event(job, JobEventKind.valueOf(event.kind().name()), event.from() == null ? null : event.from().name(),
                event.to().name(), event.message(), nowMs));
        if (event.kind() == BackupEffect.JobEventKind.PROGRESS) {
            lastProgress.put(job.jobId(), new LastProgress(job.counts(), nowMs));
        }
    }

    /** A PROGRESS event when the job's counts moved since its last one and the interval has passed. */
    void progressIfDue(BackupJob job, long nowMs) {
        LastProgress last = lastProgress.get(job.jobId());
        if (job.isDone() || last != null && (last.counts().equals(job.counts())
                || nowMs - last.atMs() < progressIntervalMs)) {
            return;
        }
        lastProgress.put(job.jobId(), new LastProgress(job.counts(), nowMs));
        send(event(job, JobEventKind.PROGRESS, job.state().name(), job.state().name(), "", nowMs));
    }

    /** A done job publishes no more progress. */
    void forget(long jobId) {
        lastProgress.remove(jobId);
    }

    /** Sends again what the broker refused before (on the tick). */
    void resendFailed() {
        JobEvent event;
        int pending = unsent.size();
        for (int i = 0; i < pending && (event = unsent.poll()) != null; i++) {
            send(event);
        }
    }

    private void send(JobEvent event) {
        kafka.send(topic, Long.toString(event.getJobId()), event).whenComplete((ok, error) -> {
            if (error != null) {
                log.error("job event {} ({} of job {}) not published, sent again on the next tick: {}",
                        event.getEventId(), event.getKind(), event.getJobId(), String.valueOf(error));
                unsent.add(event);
            }
        });
    }

    private JobEvent event(BackupJob job, JobEventKind kind, String from, String to, String message, long nowMs) {
        // Numbered from the persisted state sequence, so events stay ordered across a restart of the service.
        long seq = eventSeqs.computeIfAbsent(job.jobId(), id -> new AtomicLong()).updateAndGet(
                current -> Math.max(current + 1, job.stateSeq() * EVENTS_PER_STATE));
        return JobEvent.newBuilder()
                .setEventId(job.jobId() + "-" + seq)
                .setJobId(job.jobId())
                .setJobType("BACKUP")
                .setLabel(job.label())
                .setDbName(job.request().dbName())
                .setRepositoryName(job.repository().getName())
                .setSeq(seq)
                .setTimestampMs(nowMs)
                .setKind(kind)
                .setFromState(from)
                .setState(to)
                .setProgress(progress(job))
                .setStatus(job.status().ok() ? null : new JobStatus(
                        JobErrorCode.valueOf(job.status().code().name()), job.status().message()))
                .setMessage(message == null ? "" : message)
                .build();
    }

    static JobProgress progress(BackupJob job) {
        int total = job.tablets().size();
        BackupJob.TabletCounts counts = job.counts();
        return new JobProgress(counts.snapshotted(), total, counts.uploaded(), total, counts.bytesUploaded(),
                counts.filesUploaded());
    }
}
