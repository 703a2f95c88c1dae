package io.snapbus.jobs.engine.shell;

import io.snapbus.jobs.engine.JobRecordVersions;
import io.snapbus.kafka.KafkaClients;
import io.snapbus.kafka.TopicFollower;
import java.time.Duration;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.apache.avro.specific.SpecificRecord;

/** A job type's compacted topic read from its beginning to its end, every job rebuilt from its last committed parts. */
public final class JobReplay {
    private static final Duration TIMEOUT = Duration.ofMinutes(5);

    private JobReplay() {}

    /** Every job, each as {@code keep} makes it once rebuilt (a service keeps its done jobs retired). */
    public static <R extends SpecificRecord, J> Map<Long, J> replay(KafkaClients clients, String topic,
            JobRecordVersions<R, J> versions, UnaryOperator<J> keep) {
        TopicFollower.<R>replay(clients, topic, TIMEOUT, versions::accept);
        return versions.jobs(keep);
    }
}
