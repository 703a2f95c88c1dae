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

    Status status();

    TaskBook tasks();
}
