package io.snapbus.jobs.engine;

/**
 * What the engine's shell needs of any job type it runs (persisting its chunks, publishing its events, sending its
 * tasks): who the job is, how far it is persisted, whether it is done, its status and its awaited tasks.
 */
public interface EngineJob {
    long jobId();

    String label();

    /** Increases with every persisted change. */
    long stateSeq();

    boolean isDone();

    /**
     * Whether no persisted state of the job follows this one, so its log may forget it. A done job usually is; a
     * cancelled restore whose catalog undo is still to be recorded is not.
     */
    default boolean settled() {
        return isDone();
    }

    /**
     * Whether this is what a done job keeps in memory once nothing more of it will be persisted: counts without the
     * parts (tablets, replicas) the topic holds. Such a job must never be persisted: it would lose them.
     */
    default boolean isRetired() {
        return false;
    }

    Status status();

    TaskBook tasks();
}
