package io.snapbus.jobs.retention;

import io.snapbus.api.repository.SnapshotDeleted;
import io.snapbus.api.retention.RetentionRun;
import io.snapbus.avro.JobErrorCode;
import io.snapbus.avro.JobEventKind;
import io.snapbus.avro.JobStatus;
import io.snapbus.jobs.observe.SingleEvents;
import io.snapbus.kafka.TopicCatalogue;
import org.apache.avro.specific.SpecificRecord;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * Snapshot deletions (jobType DELETE, one event each) and retention runs (jobType RETENTION) as job events: the
 * history integrations and the CLI read.
 */
public final class DeletionEvents {
    static final String JOB_TYPE = "DELETE";
    static final String RETENTION_JOB_TYPE = "RETENTION";

    private final SingleEvents events;

    public DeletionEvents(KafkaTemplate<String, SpecificRecord> kafka, TopicCatalogue topics) {
        this.events = new SingleEvents(kafka, topics);
    }

    void deleted(SnapshotDeleted deleted, long nowMs) {
        String backups = deleted.timestamps().isEmpty() ? "no finished backup (a leftover)"
                : "backup" + (deleted.timestamps().size() == 1 ? " " : "s ") + String.join(", ", deleted.timestamps());
        events.publish(JOB_TYPE, deleted.deletionId(), deleted.label(), "", deleted.repository(), JobEventKind.FINISHED,
                "DELETED", null, "snapshot " + deleted.label() + " deleted (" + deleted.reason() + "): " + backups,
                nowMs);
    }

    void failed(long id, String repository, String label, String reason, String why, long nowMs) {
        events.publish(JOB_TYPE, id, label, "", repository, JobEventKind.CANCELLED, "FAILED",
                new JobStatus(JobErrorCode.COMMON_ERROR, why),
                "deleting snapshot " + label + " (" + reason + ") stopped: " + why, nowMs);
    }

    /** A summary of one application of a retention policy (jobType RETENTION); each deletion has its own event. */
    void retentionRun(long id, RetentionRun run) {
        String message = "retention policy " + run.policy() + ": deleted " + run.deleted() + ", failed backups deleted "
                + run.failedDeleted() + ", kept " + run.kept() + (run.refused().isEmpty() ? ""
                : ", not deleted now: " + run.refused()) + (run.budgetExhausted() ? ", time budget used up" : "");
        events.publish(RETENTION_JOB_TYPE, id, run.policy(), "", run.repository(), JobEventKind.FINISHED,
                run.refused().isEmpty() ? "DONE" : "PARTIAL", null, message, run.finishedAtMs());
    }
}
