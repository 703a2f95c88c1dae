package io.snapbus.jobs.backup;

import io.snapbus.avro.BackupJobHeader;
import io.snapbus.avro.BackupJobRecord;
import io.snapbus.avro.BackupMetaChunk;
import io.snapbus.avro.BackupTabletChunk;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The backup-jobs topic read in order, rebuilt into jobs from the parts their last header committed.
 *
 * <p>A persist writes only the chunks that changed, so chunks carry older state sequences than the header: a chunk
 * is taken as it last was, whatever its sequence. The header goes out only once its chunks are acknowledged, so a
 * crash between the two leaves chunks newer than the header; then the chunk's value before them (each key keeps its
 * last two values while the log still holds them) is the one the header committed. Chunks past the header's counts
 * (a plan that shrank) are never read.
 */
public final class BackupRecordVersions {
    /** Key to its last two values, newest last; a null value is a tombstone. */
    private final Map<String, List<BackupJobRecord>> versions = new HashMap<>();

    /** The next record of the topic ({@code record == null}: a tombstone). */
    public void accept(String key, BackupJobRecord record) {
        List<BackupJobRecord> values = versions.computeIfAbsent(key, k -> new ArrayList<>(2));
        if (values.size() == 2) {
            values.remove(0);
        }
        values.add(record);
    }

    /** Every job with a header, by job id. */
    public Map<Long, BackupJob> jobs() {
        Map<Long, BackupJobRecord> headers = new HashMap<>();
        versions.forEach((key, values) -> {
            BackupJobRecord latest = values.get(values.size() - 1);
            if (latest != null && latest.getPart() instanceof BackupJobHeader) {
                headers.put(latest.getJobId(), latest);
            }
        });
        Map<Long, List<BackupTabletChunk>> tablets = new HashMap<>();
        Map<Long, List<BackupMetaChunk>> meta = new HashMap<>();
        versions.forEach((key, values) -> {
            BackupJobRecord any = values.stream().filter(java.util.Objects::nonNull).findFirst().orElse(null);
            BackupJobRecord header = any == null ? null : headers.get(any.getJobId());
            if (header == null || any.getPart() instanceof BackupJobHeader) {
                return;
            }
            BackupJobRecord committed = committed(values, header.getStateSeq());
            if (committed == null) {
                return;
            }
            BackupJobHeader h = (BackupJobHeader) header.getPart();
            if (committed.getPart() instanceof BackupTabletChunk chunk && chunk.getChunkIndex() < h.getTabletChunkCount()) {
                tablets.computeIfAbsent(header.getJobId(), j -> new ArrayList<>()).add(chunk);
            } else if (committed.getPart() instanceof BackupMetaChunk chunk
                    && chunk.getChunkIndex() < h.getMetaChunkCount()) {
                meta.computeIfAbsent(header.getJobId(), j -> new ArrayList<>()).add(chunk);
            }
        });
        Map<Long, BackupJob> jobs = new TreeMap<>();
        headers.forEach((jobId, header) -> jobs.put(jobId, BackupJobRestorer.restore(jobId, header.getStateSeq(),
                (BackupJobHeader) header.getPart(), tablets.getOrDefault(jobId, List.of()),
                meta.getOrDefault(jobId, List.of()))));
        return jobs;
    }

    /**
     * The newest value no newer than the header; when compaction already removed it, the newest value (the best
     * left). A tombstone the header committed means no chunk.
     */
    private static BackupJobRecord committed(List<BackupJobRecord> values, long headerSeq) {
        for (int i = values.size() - 1; i >= 0; i--) {
            BackupJobRecord value = values.get(i);
            if (value != null && value.getStateSeq() <= headerSeq) {
                return value;
            }
        }
        BackupJobRecord newest = values.get(values.size() - 1);
        return newest;
    }
}
