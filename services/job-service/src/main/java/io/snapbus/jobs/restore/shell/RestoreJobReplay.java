package io.snapbus.jobs.restore.shell;

import io.snapbus.jobs.engine.shell.JobReplay;
import io.snapbus.jobs.restore.RestoreJob;
import io.snapbus.jobs.restore.RestoreRecordVersions;
import io.snapbus.kafka.KafkaClients;
import java.util.Map;

/** Every job on the restore-jobs topic, rebuilt from the parts its last header committed. */
public final class RestoreJobReplay {
    private RestoreJobReplay() {}

    public static Map<Long, RestoreJob> replay(KafkaClients clients, String topic) {
        return JobReplay.replay(clients, topic, RestoreRecordVersions.versions());
    }
}
