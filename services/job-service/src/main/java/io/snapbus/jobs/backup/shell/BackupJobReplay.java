package io.snapbus.jobs.backup.shell;

import io.snapbus.jobs.backup.BackupJob;
import io.snapbus.jobs.backup.BackupRecordVersions;
import io.snapbus.jobs.engine.shell.JobReplay;
import io.snapbus.kafka.KafkaClients;
import java.util.Map;

/** Every job on the backup-jobs topic, rebuilt from the parts its last header committed. */
public final class BackupJobReplay {
    private BackupJobReplay() {}

    public static Map<Long, BackupJob> replay(KafkaClients clients, String topic) {
        return JobReplay.replay(clients, topic, BackupRecordVersions.versions());
    }
}
