package io.snapbus.jobs.engine;

import java.util.List;
import java.util.Map;

/**
 * How a job type writes itself to its compacted topic as keyed records: a header that commits the job's state and
 * chunks that hold the rest, so no record nears the broker's size limit. A persist writes only what changed since the
 * state the topic acknowledged.
 *
 * @param <J> the job
 * @param <R> the topic's record
 */
public interface JobRecords<J, R> {
    /**
     * Record key to value (null: a tombstone), header last, bringing the topic from {@code acknowledged} (null:
     * unknown, everything is written) to the newest of {@code states}, consecutive persisted states of one job.
     */
    Map<String, R> since(J acknowledged, List<J> states);

    /** The key of a job's header, the record that commits its state. */
    String headerKey(long jobId);
}
