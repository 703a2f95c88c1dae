package io.snapbus.jobs.engine.shell;

import io.snapbus.jobs.engine.JobRecordVersions;
import io.snapbus.kafka.KafkaClients;
import io.snapbus.kafka.TopicFollower;
import java.time.Duration;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;

/** A job type's compacted topic read from its beginning to its end, every job rebuilt from its last committed parts. */
public final class JobReplay {
    private static final Duration TIMEOUT = Duration.ofMinutes(5);

    private JobReplay() {}

    public static <R extends SpecificRecord, J> Map<Long, J> replay(KafkaClients clients, String topic, JobRecordVersions<R, J> versions) {
        TopicFollower.<R>replay(clients, topic, TIMEOUT, versions::accept);
        return versions.jobs();
    }
}
