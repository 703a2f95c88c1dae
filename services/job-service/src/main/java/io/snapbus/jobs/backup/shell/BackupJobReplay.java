package io.snapbus.jobs.backup.shell;

import io.snapbus.jobs.backup.BackupJob;
import io.snapbus.jobs.backup.BackupRecordVersions;
import io.snapbus.jobs.engine.shell.JobReplay;
import io.snapbus.kafka.KafkaClients;
import java.util.Map;
import java.util.function.UnaryOperator;

/** Every job on the backup-jobs topic, rebuilt from the parts its last header committed. */
public final class BackupJobReplay {
    private BackupJobReplay() {}

    /** Every job with all its tablets. */
    public static Map<Long, BackupJob> replay(KafkaClients clients, String topic) {
        return JobReplay.replay(clients, topic, BackupRecordVersions.versions(), UnaryOperator.identity());
    }

    /** Every job as the service keeps it: a done one {@link BackupJob#retired()} as soon as it is rebuilt. */
    public static Map<Long, BackupJob> replayKept(KafkaClients clients, String topic) {
        return JobReplay.replay(clients, topic, BackupRecordVersions.versions(), BackupJob::retired);
    }
}
