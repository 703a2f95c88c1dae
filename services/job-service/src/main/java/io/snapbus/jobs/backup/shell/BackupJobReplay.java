package io.snapbus.jobs.backup.shell;

import io.snapbus.avro.BackupJobRecord;
import io.snapbus.jobs.backup.BackupJob;
import io.snapbus.jobs.backup.BackupRecordVersions;
import io.snapbus.kafka.KafkaClients;
import io.snapbus.kafka.TopicFollower;
import java.time.Duration;
import java.util.Map;

/** Every job on the backup-jobs topic, rebuilt from the parts its last header committed. */
public final class BackupJobReplay {
    private static final Duration TIMEOUT = Duration.ofMinutes(5);

    private BackupJobReplay() {}

    public static Map<Long, BackupJob> replay(KafkaClients clients, String topic) {
        BackupRecordVersions versions = new BackupRecordVersions();
        TopicFollower.<BackupJobRecord>replay(clients, topic, TIMEOUT, versions::accept);
        return versions.jobs();
    }
}
