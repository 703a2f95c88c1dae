package io.snapbus.jobs.observe;

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
 * Events on job-events that stand alone, one per id (a snapshot deletion, a retention run, what a schedule did),
 * rather than a job's numbered sequence: seq 1, event id {@code <id>-1}, keyed by the id.
 */
public final class SingleEvents {
    private static final Logger log = LoggerFactory.getLogger(SingleEvents.class);

    private final KafkaTemplate<String, SpecificRecord> kafka;
    private final String topic;

    public SingleEvents(KafkaTemplate<String, SpecificRecord> kafka, TopicCatalogue topics) {
        this.kafka = kafka;
        this.topic = topics.name(SnapbusTopic.JOB_EVENTS);
    }

    /** Publishes the event; a failure to publish is logged, never thrown. {@code status} may be null. */
    public void publish(String jobType, long id, String label, String dbName, String repository, JobEventKind kind,
            String state, JobStatus status, String message, long nowMs) {
        JobEvent event = JobEvent.newBuilder().setEventId(id + "-1").setJobId(id).setJobType(jobType)
                .setLabel(label).setDbName(dbName).setRepositoryName(repository).setSeq(1).setTimestampMs(nowMs)
                .setKind(kind).setFromState(null).setState(state).setStatus(status).setMessage(message).build();
        kafka.send(topic, Long.toString(id), event).whenComplete((ok, error) -> {
            if (error != null) {
                log.error("{} {} ({}): {} event not published: {}", jobType, id, label, state, String.valueOf(error));
            }
        });
    }
}
