package io.snapbus.local;

import java.nio.file.Path;
import java.time.Duration;

/** What every local component shares: it is one {@link LocalProcess}, stopped within the configured time. */
abstract sealed class ProcessComponent implements LocalComponent permits KafkaBroker, SchemaRegistry, S3Server, JavaService {
    private final String name;
    private final LocalProcess process;
    private final Duration stopTimeout;

    ProcessComponent(String name, LocalProcess process, Duration stopTimeout) {
        this.name = name;
        this.process = process;
        this.stopTimeout = stopTimeout;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final long pid() {
        return process.pid();
    }

    @Override
    public final boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public final Path logFile() {
        return process.logFile();
    }

    @Override
    public final void stop() {
        process.stop(stopTimeout);
    }
}
