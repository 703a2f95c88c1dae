package io.snapbus.client;

import io.snapbus.api.Page;
import io.snapbus.api.SnapbusApiClient;
import io.snapbus.api.event.JobEvent;
import io.snapbus.api.backup.CancelResult;
import java.util.function.BiFunction;
import java.util.function.Consumer;

/**
 * The calls of one kind of job (backup or restore) that {@link JobCommand} makes, and the columns its list shows.
 *
 * @param columns the list's columns, as {@link TextTable#of} takes them
 */
record JobEndpoints<J extends Record>(PageRead<J> page, BiFunction<SnapbusApiClient, Long, J> job,
        BiFunction<SnapbusApiClient, Long, CancelResult> cancel, EventStream events, String... columns) {

    /** A page of a database's jobs, newest first. */
    @FunctionalInterface
    interface PageRead<J> {
        Page<J> read(SnapbusApiClient api, String db, int offset, int limit);
    }

    /** A job's events until it ends; returns the last. */
    @FunctionalInterface
    interface EventStream {
        JobEvent follow(SnapbusApiClient api, long jobId, Consumer<JobEvent> onEvent);
    }
}
