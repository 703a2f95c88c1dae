package io.snapbus.jobs.retention;

import io.snapbus.api.repository.SnapshotDeleted;
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

/** Snapshot deletions as job events (jobType DELETE, one event each): the history integrations and the CLI read. */
public final class DeletionEvents {
    private static final Logger log = LoggerFactory.getLogger(DeletionEvents.class);
    static final String JOB_TYPE = "DELETE";

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

    private void send(long id, String repository, String label, JobEventKind kind, String state, JobStatus status,
            String message, long nowMs) {
        JobEvent event = JobEvent.newBuilder().setEventId(id + "-1").setJobId(id).setJobType(JOB_TYPE)
                .setLabel(label).setDbName("").setRepositoryName(repository).setSeq(1).setTimestampMs(nowMs)
                .setKind(kind).setFromState(null).setState(state).setStatus(status).setMessage(message).build();
        kafka.send(topic, Long.toString(id), event).whenComplete((ok, error) -> {
            if (error != null) {
                log.error("snapshot deletion {}: event not published: {}", id, String.valueOf(error));
            }
        });
    }
}
