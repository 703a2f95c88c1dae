package io.snapbus.jobs.engine;

/** Kinds of job events a machine asks its shell to publish (the job-events topic's kinds, by name). */
public enum EventKind { CREATED, STATE_CHANGED, PROGRESS, TASK_ERROR, TASK_RETRY, FINISHED, CANCELLED }
