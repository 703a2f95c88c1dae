package io.snapbus.jobs.schedule;

import io.snapbus.avro.BackupScheduleDef;
import io.snapbus.avro.JobEventKind;
import io.snapbus.jobs.catalog.CatalogView;
import io.snapbus.jobs.observe.SingleEvents;
import io.snapbus.kafka.TopicCatalogue;
import org.apache.avro.specific.SpecificRecord;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * What schedules do, as job events (jobType SCHEDULE, label the schedule's name): STARTED, SUCCEEDED, FAILED,
 * SKIPPED, PAUSED, RESUMED, and ALARM once failures in a row reach the schedule's threshold.
 */
public final class ScheduleEvents {
    static final String JOB_TYPE = "SCHEDULE";

    private final SingleEvents events;
    private final CatalogView catalog;

    public ScheduleEvents(KafkaTemplate<String, SpecificRecord> kafka, TopicCatalogue topics, CatalogView catalog) {
        this.events = new SingleEvents(kafka, topics);
        this.catalog = catalog;
    }

    void announce(BackupScheduleDef schedule, String state, String message, long nowMs) {
        JobEventKind kind = state.equals("ALARM") || state.equals("FAILED") ? JobEventKind.TASK_ERROR
                : JobEventKind.PROGRESS;
        events.publish(JOB_TYPE, catalog.nextId(), schedule.getName(), schedule.getDbName(), schedule.getRepository(),
                kind, state, null, message, nowMs);
    }
}
