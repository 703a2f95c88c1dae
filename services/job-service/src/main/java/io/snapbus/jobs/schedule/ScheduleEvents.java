package io.snapbus.jobs.schedule;

import io.snapbus.avro.BackupScheduleDef;
import io.snapbus.avro.JobEvent;
import io.snapbus.avro.JobEventKind;
import io.snapbus.jobs.catalog.CatalogView;
import io.snapbus.kafka.SnapbusTopic;
import io.snapbus.kafka.TopicCatalogue;
import org.apache.avro.specific.SpecificRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * What schedules do, as job events (jobType SCHEDULE, label the schedule's name): STARTED, SUCCEEDED, FAILED,
 * SKIPPED, PAUSED, RESUMED, and ALARM once failures in a row reach the schedule's threshold.
 */
public final class ScheduleEvents {
    private static final Logger log = LoggerFactory.getLogger(ScheduleEvents.class);
    static final String JOB_TYPE = "SCHEDULE";

    private final KafkaTemplate<String, SpecificRecord> kafka;
    private final String topic;
    private final CatalogView catalog;

    public ScheduleEvents(KafkaTemplate<String, SpecificRecord> kafka, TopicCatalogue topics, CatalogView catalog) {
        this.kafka = kafka;
        this.topic = topics.name(SnapbusTopic.JOB_EVENTS);
        this.catalog = catalog;
    }

    void announce(BackupScheduleDef schedule, String state, String message, long nowMs) {
        long id = catalog.nextId();
        JobEvent event = JobEvent.newBuilder().setEventId(id + "-1").setJobId(id).setJobType(JOB_TYPE)
                .setLabel(schedule.getName()).setDbName(schedule.getDbName())
                .setRepositoryName(schedule.getRepository()).setSeq(1).setTimestampMs(nowMs)
                .setKind(state.equals("ALARM") || state.equals("FAILED") ? JobEventKind.TASK_ERROR
                        : JobEventKind.PROGRESS)
                .setFromState(null).setState(state).setMessage(message).build();
        kafka.send(topic, Long.toString(id), event).whenComplete((ok, error) -> {
            if (error != null) {
                log.error("schedule {}: {} event not published: {}", schedule.getName(), state, String.valueOf(error));
            }
        });
    }
}
