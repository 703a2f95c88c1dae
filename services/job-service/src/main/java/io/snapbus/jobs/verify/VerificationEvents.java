package io.snapbus.jobs.verify;

import io.snapbus.avro.JobEvent;
import io.snapbus.avro.JobEventKind;
import io.snapbus.avro.VerificationCounts;
import io.snapbus.kafka.SnapbusTopic;
import io.snapbus.kafka.TopicCatalogue;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.avro.specific.SpecificRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * A verification's events on job-events, {@code jobType} VERIFY, keyed by its id: CREATED (state RUNNING) when it
 * starts, PROGRESS while it reads, and FINISHED with state PASSED or FAILED and the problems by kind in
 * {@code message}. A verification is never CANCELLED: problems are its result, not a failure of the job. Counts are
 * in the event's {@code verification} field. Best effort: an event the broker refuses is logged, not sent again.
 */
public final class VerificationEvents {
    private static final Logger log = LoggerFactory.getLogger(VerificationEvents.class);
    static final String JOB_TYPE = "VERIFY";

    private final KafkaTemplate<String, SpecificRecord> kafka;
    private final String topic;
    private final Map<Long, AtomicLong> seqs = new ConcurrentHashMap<>();

    public VerificationEvents(KafkaTemplate<String, SpecificRecord> kafka, TopicCatalogue topics) {
        this.kafka = kafka;
        this.topic = topics.name(SnapbusTopic.JOB_EVENTS);
    }

    void created(VerificationReport report, long nowMs) {
        send(report, JobEventKind.CREATED, null, nowMs);
    }

    void progress(VerificationReport report, long nowMs) {
        send(report, JobEventKind.PROGRESS, VerificationReport.State.RUNNING.name(), nowMs);
    }

    void finished(VerificationReport report, long nowMs) {
        send(report, JobEventKind.FINISHED, VerificationReport.State.RUNNING.name(), nowMs);
        seqs.remove(report.id());
    }

    private void send(VerificationReport report, JobEventKind kind, String from, long nowMs) {
        VerificationView view = report.view();
        long seq = seqs.computeIfAbsent(report.id(), id -> new AtomicLong()).incrementAndGet();
        JobEvent event = JobEvent.newBuilder()
                .setEventId(report.id() + "-" + seq)
                .setJobId(report.id())
                .setJobType(JOB_TYPE)
                .setLabel(view.label())
                .setDbName(report.dbName())
                .setRepositoryName(view.repository())
                .setSeq(seq)
                .setTimestampMs(nowMs)
                .setKind(kind)
                .setFromState(from)
                .setState(view.state())
                .setMessage(view.message())
                .setVerification(VerificationCounts.newBuilder()
                        .setLevel(view.level())
                        .setBackupTimestamp(view.timestamp())
                        .setFilesChecked(view.counts().filesChecked())
                        .setFilesTotal(view.counts().filesTotal())
                        .setBytesRead(view.counts().bytesRead())
                        .setTabletsChecked(view.counts().tabletsChecked())
                        .setRowsRead(view.counts().rowsRead())
                        .setProblems(view.problemsTotal())
                        .build())
                .build();
        kafka.send(topic, Long.toString(report.id()), event).whenComplete((ok, error) -> {
            if (error != null) {
                log.error("verification {}: {} event not published: {}", report.id(), kind, String.valueOf(error));
            }
        });
    }
}
