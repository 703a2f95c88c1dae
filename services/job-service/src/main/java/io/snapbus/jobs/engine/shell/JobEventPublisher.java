package io.snapbus.jobs.engine.shell;

import io.snapbus.avro.JobErrorCode;
import io.snapbus.avro.JobEvent;
import io.snapbus.avro.JobEventKind;
import io.snapbus.avro.JobStatus;
import io.snapbus.jobs.engine.EngineJob;
import io.snapbus.jobs.engine.EventKind;
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
 * by {@code eventId}). What a job type adds to its events comes from its {@link JobEventFields}.
 *
 * @param <J> the job
 */
public final class JobEventPublisher<J extends EngineJob> {
    private static final Logger log = LoggerFactory.getLogger(JobEventPublisher.class);
    /** Room for the events of one persisted state in the event sequence. */
    private static final long EVENTS_PER_STATE = 1000;

    private final KafkaTemplate<String, SpecificRecord> kafka;
    private final String topic;
    private final long progressIntervalMs;
    private final JobEventFields<J> fields;
    private final Map<Long, AtomicLong> eventSeqs = new ConcurrentHashMap<>();
    /** The counts and time of each job's last PROGRESS event. */
    private final Map<Long, LastProgress> lastProgress = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<JobEvent> unsent = new ConcurrentLinkedQueue<>();

    private record LastProgress(Object counts, long atMs) {}

    public JobEventPublisher(KafkaTemplate<String, SpecificRecord> kafka, String topic, Duration progressInterval,
            JobEventFields<J> fields) {
        this.kafka = kafka;
        this.topic = topic;
        this.progressIntervalMs = progressInterval.toMillis();
        this.fields = fields;
    }

    /** A restored job numbers its events after those of its persisted states, so they stay ordered across restarts. */
    public void resumed(J job) {
        eventSeqs.put(job.jobId(), new AtomicLong(job.stateSeq() * EVENTS_PER_STATE));
        lastProgress.put(job.jobId(), new LastProgress(fields.progressCounts(job), 0));
    }

    /** One of a machine's events: {@code from} (null: none) and {@code to} are the job type's states. */
    public void publish(J job, EventKind kind, Enum<?> from, Enum<?> to, String message, long nowMs) {
        publish(job, JobEventKind.valueOf(kind.name()), from == null ? null : from.name(), to.name(), message, nowMs);
    }

    /** One of the machine's events: {@code from} (null: none) and {@code to} are states by name. */
    public void publish(J job, JobEventKind kind, String from, String to, String message, long nowMs) {
        send(event(job, kind, from, to, message, nowMs));
        if (kind == JobEventKind.PROGRESS) {
            lastProgress.put(job.jobId(), new LastProgress(fields.progressCounts(job), nowMs));
        }
    }

    /** A PROGRESS event when the job's counts moved since its last one and the interval has passed. */
    public void progressIfDue(J job, long nowMs) {
        LastProgress last = lastProgress.get(job.jobId());
        Object counts = fields.progressCounts(job);
        if (job.isDone() || last != null && (last.counts().equals(counts)
                || nowMs - last.atMs() < progressIntervalMs)) {
            return;
        }
        lastProgress.put(job.jobId(), new LastProgress(counts, nowMs));
        send(event(job, JobEventKind.PROGRESS, fields.state(job), fields.state(job), "", nowMs));
    }

    /** A done job publishes no more progress. */
    public void forget(long jobId) {
        lastProgress.remove(jobId);
    }

    /** Sends again what the broker refused before (on the tick). */
    public void resendFailed() {
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

    /**
     * The job as it stands, for an event stream's first event (not published): kind UNKNOWN, the state it is in, its
     * counts, the sequence number of its last event.
     */
    public JobEvent current(J job, long nowMs) {
        AtomicLong last = eventSeqs.get(job.jobId());
        long seq = Math.max(last == null ? 0 : last.get(), job.stateSeq() * EVENTS_PER_STATE);
        return event(job, seq, JobEventKind.UNKNOWN, null, fields.state(job), "", nowMs);
    }

    private JobEvent event(J job, JobEventKind kind, String from, String to, String message, long nowMs) {
        // Numbered from the persisted state sequence, so events stay ordered across a restart of the service.
        long seq = eventSeqs.computeIfAbsent(job.jobId(), id -> new AtomicLong()).updateAndGet(
                current -> Math.max(current + 1, job.stateSeq() * EVENTS_PER_STATE));
        return event(job, seq, kind, from, to, message, nowMs);
    }

    private JobEvent event(J job, long seq, JobEventKind kind, String from, String to, String message, long nowMs) {
        return JobEvent.newBuilder()
                .setEventId(job.jobId() + "-" + seq)
                .setJobId(job.jobId())
                .setJobType(fields.jobType())
                .setLabel(job.label())
                .setDbName(fields.dbName(job))
                .setRepositoryName(fields.repositoryName(job))
                .setSeq(seq)
                .setTimestampMs(nowMs)
                .setKind(kind)
                .setFromState(from)
                .setState(to)
                .setProgress(fields.progress(job))
                .setStatus(job.status().ok() ? null : new JobStatus(
                        JobErrorCode.valueOf(job.status().code().name()), job.status().message()))
                .setMessage(message == null ? "" : message)
                .build();
    }
}
