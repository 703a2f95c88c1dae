package io.snapbus.jobs.backup.shell;

import io.snapbus.avro.BackupJobHeader;
import io.snapbus.avro.BackupJobRecord;
import io.snapbus.avro.BackupMetaChunk;
import io.snapbus.avro.BackupTabletChunk;
import io.snapbus.jobs.backup.BackupJob;
import io.snapbus.jobs.backup.BackupJobRestorer;
import io.snapbus.kafka.KafkaClients;
import io.snapbus.kafka.TopicReplay;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Every job on the backup-jobs topic, rebuilt from the latest value of each of its keys. */
public final class BackupJobReplay {
    private static final Duration TIMEOUT = Duration.ofMinutes(5);

    private BackupJobReplay() {}

    public static Map<Long, BackupJob> replay(KafkaClients clients, String topic) {
        Map<String, BackupJobRecord> latest = new HashMap<>();
        TopicReplay.<BackupJobRecord>replay(clients, topic, TIMEOUT, (key, record) -> {
            if (record == null) {
                latest.remove(key);
            } else {
                latest.put(key, record);
            }
        });
        Map<Long, BackupJobRecord> headers = new HashMap<>();
        Map<Long, List<BackupTabletChunk>> tablets = new HashMap<>();
        Map<Long, List<BackupMetaChunk>> meta = new HashMap<>();
        for (BackupJobRecord record : latest.values()) {
            Object part = record.getPart();
            if (part instanceof BackupJobHeader) {
                headers.put(record.getJobId(), record);
            } else if (part instanceof BackupTabletChunk chunk) {
                tablets.computeIfAbsent(record.getJobId(), j -> new ArrayList<>()).add(chunk);
            } else if (part instanceof BackupMetaChunk chunk) {
                meta.computeIfAbsent(record.getJobId(), j -> new ArrayList<>()).add(chunk);
            }
        }
        Map<Long, BackupJob> jobs = new TreeMap<>();
        headers.forEach((jobId, header) -> jobs.put(jobId, BackupJobRestorer.restore(jobId, header.getStateSeq(),
                (BackupJobHeader) header.getPart(), tablets.getOrDefault(jobId, List.of()),
                meta.getOrDefault(jobId, List.of()))));
        return jobs;
    }
}
