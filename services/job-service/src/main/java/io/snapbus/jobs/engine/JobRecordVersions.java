package io.snapbus.jobs.engine;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * A job type's compacted topic read in order, rebuilt into jobs from the parts their last header committed; shared by
 * the job types whose records follow {@link JobRecords}' scheme (a header per job under its key, chunks under
 * sub-keys).
 *
 * <p>A persist writes only the chunks that changed, so chunks carry older state sequences than the header: a chunk
 * is taken as it last was, whatever its sequence. The header goes out only once its chunks are acknowledged, so a
 * crash between the two leaves chunks newer than the header; then the chunk's value before them (each key keeps its
 * last two values while the log still holds them) is the one the header committed. Chunks the header does not count
 * (a plan that shrank) are never read.
 *
 * @param <R> the topic's record
 * @param <J> the job
 */
public final class JobRecordVersions<R, J> {
    /** How a job type's records name their job and state, and how its job is rebuilt from them. */
    public interface Layout<R, J> {
        long jobId(R record);

        long stateSeq(R record);

        boolean isHeader(R record);

        /** Whether {@code header} counts {@code chunk} among its parts (false: one past a shrunken plan's counts). */
        boolean counts(R header, R chunk);

        /** The job from its header and the chunks it committed, in any order. */
        J job(R header, List<R> chunks);
    }

    private final Layout<R, J> layout;
    /** Key to its last two values, newest last; a null value is a tombstone. */
    private final Map<String, List<R>> versions = new HashMap<>();
    /** Job id to the highest state sequence of its headers read so far. */
    private final Map<Long, Long> headerSeqs = new HashMap<>();
    /** Job id to the chunk keys still keeping an older value: their newest is newer than every header read so far. */
    private final Map<Long, Set<String>> uncommitted = new HashMap<>();

    public JobRecordVersions(Layout<R, J> layout) {
        this.layout = layout;
    }

    /**
     * The next record of the topic ({@code record == null}: a tombstone). The topic's partitions interleave, so a
     * header may be read before or after the chunks it commits; a chunk's older value is dropped as soon as a header
     * of its job at or past the newer value's sequence was read (every later header commits that value too), which
     * keeps one value a chunk instead of two for all but the chunks of a job's last, unfinished persist.
     */
    public void accept(String key, R record) {
        List<R> values = versions.computeIfAbsent(key, k -> new ArrayList<>(2));
        if (values.size() == 2) {
            values.remove(0);
        }
        values.add(record);
        if (record == null) {
            return; // a tombstone has no sequence to compare: its key keeps two values
        }
        long jobId = layout.jobId(record);
        long seq = layout.stateSeq(record);
        if (layout.isHeader(record)) {
            committedUpTo(jobId, seq);
            if (values.size() == 2) {
                values.remove(0); // the newest header is the only one read
            }
        } else if (values.size() == 2) {
            if (seq <= headerSeqs.getOrDefault(jobId, -1L)) {
                values.remove(0);
            } else {
                uncommitted.computeIfAbsent(jobId, j -> new HashSet<>()).add(key);
            }
        }
    }

    /** A header of the job at {@code seq} was read: chunks whose newest value it commits drop their older one. */
    private void committedUpTo(long jobId, long seq) {
        if (seq <= headerSeqs.getOrDefault(jobId, -1L)) {
            return;
        }
        headerSeqs.put(jobId, seq);
        Set<String> keys = uncommitted.get(jobId);
        if (keys == null) {
            return;
        }
        keys.removeIf(key -> {
            List<R> values = versions.get(key);
            if (values.size() < 2) {
                return true;
            }
            R newest = values.get(1);
            if (newest == null || layout.stateSeq(newest) > seq) {
                return false; // a tombstone, or a value this header does not commit yet
            }
            values.remove(0);
            return true;
        });
        if (keys.isEmpty()) {
            uncommitted.remove(jobId);
        }
    }

    /** How many keys still keep an older value beside their newest (for the replay's log and tests). */
    public int olderValuesKept() {
        return (int) versions.values().stream().filter(values -> values.size() == 2).count();
    }

    /** Every job with a header, by job id. */
    public Map<Long, J> jobs() {
        return jobs(UnaryOperator.identity());
    }

    /**
     * Every job with a header, by job id, each as {@code keep} makes it as soon as it is rebuilt: a service keeps its
     * done jobs retired, so a restart holds one job's parts at a time, not every finished job's.
     */
    public Map<Long, J> jobs(UnaryOperator<J> keep) {
        Map<Long, R> headers = new HashMap<>();
        versions.forEach((key, values) -> {
            R latest = values.get(values.size() - 1);
            if (latest != null && layout.isHeader(latest)) {
                headers.put(layout.jobId(latest), latest);
            }
        });
        Map<Long, List<R>> chunks = new HashMap<>();
        versions.forEach((key, values) -> {
            R any = values.stream().filter(Objects::nonNull).findFirst().orElse(null);
            R header = any == null ? null : headers.get(layout.jobId(any));
            if (header == null || layout.isHeader(any)) {
                return;
            }
            R committed = committed(values, layout.stateSeq(header));
            if (committed != null && layout.counts(header, committed)) {
                chunks.computeIfAbsent(layout.jobId(header), j -> new ArrayList<>()).add(committed);
            }
        });
        Map<Long, J> jobs = new TreeMap<>();
        headers.forEach((jobId, header) -> {
            List<R> parts = chunks.remove(jobId);
            jobs.put(jobId, keep.apply(layout.job(header, parts == null ? List.of() : parts)));
        });
        return jobs;
    }

    /**
     * The newest value no newer than the header; when compaction already removed it, the newest value (the best
     * left). A tombstone the header committed means no chunk.
     */
    private R committed(List<R> values, long headerSeq) {
        for (int i = values.size() - 1; i >= 0; i--) {
            R value = values.get(i);
            if (value != null && layout.stateSeq(value) <= headerSeq) {
                return value;
            }
        }
        return values.get(values.size() - 1);
    }
}
