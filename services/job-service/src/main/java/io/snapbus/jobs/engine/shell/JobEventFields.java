package io.snapbus.jobs.engine.shell;

import io.snapbus.avro.JobProgress;

/**
 * What a job type puts into its job events beyond what every job has: its type, database, repository, state and
 * progress.
 *
 * @param <J> the job
 */
public interface JobEventFields<J> {
    /** The event's jobType ("BACKUP"). */
    String jobType();

    String dbName(J job);

    String repositoryName(J job);

    /** The job's state, by name. */
    String state(J job);

    /** The job's progress as events and answers show it. */
    JobProgress progress(J job);

    /** What a PROGRESS event reports, compared by equality: a new one goes out only when it moved. */
    Object progressCounts(J job);
}
