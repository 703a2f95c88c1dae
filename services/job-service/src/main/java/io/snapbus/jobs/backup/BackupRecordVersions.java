package io.snapbus.jobs.backup;

import io.snapbus.avro.BackupJobHeader;
import io.snapbus.avro.BackupJobRecord;
import io.snapbus.avro.BackupMetaChunk;
import io.snapbus.avro.BackupTabletChunk;
import io.snapbus.jobs.engine.JobRecordVersions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The backup-jobs topic read in order, rebuilt into jobs from the parts their last header committed (the engine's
 * {@link JobRecordVersions}, with the backup's header, tablet chunks and meta chunks).
 */
public final class BackupRecordVersions {
    private final JobRecordVersions<BackupJobRecord, BackupJob> versions = versions();

    /** The engine's versions of the backup-jobs topic, for a replay that feeds it directly. */
    public static JobRecordVersions<BackupJobRecord, BackupJob> versions() {
        return new JobRecordVersions<>(new Layout());
    }

    /** The next record of the topic ({@code record == null}: a tombstone). */
    public void accept(String key, BackupJobRecord record) {
        versions.accept(key, record);
    }

    /** Every job with a header, by job id. */
    public Map<Long, BackupJob> jobs() {
        return versions.jobs();
    }

    private static final class Layout implements JobRecordVersions.Layout<BackupJobRecord, BackupJob> {
        @Override
        public long jobId(BackupJobRecord record) {
            return record.getJobId();
        }

        @Override
        public long stateSeq(BackupJobRecord record) {
            return record.getStateSeq();
        }

        @Override
        public boolean isHeader(BackupJobRecord record) {
            return record.getPart() instanceof BackupJobHeader;
        }

        @Override
        public boolean counts(BackupJobRecord header, BackupJobRecord chunk) {
            BackupJobHeader h = (BackupJobHeader) header.getPart();
            if (chunk.getPart() instanceof BackupTabletChunk tablets) {
                return tablets.getChunkIndex() < h.getTabletChunkCount();
            }
            return chunk.getPart() instanceof BackupMetaChunk meta && meta.getChunkIndex() < h.getMetaChunkCount();
        }

        @Override
        public BackupJob job(BackupJobRecord header, List<BackupJobRecord> chunks) {
            List<BackupTabletChunk> tablets = new ArrayList<>();
            List<BackupMetaChunk> meta = new ArrayList<>();
            for (BackupJobRecord chunk : chunks) {
                if (chunk.getPart() instanceof BackupTabletChunk t) {
                    tablets.add(t);
                } else {
                    meta.add((BackupMetaChunk) chunk.getPart());
                }
            }
            return BackupJobRestorer.restore(header.getJobId(), header.getStateSeq(),
                    (BackupJobHeader) header.getPart(), tablets, meta);
        }
    }
}
