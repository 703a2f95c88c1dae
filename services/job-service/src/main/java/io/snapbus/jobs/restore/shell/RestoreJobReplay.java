package io.snapbus.jobs.restore.shell;

import io.snapbus.jobs.engine.shell.JobReplay;
import io.snapbus.jobs.restore.RestoreJob;
import io.snapbus.jobs.restore.RestoreRecordVersions;
import io.snapbus.kafka.KafkaClients;
import java.util.Map;
import java.util.function.UnaryOperator;

/** Every job on the restore-jobs topic, rebuilt from the parts its last header committed. */
public final class RestoreJobReplay {
    private RestoreJobReplay() {}

    /** Every job with all its replicas. */
    public static Map<Long, RestoreJob> replay(KafkaClients clients, String topic) {
        return JobReplay.replay(clients, topic, RestoreRecordVersions.versions(), UnaryOperator.identity());
    }

    /** Every job as the service keeps it: a settled one {@link RestoreJob#retired()} as soon as it is rebuilt. */
    public static Map<Long, RestoreJob> replayKept(KafkaClients clients, String topic) {
        return JobReplay.replay(clients, topic, RestoreRecordVersions.versions(), RestoreJob::retired);
    }
}
