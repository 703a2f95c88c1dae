package io.snapbus.jobs;

import org.springframework.boot.web.server.context.WebServerApplicationContext;

/**
 * The order in which the job-service's parts start (SmartLifecycle phases), after the web server: it listens first,
 * so {@code /actuator/health/readiness} answers DOWN while the catalog and the jobs are replayed and resumed, and the
 * REST API answers 503 until then ({@link io.snapbus.jobs.observe.ReadinessGate}). They stop in the reverse order,
 * before the web server.
 */
public final class StartupOrder {
    private static final int AFTER_WEB_SERVER = WebServerApplicationContext.START_STOP_LIFECYCLE_PHASE + 1;

    /** The catalog is replayed. */
    public static final int CATALOG = AFTER_WEB_SERVER;
    /** The recycle bin's eraser, which reads and writes the catalog. */
    public static final int RECYCLE_BIN = CATALOG + 1;
    /** A test's hold between the catalog's replay and the jobs' (snapbus.jobs.debug.replay-hold-file). */
    public static final int REPLAY_HOLD = CATALOG + 5;
    /** The backup and restore jobs are replayed and resumed. */
    public static final int JOBS = CATALOG + 10;
    /** Task results are consumed: every result finds its resumed job. */
    public static final int TASK_RESULTS = CATALOG + 15;
    /** Nodes' task reports reach the resumed jobs. */
    public static final int NODE_REPORTS = CATALOG + 20;

    private StartupOrder() {}
}
