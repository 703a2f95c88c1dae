package io.snapbus.jobs.restore;

import static io.snapbus.jobs.restore.RestoreScenario.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.snapbus.avro.RestoreJobHeader;
import io.snapbus.avro.RestoreJobRecord;
import io.snapbus.avro.RestorePlanChunk;
import io.snapbus.avro.RestoreReplicaChunk;
import io.snapbus.contract.TaskSignatures;
import io.snapbus.jobs.engine.AgentWork;
import io.snapbus.jobs.engine.PendingTask;
import io.snapbus.rows.ContentChecksum;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * A restore of 300 000 tablets × 3 replicas over 1 000 partitions (Doris's per-job cap) persists in records far under
 * the broker's 1 MB default, every replica at its largest (downloaded and checked, a failing DOWNLOAD of ten awaited
 * for each ten). Prints the figures; asserts sizes only, never times.
 */
class RestoreRecordSizeTest {
    private static final int LIMIT = 1_000_000;

    @Test
    void theLargestRecordOfAThreeHundredThousandTabletRestoreIsFarUnderOneMegabyte() {
        RestoreScenario scenario = RestoreScenario.generated(1000, 150, 3, true);
        assertThat(scenario.replicas).hasSize(900_000);
        RestoreJob job = atItsLargest(scenario);

        long start = System.nanoTime();
        Map<String, RestoreJobRecord> records = RestoreRecords.of(job);
        long buildMs = (System.nanoTime() - start) / 1_000_000;
        Map<String, Integer> largest = new TreeMap<>();
        long total = 0;
        RestoreTopic topic = new RestoreTopic(false);
        for (Map.Entry<String, RestoreJobRecord> record : records.entrySet()) {
            byte[] bytes = RestoreTopic.encode(record.getValue());
            total += bytes.length;
            largest.merge(kind(record.getValue()), bytes.length, Math::max);
            topic.append(Map.of(record.getKey(), RestoreTopic.decode(bytes)));
        }
        start = System.nanoTime();
        RestoreJob replayed = topic.replay().get(job.jobId());
        long replayMs = (System.nanoTime() - start) / 1_000_000;
        assertThat(replayed).isEqualTo(job);

        PendingTask download = job.tasks().pending().firstEntry().getValue();
        RestoreJob after = job.toBuilder().replica(job.replicas().get(download.tabletIds().get(0)).moved())
                .done(download.signature()).build(true);
        long deltaBytes = new RestoreRecords().since(job, List.of(after)).values().stream()
                .mapToLong(r -> RestoreTopic.encode(r).length).sum();

        long replicaChunks = records.values().stream().filter(r -> r.getPart() instanceof RestoreReplicaChunk).count();
        long planChunks = records.values().stream().filter(r -> r.getPart() instanceof RestorePlanChunk).count();
        System.out.printf("restore of 300000 tablets x 3 replicas, 1000 partitions: %d records (%d replica chunks, %d"
                + " plan chunks, header), %d bytes in all; largest replica chunk %d bytes, largest plan chunk %d"
                + " bytes, header %d bytes; one task's result as a delta %d bytes; full write built in %d ms,"
                + " replayed in %d ms%n", records.size(), replicaChunks, planChunks, total, largest.get("replicas"),
                largest.get("plan"), largest.get("header"), deltaBytes, buildMs, replayMs);
        assertThat(replicaChunks).isEqualTo(900_000 / RestoreRecords.REPLICAS_PER_CHUNK);
        assertThat(planChunks).isGreaterThan(1);
        assertThat(largest.values()).allMatch(size -> size < LIMIT);
        assertThat(deltaBytes * 100).isLessThan(total);
    }

    /** Every replica downloaded and checked, a snapshot path each, and a failed DOWNLOAD of ten awaited per ten. */
    private static RestoreJob atItsLargest(RestoreScenario scenario) {
        RestoreJob.Builder job = RestoreScenario.job().toBuilder().plan(scenario.plan).catalogPrepared(true)
                .state(RestoreState.DOWNLOADING).metaPreparedTimeMs(T0 + 1).snapshotFinishedTimeMs(T0 + 2)
                .lastCatalogAttemptMs(T0 + 1);
        List<ReplicaRestore> sorted = new ArrayList<>(scenario.replicas);
        sorted.sort(Comparator.comparingLong(ReplicaRestore::backendId).thenComparingLong(ReplicaRestore::replicaId));
        List<Long> carried = new ArrayList<>();
        for (ReplicaRestore replica : sorted) {
            long signature = TaskSignatures.of(RestoreScenario.JOB, job.nextSignatureSeq());
            ContentChecksum read = replica.expected() != null ? replica.expected()
                    : new ContentChecksum(123_456_789L, -8_765_432_109_876_543L);
            job.replica(replica.snapshotted("/data/snapbus/storage/snapshot/20240101000000." + signature + ".86400")
                    .downloaded(987_654_321L).checked(read));
            carried.add(replica.replicaId());
            if (carried.size() == 10) {
                job.pending(new PendingTask(TaskSignatures.of(RestoreScenario.JOB, job.nextSignatureSeq()),
                        AgentWork.Kind.DOWNLOAD, replica.backendId(), carried, T0 + 3, 4, T0 + 40_000, 80_000,
                        T0 + 120_000, PendingTask.Status.FAILED, "download of s3://bucket/prefix/__palo_repository_"
                        + "nightly/__ss_snap1/__ss_content/__db_9/__tbl_100/__part_1000/__idx_101/__200000 failed:"
                        + " connection reset by peer after 1048576 of 268435456 bytes"));
                carried.clear();
            }
        }
        return job.build(true);
    }

    private static String kind(RestoreJobRecord record) {
        return record.getPart() instanceof RestoreJobHeader ? "header"
                : record.getPart() instanceof RestoreReplicaChunk ? "replicas" : "plan";
    }
}
