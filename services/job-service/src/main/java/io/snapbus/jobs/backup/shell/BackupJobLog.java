package io.snapbus.jobs.backup.shell;

import io.snapbus.avro.BackupJobRecord;
import io.snapbus.jobs.backup.BackupJob;
import io.snapbus.jobs.backup.BackupRecordsDelta;
import io.snapbus.jobs.engine.shell.JobLog;
import io.snapbus.kafka.KafkaClients;
import java.time.Duration;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * The backup-jobs topic as the backup jobs' log: the engine's {@link JobLog} writing {@link BackupRecordsDelta}s,
 * and every job read back at start. Used by the loop thread only.
 */
final class BackupJobLog {
    private final JobLog<BackupJob, BackupJobRecord> log;

    BackupJobLog(KafkaTemplate<String, SpecificRecord> kafka, String topic, Duration timeout) {
        this.log = new JobLog<>(kafka, topic, timeout, "backup", new BackupRecordsDelta());
    }

    /** Every job on the topic, rebuilt from the parts its last header committed; done ones retired. */
    Map<Long, BackupJob> replay(KafkaClients clients) {
        return BackupJobReplay.replayKept(clients, log.topic());
    }

    /** The engine's log itself, which appends. */
    JobLog<BackupJob, BackupJobRecord> log() {
        return log;
    }
}
