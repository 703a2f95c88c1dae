package io.snapbus.jobs.engine.shell;

import io.snapbus.jobs.engine.EngineJob;
import io.snapbus.jobs.engine.JobRecords;
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
 * A job type's compacted topic as its jobs' log: appends what changed since a job's last acknowledged state (the
 * changed chunks, then the header that commits them). Used by the loop thread only.
 *
 * @param <J> the job
 * @param <R> the topic's record
 */
public final class JobLog<J extends EngineJob, R extends SpecificRecord> {
    private static final Logger log = LoggerFactory.getLogger(JobLog.class);

    private final KafkaTemplate<String, SpecificRecord> kafka;
    private final String topic;
    private final Duration timeout;
    private final String jobType;
    private final JobRecords<J, R> records;
    /** Each job as the topic last acknowledged it; absent: the next append writes the job in full. */
    private final Map<Long, J> acknowledged = new HashMap<>();

    /**
     * @param jobType what the log calls the jobs ("backup")
     * @param records how a job is written as records (one instance per log: it may cache)
     */
    public JobLog(KafkaTemplate<String, SpecificRecord> kafka, String topic, Duration timeout, String jobType,
            JobRecords<J, R> records) {
        this.kafka = kafka;
        this.topic = topic;
        this.timeout = timeout;
        this.jobType = jobType;
        this.records = records;
    }

    public String topic() {
        return topic;
    }

    /**
     * Appends the newest of {@code states} (consecutive persisted states of one job) with every chunk any of them
     * changed; true once the broker acknowledged the header. On false nothing of it may be taken as written: the
     * job's next append writes it in full.
     */
    public boolean append(List<J> states) {
        J job = states.get(states.size() - 1);
        Map<String, R> changed = records.since(acknowledged.remove(job.jobId()), states);
        String headerKey = records.headerKey(job.jobId());
        R header = changed.remove(headerKey);
        try {
            // Each record is built as it is sent (LazyRecords) and kept only until the broker has it: the futures
            // kept hold no SendResult, which would hold every record of a 5 000-chunk write until the last ack.
            List<CompletableFuture<?>> sends = new ArrayList<>();
            changed.forEach((key, record) -> sends.add(kafka.send(topic, key, record).thenApply(sent -> null)));
            CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new))
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            kafka.send(topic, headerKey, header).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            log.error("{} job {} ({}): persisting state {} to {} failed, its effects wait: {}", jobType, job.jobId(),
                    job.label(), job.stateSeq(), topic, String.valueOf(cause));
            return false;
        }
        if (!job.settled()) {
            acknowledged.put(job.jobId(), job);
        }
        return true;
    }
}
