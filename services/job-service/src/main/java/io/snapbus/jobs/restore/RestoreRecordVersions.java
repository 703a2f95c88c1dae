package io.snapbus.jobs.restore;

import io.snapbus.avro.RestoreJobHeader;
import io.snapbus.avro.RestoreJobRecord;
import io.snapbus.avro.RestorePlanChunk;
import io.snapbus.avro.RestoreReplicaChunk;
import io.snapbus.jobs.engine.JobRecordVersions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The restore-jobs topic read in order, rebuilt into jobs from the parts their last header committed (the engine's
 * {@link JobRecordVersions}, with the restore's header, replica chunks and plan chunks).
 */
public final class RestoreRecordVersions {
    private final JobRecordVersions<RestoreJobRecord, RestoreJob> versions = versions();

    /** The engine's versions of the restore-jobs topic, for a replay that feeds it directly. */
    public static JobRecordVersions<RestoreJobRecord, RestoreJob> versions() {
        return new JobRecordVersions<>(new Layout());
    }

    /** The next record of the topic ({@code record == null}: a tombstone). */
    public void accept(String key, RestoreJobRecord record) {
        versions.accept(key, record);
    }

    /** Every job with a header, by job id. */
    public Map<Long, RestoreJob> jobs() {
        return versions.jobs();
    }

    private static final class Layout implements JobRecordVersions.Layout<RestoreJobRecord, RestoreJob> {
        @Override
        public long jobId(RestoreJobRecord record) {
            return record.getJobId();
        }

        @Override
        public long stateSeq(RestoreJobRecord record) {
            return record.getStateSeq();
        }

        @Override
        public boolean isHeader(RestoreJobRecord record) {
            return record.getPart() instanceof RestoreJobHeader;
        }

        @Override
        public boolean counts(RestoreJobRecord header, RestoreJobRecord chunk) {
            RestoreJobHeader h = (RestoreJobHeader) header.getPart();
            if (chunk.getPart() instanceof RestoreReplicaChunk replicas) {
                return replicas.getChunkIndex() < h.getReplicaChunkCount();
            }
            return chunk.getPart() instanceof RestorePlanChunk plan && plan.getChunkIndex() < h.getPlanChunkCount();
        }

        @Override
        public RestoreJob job(RestoreJobRecord header, List<RestoreJobRecord> chunks) {
            List<RestoreReplicaChunk> replicas = new ArrayList<>();
            List<RestorePlanChunk> plan = new ArrayList<>();
            for (RestoreJobRecord chunk : chunks) {
                if (chunk.getPart() instanceof RestoreReplicaChunk r) {
                    replicas.add(r);
                } else {
                    plan.add((RestorePlanChunk) chunk.getPart());
                }
            }
            return RestoreJobRestorer.restore(header.getJobId(), header.getStateSeq(),
                    (RestoreJobHeader) header.getPart(), replicas, plan);
        }
    }
}
