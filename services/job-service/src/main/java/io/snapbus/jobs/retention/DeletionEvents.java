package io.snapbus.jobs.retention;

import io.snapbus.api.repository.SnapshotDeleted;
import io.snapbus.api.retention.RetentionRun;
import io.snapbus.avro.JobErrorCode;
import io.snapbus.avro.JobEvent;
import io.snapbus.avro.JobEventKind;
import io.snapbus.avro.JobStatus;
import io.snapbus.kafka.SnapbusTopic;
import io.snapbus.kafka.TopicCatalogue;
import org.apache.avro.specific.SpecificRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * Snapshot deletions (jobType DELETE, one event each) and retention runs (jobType RETENTION) as job events: the
 * history integrations and the CLI read.
 */
public final class DeletionEvents {
    private static final Logger log = LoggerFactory.getLogger(DeletionEvents.class);
    static final String JOB_TYPE = "DELETE";
    static final String RETENTION_JOB_TYPE = "RETENTION";

    private final KafkaTemplate<String, SpecificRecord> kafka;
    private final String topic;

    public DeletionEvents(KafkaTemplate<String, SpecificRecord> kafka, TopicCatalogue topics) {
        this.kafka = kafka;
        this.topic = topics.name(SnapbusTopic.JOB_EVENTS);
    }

    void deleted(SnapshotDeleted deleted, long nowMs) {
        String backups = deleted.timestamps().isEmpty() ? "no finished backup (a leftover)"
                : "backup" + (deleted.timestamps().size() == 1 ? " " : "s ") + String.join(", ", deleted.timestamps());
        send(deleted.deletionId(), deleted.repository(), deleted.label(), JobEventKind.FINISHED, "DELETED", null,
                "snapshot " + deleted.label() + " deleted (" + deleted.reason() + "): " + backups, nowMs);
    }

    void failed(long id, String repository, String label, String reason, String why, long nowMs) {
        send(id, repository, label, JobEventKind.CANCELLED, "FAILED", new JobStatus(JobErrorCode.COMMON_ERROR, why),
                "deleting snapshot " + label + " (" + reason + ") stopped: " + why, nowMs);
    }

    /** A summary of one application of a retention policy (jobType RETENTION); each deletion has its own event. */
    void retentionRun(long id, RetentionRun run) {
        String message = "retention policy " + run.policy() + ": deleted " + run.deleted() + ", failed backups deleted "
                + run.failedDeleted() + ", kept " + run.kept() + (run.refused().isEmpty() ? ""
                : ", not deleted now: " + run.refused()) + (run.budgetExhausted() ? ", time budget used up" : "");
        JobEvent event = JobEvent.newBuilder().setEventId(id + "-1").setJobId(id).setJobType(RETENTION_JOB_TYPE)
                .setLabel(run.policy()).setDbName("").setRepositoryName(run.repository()).setSeq(1)
                .setTimestampMs(run.finishedAtMs()).setKind(JobEventKind.FINISHED).setFromState(null)
                .setState(run.refused().isEmpty() ? "DONE" : "PARTIAL").setMessage(message).build();
        publish(id, event);
    }

    private void send(long id, String repository, String label, JobEventKind kind, String state, JobStatus status,
            String message, long nowMs) {
        JobEvent event = JobEvent.newBuilder().setEventId(id + "-1").setJobId(id).setJobType(JOB_TYPE)
                .setLabel(label).setDbName("").setRepositoryName(repository).setSeq(1).setTimestampMs(nowMs)
                .setKind(kind).setFromState(null).setState(state).setStatus(status).setMessage(message).build();
        publish(id, event);
    }

    private void publish(long id, JobEvent event) {
        kafka.send(topic, Long.toString(id), event).whenComplete((ok, error) -> {
            if (error != null) {
                log.error("{} {}: event not published: {}", event.getJobType(), id, String.valueOf(error));
            }
        });
    }
}
